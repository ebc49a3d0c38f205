from django.apps import AppConfig


class LoketConfig(AppConfig):
    name = "loket"
    verbose_name = "Loket"

    def ready(self) -> None:
        from hulpvragen.signals import reservering_gewijzigd, status_gewijzigd
        from loket.services import reservering_gewijzigd_receive, status_gewijzigd_receive

        # The decision clock follows every status change, in the change's own transaction, and
        # a BAG date reservation completed to a request.
        status_gewijzigd.connect(status_gewijzigd_receive, dispatch_uid="loket_termijn")
        reservering_gewijzigd.connect(
            reservering_gewijzigd_receive, dispatch_uid="loket_termijn_reservering"
        )

        from accounts.models import Rol
        from hulpvragen.tabs import register

        register("aanpak", "loket.views.aanpak_tab")

        # Overlegronde: the SWV's meetings for loket and deskundige; the school's own rounds;
        # an invited outsider reads the rounds of whoever invited them (loket.services).
        register(
            "overlegronde",
            "loket.views.overlegronde_tab",
            rollen=frozenset({Rol.SWV_LOKET, Rol.DESKUNDIGE, Rol.SCHOOL, Rol.GENODIGDE}),
        )
