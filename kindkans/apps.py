from django.apps import AppConfig


class KindkansConfig(AppConfig):
    """The project package as an app: it has no models; it registers the deploy checks."""

    name = "kindkans"
    verbose_name = "Kindkans"

    def ready(self) -> None:
        from kindkans import checks  # noqa: F401 - registers the checks
