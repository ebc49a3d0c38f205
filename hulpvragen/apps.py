from django.apps import AppConfig


class HulpvragenConfig(AppConfig):
    name = "hulpvragen"
    verbose_name = "Hulpvragen"

    def ready(self) -> None:
        # Registers the engine's own named checks (hulpvragen.guards).
        # Connects the receivers that drop the cached list data of an organisation on a change.
        from hulpvragen import (
            guards,  # noqa: F401
            lijstgegevens,  # noqa: F401
        )
