from django.apps import AppConfig, apps


class KindkansConfig(AppConfig):
    """The project package as an app: it has no models; it registers the deploy checks."""

    name = "kindkans"
    verbose_name = "Kindkans"

    def ready(self) -> None:
        # Importing registers the checks (kindkans/checks.py, and the proxy settings' check).
        from kindkans import checks, proxy  # noqa: F401

        # collectstatic leaves out what no page loads: Redoc (the API schema is rendered by
        # Swagger UI only, api/urls.py) and the REST framework's browsable API (JSON is the only
        # renderer). They were a third of the files and most of the build's compression time.
        # Set here rather than by a StaticFilesConfig subclass in INSTALLED_APPS: test tools
        # (pytest-django's live server) look for "django.contrib.staticfiles" by name.
        staticfiles = apps.get_app_config("staticfiles")
        staticfiles.ignore_patterns = [*staticfiles.ignore_patterns, "redoc", "rest_framework"]
