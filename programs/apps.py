from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"

    def ready(self) -> None:
        from programs import receivers  # noqa: F401  (connects what accounts.signals asks of programs)
