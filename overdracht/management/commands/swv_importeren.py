"""Read a full export of an SWV into a new organisation (for operators; the platform admin has
the same on the screen /platform/importeren/). The passphrase is asked, never an argument, so
it does not end up in the shell history."""

from getpass import getpass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from overdracht.exporteren import swv_importeren


class Command(BaseCommand):
    help = "Lees een volledige export (7z) in als nieuwe organisatie."

    def add_arguments(self, parser):
        parser.add_argument("archief")
        parser.add_argument("--code", default="")
        parser.add_argument("--naam", default="")

    def handle(self, *args, archief, code, naam, **options):
        try:
            organisatie = swv_importeren(
                door=None, pad=Path(archief), wachtwoord=getpass("Wachtzin: "), code=code, naam=naam
            )
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from e
        self.stdout.write(f"Ingelezen als {organisatie.code} ({organisatie.naam}).")
