from django.apps import AppConfig


class AdultsConfig(AppConfig):
    name = "lotsen.adults"
    label = "adults"
    default_auto_field = "django.db.models.BigAutoField"
