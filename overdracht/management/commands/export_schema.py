"""Write the JSON Schema files of the export format (overdracht/schema/v1/) from the models."""

from django.core.management.base import BaseCommand

from overdracht.archief import SCHEMA_MAP, schemas_schrijven


class Command(BaseCommand):
    help = "Schrijf de JSON Schema-bestanden van het exportformaat."

    def handle(self, *args, **options):
        paden = schemas_schrijven()
        self.stdout.write(f"{len(paden)} schema's geschreven in {SCHEMA_MAP}.")
