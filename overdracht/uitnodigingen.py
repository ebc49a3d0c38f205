"""Users by invitation: the beheerder types or uploads rows (name, e-mail, role, school(s)), sees
per row what will happen or what is wrong, and only then are the accounts made (through
beheer's `gebruiker_create`, the same path as the Gebruikers screen). Each new account gets an
invitation mail with a one-time link, valid for seven days, to choose a password; the login's
own enrolment of an authenticator app follows at once. An e-mail address that already has an
account in the organisation is not made twice."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Gebeurtenis, Rol, User
from accounts.rechten import Recht, mag_in_organisatie
from accounts.services import beveiliging_log
from accounts.services_gebruikers import gebruiker_create
from kindkans.tasks import enqueue_on_commit
from organisaties.models import Bestuur, Organisatie, School
from overdracht.models import Uitnodiging

GELDIG = timedelta(days=7)

# What a beheerder may type in the role column (lower case, without accents and spaces).
ROLNAMEN = {
    "school": Rol.SCHOOL,
    "ondersteuningscoordinator": Rol.SCHOOL,
    "ib": Rol.SCHOOL,
    "iber": Rol.SCHOOL,
    "bevoegdgezag": Rol.BEVOEGD_GEZAG,
    "bestuur": Rol.BEVOEGD_GEZAG,
    "loket": Rol.SWV_LOKET,
    "swvloket": Rol.SWV_LOKET,
    "deskundige": Rol.DESKUNDIGE,
    "beheerder": Rol.BEHEERDER,
}
# A genodigde is invited per dossier (Toegang tab); a platform admin by the platform.
UITNODIGBARE_ROLLEN = frozenset(ROLNAMEN.values())


def _check(door: User) -> None:
    if not mag_in_organisatie(door, Recht.GEBRUIKERS_UITNODIGEN, door.organisatie_id):
        raise ValidationError(_("Alleen de beheerder nodigt gebruikers uit."))


def _sleutel(tekst: str) -> str:
    zonder = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", zonder.lower())


@dataclass
class Regel:
    nummer: int
    naam: str
    email: str
    rol_tekst: str
    scholen_tekst: str
    rol: str | None = None
    scholen: list[School] = field(default_factory=list)
    bestuur: Bestuur | None = None
    fouten: list[str] = field(default_factory=list)
    bestaand: User | None = None

    @property
    def voornaam(self) -> str:
        return self.naam.split(" ", 1)[0]

    @property
    def achternaam(self) -> str:
        return self.naam.split(" ", 1)[1] if " " in self.naam else ""

    @property
    def wordt_gemaakt(self) -> bool:
        return not self.fouten and self.bestaand is None


@dataclass
class Uitnodigingslijst:
    regels: list[Regel]

    @property
    def fouten(self) -> int:
        return sum(1 for r in self.regels if r.fouten)

    @property
    def nieuw(self) -> list[Regel]:
        return [r for r in self.regels if r.wordt_gemaakt]

    @property
    def bestaand(self) -> list[Regel]:
        return [r for r in self.regels if r.bestaand is not None and not r.fouten]


KOP_WOORDEN = {"naam", "email", "emailadres", "rol", "scholen", "school"}


def _rijen(tekst: str) -> list[tuple[int, list[str]]]:
    regels = [r for r in tekst.replace("\r\n", "\n").split("\n")]
    eerste = next((r for r in regels if r.strip()), "")
    scheiding = max((";", "\t", ","), key=eerste.count)
    uit = []
    for nummer, rij in enumerate(
        csv.reader(io.StringIO("\n".join(regels)), delimiter=scheiding), 1
    ):
        if not rij or not any(c.strip() for c in rij):
            continue
        if not uit and {_sleutel(c) for c in rij} & KOP_WOORDEN and "@" not in "".join(rij):
            continue  # a header row
        uit.append((nummer, [c.strip() for c in rij]))
    return uit


def uitnodigingen_lezen(*, door: User, tekst: str) -> Uitnodigingslijst:
    """Check every row without changing anything: the preview. Columns: naam, e-mailadres, rol,
    scholen (several separated by '|'; BRIN + vestiging such as 12AB00, or the exact name; for
    the bevoegd gezag the bestuur's name or bevoegd-gezagnummer)."""
    _check(door)
    org = door.organisatie_id
    scholen = list(School.objects.filter(organisatie_id=org, actief=True))
    per_code = {s.brin_vestiging: s for s in scholen}
    per_code.update({s.brin: s for s in scholen if s.vestiging == "00"})
    per_naam = {s.naam.lower(): s for s in scholen}
    besturen = list(Bestuur.objects.filter(organisatie_id=org))
    bestuur_per = {b.naam.lower(): b for b in besturen}
    bestuur_per.update({b.bevoegd_gezag_nummer: b for b in besturen if b.bevoegd_gezag_nummer})
    rijen = _rijen(tekst)
    # Compared case-insensitively: one query for the organisation's addresses.
    bestaande = {
        u.email.lower(): u for u in User.objects.filter(organisatie_id=org).exclude(email="")
    }
    gezien: set[str] = set()
    regels = []
    for nummer, rij in rijen:
        rij = rij + [""] * (4 - len(rij))
        regel = Regel(nummer, " ".join(rij[0].split()), rij[1].lower(), rij[2], rij[3])
        if not regel.naam:
            regel.fouten.append(_("De naam ontbreekt."))
        try:
            validate_email(regel.email)
        except ValidationError:
            regel.fouten.append(_("Geen geldig e-mailadres."))
        else:
            if regel.email in gezien:
                regel.fouten.append(_("Dit e-mailadres staat al eerder in de lijst."))
            gezien.add(regel.email)
            regel.bestaand = bestaande.get(regel.email)
        regel.rol = ROLNAMEN.get(_sleutel(regel.rol_tekst))
        if regel.rol is None:
            regel.fouten.append(
                _(
                    "Rol “%(rol)s” kan niet via een uitnodiging worden gegeven; kies school, "
                    "bevoegd gezag, loket, deskundige of beheerder."
                )
                % {"rol": regel.rol_tekst}
            )
        delen = [d.strip() for d in re.split(r"\|", regel.scholen_tekst) if d.strip()]
        if regel.rol == Rol.BEVOEGD_GEZAG:
            tekst_bestuur = regel.scholen_tekst.strip().lower()
            regel.bestuur = bestuur_per.get(tekst_bestuur)
            if regel.bestuur is None:
                # Or a school of the bestuur.
                school = per_code.get(tekst_bestuur.upper()) or per_naam.get(tekst_bestuur)
                regel.bestuur = school.bestuur if school else None
            if regel.bestuur is None:
                regel.fouten.append(
                    _("Onbekend bestuur: “%(naam)s”.") % {"naam": regel.scholen_tekst}
                    if regel.scholen_tekst
                    else _("Vul het bestuur in (naam of bevoegd-gezagnummer).")
                )
        elif regel.rol == Rol.SCHOOL:
            for deel in delen:
                school = per_code.get(deel.upper().replace(" ", "")) or per_naam.get(deel.lower())
                if school is None:
                    regel.fouten.append(_("Onbekende school: “%(naam)s”.") % {"naam": deel})
                else:
                    regel.scholen.append(school)
            if not delen:
                regel.fouten.append(_("Vul minstens één school in."))
        regels.append(regel)
    if not regels:
        raise ValidationError(_("Er staan geen regels in de lijst."))
    return Uitnodigingslijst(regels)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def uitnodigingen_versturen(*, door: User, tekst: str) -> list[User]:
    """Make the accounts of the rows without errors and queue their invitation mails. Refuses
    the whole list while any row has an error (the beheerder corrects and checks again)."""
    lijst = uitnodigingen_lezen(door=door, tekst=tekst)
    if lijst.fouten:
        raise ValidationError(_("Verbeter eerst de regels met een fout."))
    nieuw = []
    for regel in lijst.nieuw:
        gebruiker = gebruiker_create(
            door=door,
            gegevens={
                "first_name": regel.voornaam,
                "last_name": regel.achternaam,
                "email": regel.email,
                "rol": regel.rol,
                "bestuur": regel.bestuur,
            },
            scholen=regel.scholen,
        )
        uitnodiging = Uitnodiging.objects.create(
            organisatie_id=gebruiker.organisatie_id, gebruiker=gebruiker, door=door
        )
        enqueue_on_commit("overdracht.tasks.uitnodiging_mailen", uitnodiging_id=uitnodiging.pk)
        nieuw.append(gebruiker)
    return nieuw


def uitnodiging_opnieuw(*, door: User, uitnodiging: Uitnodiging) -> None:
    """Send a new link (the old one stops working) to someone who has not accepted yet."""
    _check(door)
    if uitnodiging.organisatie_id != door.organisatie_id:
        raise ValidationError(_("Deze uitnodiging hoort niet bij uw organisatie."))
    if uitnodiging.aangenomen_op is not None:
        raise ValidationError(_("Deze uitnodiging is al aangenomen."))
    enqueue_on_commit("overdracht.tasks.uitnodiging_mailen", uitnodiging_id=uitnodiging.pk)


def uitnodiging_mailen(*, uitnodiging_id: int) -> bool:
    """Background work: make a fresh one-time link (only its hash is stored), valid for seven
    days, and mail it. The mail holds no pupil data: the person's name, the organisation, the
    username and the link."""
    with transaction.atomic():
        uitnodiging = (
            Uitnodiging.objects.select_for_update()
            .select_related("gebruiker", "organisatie")
            .filter(pk=uitnodiging_id, aangenomen_op=None)
            .first()
        )
        if uitnodiging is None or not uitnodiging.gebruiker.is_active:
            return False
        token = secrets.token_urlsafe(32)
        nu = timezone.now()
        uitnodiging.token_hash = _hash(token)
        uitnodiging.verstuurd_op = nu
        uitnodiging.geldig_tot = nu + GELDIG
        uitnodiging.keer_verstuurd += 1
        uitnodiging.save(
            update_fields=["token_hash", "verstuurd_op", "geldig_tot", "keer_verstuurd"]
        )
    gebruiker = uitnodiging.gebruiker
    context = {
        "gebruiker": gebruiker,
        "organisatie": uitnodiging.organisatie,
        "link": settings.SITE_URL.rstrip("/") + reverse("overdracht:aannemen", args=[token]),
        "geldig_tot": timezone.localtime(uitnodiging.geldig_tot),
    }
    EmailMessage(
        subject=_("Uitnodiging voor Kindkans van %(organisatie)s")
        % {"organisatie": uitnodiging.organisatie.naam},
        body=render_to_string("emails/uitnodiging_account.txt", context),
        to=[gebruiker.email],
    ).send()
    return True


def uitnodiging_geldig(token: str) -> Uitnodiging | None:
    """The open invitation this link belongs to, or None (unknown, used, expired, replaced)."""
    if not token:
        return None
    return (
        Uitnodiging.objects.select_related("gebruiker", "organisatie")
        .filter(
            token_hash=_hash(token),
            aangenomen_op=None,
            geldig_tot__gt=timezone.now(),
            gebruiker__is_active=True,
        )
        .first()
    )


@transaction.atomic
def uitnodiging_aannemen(*, uitnodiging: Uitnodiging, wachtwoord_form, ip: str | None) -> User:
    """The invitee chose a password (Django's SetPasswordForm, validated by the caller): save
    it and close the link, so it works once."""
    locked = Uitnodiging.objects.select_for_update().get(pk=uitnodiging.pk)
    if locked.aangenomen_op is not None:
        raise ValidationError(_("Deze uitnodiging is al gebruikt."))
    gebruiker = wachtwoord_form.save()
    locked.aangenomen_op = timezone.now()
    locked.token_hash = ""
    locked.save(update_fields=["aangenomen_op", "token_hash"])
    beveiliging_log(
        gebeurtenis=Gebeurtenis.WACHTWOORD_GEWIJZIGD,
        gebruiker=gebruiker,
        ip=ip,
        toelichting=_("uitnodiging aangenomen"),
    )
    return gebruiker


def uitnodigingen_open(*, organisatie: Organisatie):
    return (
        Uitnodiging.objects.filter(organisatie=organisatie, aangenomen_op=None)
        .select_related("gebruiker")
        .order_by("gebruiker__last_name", "gebruiker__first_name")
    )
