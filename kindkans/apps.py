from django.apps import AppConfig


class KindkansConfig(AppConfig):
    """The project package as an app: it has no models; it registers the deploy checks."""

    name = "kindkans"
    verbose_name = "Kindkans"

    def ready(self) -> None:
        # Importing registers the checks (kindkans/checks.py, and the proxy settings' check).
        from kindkans import checks, proxy  # noqa: F401
