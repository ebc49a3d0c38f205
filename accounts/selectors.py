"""Reads for login: organisations to choose from, a user's second-factor devices, the accounts a
password-reset request may be about."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import InlogTeller, Reservecodes, User
from organisaties.models import Organisatie


def organisaties_for_login() -> QuerySet[Organisatie]:
    return Organisatie.objects.filter(actief=True).only("code", "naam").order_by("naam")


def organisaties_search(*, tekst: str) -> list[Organisatie]:
    """Organisations matching what was typed in the type-ahead field, best first.

    An exact code or name ("VO2505", "VO2505 Apeldoorn", any case) is the one answer; otherwise
    every active organisation whose code or name contains the text ("VO25"). The caller accepts
    exactly one match and asks to choose among several, so a JavaScript-less browser that sends
    the typed text works as well as one that picked from the list.
    """
    tekst = " ".join(tekst.split())
    if not tekst:
        return []
    actief = organisaties_for_login()
    exact = list(actief.filter(Q(code__iexact=tekst) | Q(naam__iexact=tekst)))
    if exact:
        return exact
    return list(actief.filter(Q(code__icontains=tekst) | Q(naam__icontains=tekst))[:20])


def totp_device_for(*, gebruiker: User, confirmed: bool = True) -> TOTPDevice | None:
    return (
        TOTPDevice.objects.devices_for_user(gebruiker, confirmed=confirmed).order_by("-id").first()
    )


def reservecodes_device_for(*, gebruiker: User) -> Reservecodes | None:
    return Reservecodes.objects.devices_for_user(gebruiker, confirmed=True).first()


def reservecodes_remaining_for(*, gebruiker: User) -> int:
    device = reservecodes_device_for(gebruiker=gebruiker)
    return device.token_set.count() if device else 0


def gebruikers_for_herstel(*, organisatie: Organisatie | None, invoer: str) -> QuerySet[User]:
    """Active accounts a reset request in the one field "gebruikersnaam of e-mailadres" is about.

    Input with an @ is an e-mail address (every account with it, within the organisation when one
    was given); anything else is a username, which only means something within an organisation
    (without one: a platform account). Either kind works; there is no second field to conflict.
    """
    invoer = invoer.strip()
    if not invoer:
        return User.objects.none()
    actief = User.objects.filter(is_active=True).exclude(email="")
    if "@" in invoer:
        gebruikers = actief.filter(email__iexact=invoer)
        if organisatie is not None:
            gebruikers = gebruikers.filter(organisatie=organisatie)
        return gebruikers.filter(Q(organisatie__isnull=True) | Q(organisatie__actief=True))
    return actief.filter(organisatie=organisatie, username=invoer)


def inlogteller_blocked(teller: InlogTeller) -> bool:
    """Whether this counter refuses the next password attempt: the lockout rule, used by
    accounts.services.inlogpoging_reserve and shown in admin."""
    venster = dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    return (
        teller.mislukt >= settings.LOGIN_LOCKOUT_ATTEMPTS
        and timezone.now() - teller.laatste <= venster
    )


def gebruikers_for(
    *, user: User, zoek: str = "", rol: str = "", actief: str = ""
) -> QuerySet[User]:
    """The accounts of the beheerder's own organisation, with what the list shows in two queries
    (users + their schools)."""
    qs = (
        User.objects.filter(organisatie_id=user.organisatie_id)
        .select_related("bestuur")
        .prefetch_related("scholen")
        .order_by("last_name", "first_name", "username")
    )
    if zoek:
        qs = qs.filter(
            Q(username__icontains=zoek)
            | Q(first_name__icontains=zoek)
            | Q(last_name__icontains=zoek)
            | Q(email__icontains=zoek)
        )
    if rol:
        qs = qs.filter(rol=rol)
    if actief in ("ja", "nee"):
        qs = qs.filter(is_active=actief == "ja")
    return qs


def gebruikersnaam_suggest(*, organisatie_id: int, voornaam: str, achternaam: str) -> str:
    """The manual's advice: a name followed by the organisation code, e.g. "Piet Jansen VO2505",
    so someone with accounts at two SWVs can tell them apart. Made unique within the organisation
    with a number when needed ("Piet Jansen 2 VO2505")."""
    code = Organisatie.objects.values_list("code", flat=True).get(pk=organisatie_id)
    naam = " ".join(p for p in (voornaam.strip(), achternaam.strip()) if p) or "Gebruiker"
    bestaand = {
        u.lower()
        for u in User.objects.filter(
            organisatie_id=organisatie_id, username__istartswith=naam
        ).values_list("username", flat=True)
    }
    kandidaat = f"{naam} {code}"
    n = 2
    while kandidaat.lower() in bestaand:
        kandidaat = f"{naam} {n} {code}"
        n += 1
    return kandidaat
