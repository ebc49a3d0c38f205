from django.apps import AppConfig


class BijlagenConfig(AppConfig):
    name = "bijlagen"
    verbose_name = "Bijlagen"

    def ready(self) -> None:
        # Registers the "bijlagen_aanwezig" check in the engine's registry.
        from bijlagen import guards  # noqa: F401
