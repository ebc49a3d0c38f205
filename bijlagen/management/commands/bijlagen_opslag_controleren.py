from django.core.management.base import BaseCommand

from bijlagen.opslagcontrole import opslag_controleren


class Command(BaseCommand):
    help = (
        "Verwijdert bestanden zonder bijlage (ouder dan een dag) en meldt bijlagen zonder bestand "
        "aan de beheerders (bijlagenummers, geen namen)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--niet-mailen", action="store_true", help="Alleen tonen, geen mail aan beheerders."
        )

    def handle(self, *args, niet_mailen=False, **options):
        uitslag = opslag_controleren(mailen=not niet_mailen)
        self.stdout.write(f"Verwijderd: {len(uitslag.verwijderd)} bestanden zonder bijlage.")
        for org, rijen in sorted(uitslag.ontbrekend.items()):
            nummers = ", ".join(str(pk) for pk, _hv in rijen)
            self.stdout.write(f"Organisatie {org}: bijlagen zonder bestand: {nummers}")
