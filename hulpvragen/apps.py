from django.apps import AppConfig


class HulpvragenConfig(AppConfig):
    name = "hulpvragen"
    verbose_name = "Hulpvragen"

    def ready(self) -> None:
        # Registers the engine's own named checks (hulpvragen.guards).
        from hulpvragen import guards  # noqa: F401
