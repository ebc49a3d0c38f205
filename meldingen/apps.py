from django.apps import AppConfig


class MeldingenConfig(AppConfig):
    """The outbox (Notificatie) and its delivery by e-mail."""

    name = "meldingen"
    verbose_name = "Meldingen"

    def ready(self) -> None:
        from hulpvragen.signals import status_gewijzigd
        from meldingen.services import status_gewijzigd_receive

        # The outbox rows of a status change, in the change's transaction.
        status_gewijzigd.connect(status_gewijzigd_receive, dispatch_uid="meldingen_outbox")
