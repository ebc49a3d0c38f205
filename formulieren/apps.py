from django.apps import AppConfig


class FormulierenConfig(AppConfig):
    name = "formulieren"
    verbose_name = "Formulieren"

    def ready(self) -> None:
        # Registers the engine check "formulier_ondertekend" (hulpvragen.guards).
        from formulieren import guards  # noqa: F401
        from hulpvragen.tabs import register

        # The Formulier tab of the hulpvraag view (docs/screens.md).
        register("formulier", "formulieren.views.formulier_tab_view")
