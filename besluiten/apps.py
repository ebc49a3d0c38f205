from django.apps import AppConfig


class BesluitenConfig(AppConfig):
    name = "besluiten"
    verbose_name = "Besluiten"

    def ready(self) -> None:
        # The engine checks "tlv_vastgelegd", "afwijzing_vastgelegd", "fa_vastgelegd".
        from besluiten import guards  # noqa: F401
        from hulpvragen.tabs import register

        # The TLV tab of the hulpvraag view: the pupil's TLVs and, for a TLV VSO, the advice.
        register("tlv", "besluiten.views.tlv_tab")
