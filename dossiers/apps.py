from django.apps import AppConfig
from django.db.backends.signals import connection_created


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Dossiers"

    def ready(self) -> None:
        from dossiers.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="kindkans_unaccent")
