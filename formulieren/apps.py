from django.apps import AppConfig


class FormulierenConfig(AppConfig):
    name = "formulieren"
    verbose_name = "Formulieren"

    def ready(self) -> None:
        # Registers the engine check "formulier_ondertekend" (hulpvragen.guards).
        from formulieren import guards  # noqa: F401
