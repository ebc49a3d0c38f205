from django.apps import AppConfig


class FormulierenConfig(AppConfig):
    name = "formulieren"
    verbose_name = "Formulieren"

    def ready(self) -> None:
        # Registers the engine check "formulier_ondertekend" (hulpvragen.guards).
        from formulieren import guards  # noqa: F401
        from formulieren.services import hulpvraag_aangemaakt_receive
        from hulpvragen.signals import hulpvraag_aangemaakt
        from hulpvragen.tabs import register

        # Every new hulpvraag gets the form of its type, in the transaction that creates it.
        hulpvraag_aangemaakt.connect(
            hulpvraag_aangemaakt_receive, dispatch_uid="formulieren_formulier_koppelen"
        )

        # The Formulier tab of the hulpvraag view (docs/screens.md).
        register("formulier", "formulieren.views.formulier_tab_view")
