from django.apps import AppConfig


class EservicesConfig(AppConfig):
    name = "lotsen.eservices"
    label = "eservices"
    default_auto_field = "django.db.models.BigAutoField"
