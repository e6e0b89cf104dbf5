from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "lotsen.interventions"
    label = "interventions"
    default_auto_field = "django.db.models.BigAutoField"
