from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "lotsen.journal"
    label = "journal"
    default_auto_field = "django.db.models.BigAutoField"
