from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "lotsen.board"
    label = "board"
    default_auto_field = "django.db.models.BigAutoField"
