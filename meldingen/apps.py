from django.apps import AppConfig


class MeldingenConfig(AppConfig):
    """Delivers the engine's outbox (hulpvragen.Notificatie) by e-mail. No models of its own."""

    name = "meldingen"
    verbose_name = "Meldingen"
