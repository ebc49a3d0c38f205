"""`python manage.py demo`: demo organisations, schools, one user per role and a few dossiers.

Idempotent: running it again changes nothing that is already there (passwords are reset to the
printed demo password so the README stays true).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Rol, User
from beheer.services_scholen import organisatie_create, organisatie_defaults_load
from bijlagen.demo import verplichte_bijlagen_toevoegen
from dossiers.models import Adres, IqTest, Leerling, Schoolgegevens, Toets
from dossiers.services import lvs_gegevens_save
from formulieren.demo import formulier_invullen_en_ondertekenen
from hulpvragen.models import Label
from hulpvragen.services import (
    hulpvraag_change_status,
    hulpvraag_create,
)
from organisaties.models import Bestuur, Nieuwsbericht, Organisatie, School, Sector

DEMO_PASSWORD = "Kindkans-demo-2026"

INFORMATIE_VO2505 = (
    "Vragen over Kindkans? Kijk eerst in de handleiding op www.swv-vo-2505.nl. "
    "Staat het antwoord er niet in, mail dan naar loket@swv-vo-2505.nl.\n\n"
    "Recent gewijzigd: aanvragen PRO zij-instroom kunnen nu via Kindkans."
)


def _bsn(prefix: str) -> str:
    """The 9-digit BSN that starts with these 8 digits and passes the elfproef (or '')."""
    total = sum(int(d) * w for d, w in zip(prefix, range(9, 1, -1), strict=True))
    last = total % 11
    return f"{prefix}{last}" if last < 10 else ""


class Command(BaseCommand):
    help = "Laadt demogegevens (idempotent) en toont de demo-accounts."

    @staticmethod
    def _organisatie(*, code: str, defaults: dict) -> Organisatie:
        """Made once through `organisatie_create` (processes and form definitions with it); on a
        later run its fields are set again and missing defaults loaded."""
        org = Organisatie.objects.filter(code=code).first()
        if org is None:
            return organisatie_create(door=None, organisatie=Organisatie(code=code, **defaults))
        Organisatie.objects.filter(pk=org.pk).update(**defaults)
        organisatie_defaults_load(organisatie=org)
        return org

    @transaction.atomic
    def handle(self, *args, **options):
        vo = self._organisatie(
            code="VO2505",
            defaults={
                "naam": "VO2505 Apeldoorn",
                "sector": Sector.VO,
                "loket_email": "loket@swv-vo-2505.nl",
                "informatie": INFORMATIE_VO2505,
            },
        )
        po = self._organisatie(
            code="PO2501",
            defaults={
                "naam": "PO2501 Voorbeeld",
                "sector": Sector.PO,
                "loket_email": "loket@po2501.example",
                "informatie": "Demo-SWV om de scheiding tussen organisaties te laten zien.",
            },
        )

        vo_bestuur = self._bestuur(vo, "Stichting Voortgezet Onderwijs Apeldoorn", "41234")
        po_bestuur = self._bestuur(vo, "Stichting Primair Onderwijs Veluwe", "42345")
        voorbeeld_bestuur = self._bestuur(po, "Stichting Voorbeeldscholen", "43456")

        veluws = self._school(vo, vo_bestuur, "01AB", "Veluws College", Sector.VO)
        lyceum = self._school(vo, vo_bestuur, "02CD", "Apeldoorns Lyceum", Sector.VO)
        self._school(vo, vo_bestuur, "03EF", "Praktijkschool De Werkplaats", Sector.VO)
        zonnewijzer = self._school(vo, po_bestuur, "04GH", "OBS De Zonnewijzer", Sector.PO)
        self._school(vo, po_bestuur, "05JK", "CBS De Regenboog", Sector.PO)
        voorbeeldschool = self._school(
            po, voorbeeld_bestuur, "06LM", "Basisschool Het Voorbeeld", Sector.PO
        )

        users = {
            "coordinator": self._user(
                vo, "coordinator", "Anna", "de Vries", Rol.SCHOOL, scholen=[veluws]
            ),
            "collega": self._user(vo, "collega", "Bram", "Jansen", Rol.SCHOOL, scholen=[lyceum]),
            "ib-basisschool": self._user(
                vo, "ib-basisschool", "Carla", "Smit", Rol.SCHOOL, scholen=[zonnewijzer]
            ),
            "bestuurder": self._user(
                vo, "bestuurder", "Dirk", "Bakker", Rol.BEVOEGD_GEZAG, bestuur=vo_bestuur
            ),
            "loket": self._user(vo, "loket", "Eva", "Visser", Rol.SWV_LOKET, staff=True),
            "deskundige": self._user(
                vo, "deskundige", "Frank", "Mulder", Rol.DESKUNDIGE, functie="orthopedagoog"
            ),
            # The second deskundige of a TLV VSO (docs/besluiten.md): another discipline.
            "kinderarts": self._user(
                vo, "kinderarts", "Ilse", "Kok", Rol.DESKUNDIGE, functie="kinderarts"
            ),
            "beheerder": self._user(vo, "beheerder", "Greet", "Bos", Rol.BEHEERDER, staff=True),
        }
        po_coordinator = self._user(
            po, "coordinator", "Hans", "Peters", Rol.SCHOOL, scholen=[voorbeeldschool]
        )
        platform = self._platform_user()

        for naam in ("Spoed", "Zij-instroom", "Herindicatie"):
            Label.objects.get_or_create(organisatie=vo, naam=naam)

        coordinator = users["coordinator"]
        self._dossier(
            vo,
            veluws,
            coordinator,
            "10000000",
            "Daan",
            "Daan Pieter",
            "",
            "Hendriks",
            date(2011, 3, 14),
            "M",
            leerjaar=2,
            types=["TLV_VSO"],
        )
        sanne = self._dossier(
            vo,
            veluws,
            coordinator,
            "10000001",
            "Sanne",
            "Sanne",
            "van",
            "Dijk",
            date(2012, 9, 2),
            "V",
            leerjaar=1,
            types=["FA", "PRO"],
            indienen=["FA"],
        )
        self._lvs(sanne, coordinator)
        self._dossier(
            vo,
            veluws,
            coordinator,
            "10000002",
            "Mohammed",
            "Mohammed",
            "el",
            "Amrani",
            date(2010, 11, 23),
            "M",
            leerjaar=3,
            types=["SV"],
            indienen=["SV"],
        )
        self._dossier(
            vo,
            lyceum,
            users["collega"],
            "10000003",
            "Lotte",
            "Lotte Maria",
            "",
            "Kok",
            date(2011, 6, 30),
            "V",
            leerjaar=2,
            types=["TLV_VSO"],
            indienen=["TLV_VSO"],
        )
        self._dossier(
            vo,
            zonnewijzer,
            users["ib-basisschool"],
            "10000004",
            "Finn",
            "Finn",
            "",
            "Vermeulen",
            date(2014, 1, 5),
            "M",
            groep=8,
            types=["BAG"],
        )
        self._dossier(
            po,
            voorbeeldschool,
            po_coordinator,
            "10000005",
            "Noor",
            "Noor",
            "de",
            "Groot",
            date(2015, 4, 18),
            "V",
            groep=6,
            types=[],
        )

        Nieuwsbericht.objects.get_or_create(
            titel="Welkom in de open-source Kindkans",
            defaults={
                "tekst": "Hier verschijnen updates die voor gebruikers in alle "
                "samenwerkingsverbanden van belang zijn.",
                "gepubliceerd_op": timezone.now(),
            },
        )

        self.stdout.write(self.style.SUCCESS("Demogegevens geladen."))
        self.stdout.write(f"Wachtwoord van elk demo-account: {DEMO_PASSWORD}")
        for user in [*users.values(), po_coordinator, platform]:
            org = user.organisatie.naam if user.organisatie else "(geen organisatie)"
            self.stdout.write(f"  {org:<20} {user.username:<16} {user.get_rol_display()}")

    def _bestuur(self, org, naam, nummer):
        bestuur, _ = Bestuur.objects.get_or_create(
            organisatie=org, naam=naam, defaults={"bevoegd_gezag_nummer": nummer}
        )
        return bestuur

    def _school(self, org, bestuur, brin, naam, sector):
        school, _ = School.objects.update_or_create(
            organisatie=org,
            brin=brin,
            vestiging="00",
            defaults={"bestuur": bestuur, "naam": naam, "sector": sector, "plaats": "Apeldoorn"},
        )
        return school

    def _user(
        self, org, username, first, last, rol, *, scholen=(), bestuur=None, staff=False, functie=""
    ):
        user, _ = User.objects.update_or_create(
            organisatie=org,
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "rol": rol,
                "bestuur": bestuur,
                "is_staff": staff,
                "functie": functie,
                "email": f"{username}@{org.code.lower()}.example",
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.scholen.set(scholen)
        return user

    def _platform_user(self):
        user, _ = User.objects.update_or_create(
            organisatie=None,
            username="platform",
            defaults={
                "first_name": "Platform",
                "last_name": "Beheer",
                "rol": Rol.PLATFORM,
                "is_staff": True,
                "is_superuser": True,
                "email": "platform@kindkans.example",
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        return user

    def _dossier(
        self,
        org,
        school,
        aanvrager,
        bsn_prefix,
        roepnaam,
        voornamen,
        tussenvoegsel,
        achternaam,
        geboortedatum,
        geslacht,
        *,
        groep=None,
        leerjaar=None,
        types=(),
        indienen=(),
    ):
        leerling, created = Leerling.objects.get_or_create(
            organisatie=org,
            bsn=_bsn(bsn_prefix),
            defaults={
                "roepnaam": roepnaam,
                "voornamen": voornamen,
                "tussenvoegsel": tussenvoegsel,
                "achternaam": achternaam,
                "geboortedatum": geboortedatum,
                "geslacht": geslacht,
            },
        )
        if not created:
            return leerling
        Adres.objects.create(
            organisatie=org,
            leerling=leerling,
            straat="Loolaan",
            huisnummer=str(10 + leerling.pk),
            postcode="7315 AB",
            woonplaats="Apeldoorn",
            ingangsdatum=geboortedatum,
        )
        schoolgegevens = Schoolgegevens.objects.create(
            organisatie=org,
            leerling=leerling,
            school=school,
            groep=groep,
            leerjaar=leerjaar,
            aanvrager=aanvrager,
            contactpersoon=aanvrager.get_full_name(),
            email=aanvrager.email,
            begindatum=date(2024, 8, 26),
        )
        for type_ in types:
            hulpvraag = hulpvraag_create(schoolgegevens=schoolgegevens, type=type_, door=aanvrager)
            if type_ in indienen:
                # Indienen waits for the form, signed by the bevoegd gezag where the type needs it.
                formulier_invullen_en_ondertekenen(hulpvraag=hulpvraag)
                verplichte_bijlagen_toevoegen(hulpvraag=hulpvraag)
                # Through the engine, like the school's "Status wijzigen": checks, history, outbox.
                ingediend = hulpvraag.proces.statussen.get(naam__endswith="aanvraag indienen")
                hulpvraag_change_status(
                    hulpvraag=hulpvraag,
                    naar=ingediend,
                    door=aanvrager,
                    toelichting="Demo: aanvraag ingediend.",
                )
        return leerling

    def _lvs(self, leerling, door):
        """LVS data for the PrO demo: IQ 68 and leerachterstanden that give the advice
        praktijkonderwijs (docs/lvs.md). Once only."""

        if Toets.objects.filter(leerling=leerling).exists():
            return
        toetsdatum = timezone.localdate() - timedelta(days=14)
        lvs_gegevens_save(
            leerling=leerling,
            door=door,
            opslaan=[
                IqTest(testdatum=date(2024, 11, 4), totaal_iq=68, test="WISC-V"),
                *(
                    Toets(toetsdatum=toetsdatum, domein=domein, dle=dle, naam="Demo-toets")
                    for domein, dle in (("BL", 26), ("IR", 28), ("TL", 38), ("SP", 40))
                ),
            ],
        )
