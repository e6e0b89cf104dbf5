from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "lotsen.children"
    label = "children"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lotsen.children import signals  # noqa: F401
