from django.core.management.base import BaseCommand, CommandError

from loket.services import termijnen_recompute
from organisaties.models import Organisatie


class Command(BaseCommand):
    help = (
        "Berekent de opgeslagen beslistermijn (Termijn) van elke hulpvraag opnieuw uit de "
        "statusgeschiedenis: na een upgrade of bij twijfel."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisatie", metavar="CODE", help="Alleen dit samenwerkingsverband (de code)."
        )

    def handle(self, *args, organisatie=None, **options):
        org = None
        if organisatie:
            org = Organisatie.objects.filter(code=organisatie).first()
            if org is None:
                raise CommandError(f"Geen organisatie met code {organisatie}.")
        n = termijnen_recompute(organisatie=org)
        self.stdout.write(f"{n} termijnen herberekend.")
