"""User management (the beheerder's Gebruikers screen and the platform admin in admin): one
personal account per person per organisation; see docs/beheer-en-privacy.md."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from accounts.rechten import Recht, is_platformbeheerder, mag_in_organisatie
from accounts.selectors import gebruikersnaam_suggest
from accounts.services import sessies_end

_MEDEWERKER_ROLLEN = {Rol.SWV_LOKET, Rol.BEHEERDER, Rol.PLATFORM}


def _check_gebruikersbeheer(door: User, organisatie_id: int | None) -> None:
    if not mag_in_organisatie(door, Recht.GEBRUIKERS_BEHEREN, organisatie_id):
        raise ValidationError(_("Alleen de beheerder beheert gebruikers."))


def _koppelingen_schoon(gebruiker: User, scholen) -> list:
    """Schools belong to the school role, a bestuur to the bevoegd gezag: anything else is
    dropped, so a role change never leaves access behind. Staff status (the admin) follows the
    role; superuser status only ever stays with a platform account."""
    if gebruiker.rol != Rol.BEVOEGD_GEZAG:
        gebruiker.bestuur = None
    gebruiker.is_staff = gebruiker.rol in _MEDEWERKER_ROLLEN
    if gebruiker.rol != Rol.PLATFORM:
        gebruiker.is_superuser = False
    if gebruiker.rol == Rol.PLATFORM:
        gebruiker.organisatie = None
    return list(scholen) if gebruiker.rol == Rol.SCHOOL else []


def _check_koppelingen(gebruiker: User, scholen: list) -> None:
    if any(s.organisatie_id != gebruiker.organisatie_id for s in scholen):
        raise ValidationError({"scholen": _("Kies scholen van de eigen organisatie.")})
    bestuur = gebruiker.bestuur
    if bestuur is not None and bestuur.organisatie_id != gebruiker.organisatie_id:
        raise ValidationError({"bestuur": _("Kies een bestuur van de eigen organisatie.")})


def gebruiker_check(*, door: User, gebruiker: User, scholen=()) -> None:
    """The checks of every user write, also run by the admin form's clean before saving:
    the role may be chosen by `door`, and the username is unique within its organisation
    regardless of case."""
    if gebruiker.rol == Rol.PLATFORM and not is_platformbeheerder(door):
        raise ValidationError({"rol": _("Deze rol kan hier niet worden gekozen.")})
    if gebruiker.rol != Rol.PLATFORM and gebruiker.organisatie_id is None:
        raise ValidationError({"organisatie": _("Kies de organisatie van deze gebruiker.")})
    if gebruiker.username:
        zelfde = User.objects.filter(
            organisatie_id=None if gebruiker.rol == Rol.PLATFORM else gebruiker.organisatie_id,
            username__iexact=gebruiker.username,
        )
        if gebruiker.pk:
            zelfde = zelfde.exclude(pk=gebruiker.pk)
        if zelfde.exists():
            raise ValidationError(
                {"username": _("Deze gebruikersnaam bestaat al in deze organisatie.")}
            )
    _check_koppelingen(gebruiker, list(scholen) if gebruiker.rol == Rol.SCHOOL else [])


@transaction.atomic
def gebruiker_create(*, door: User, gegevens: dict, scholen=()) -> User:
    """A personal account in the beheerder's organisation (a platform admin passes the
    organisation in `gegevens`). It gets no password: the person sets one through "Wachtwoord
    vergeten" (the beheerder never knows it) and then links the authenticator app at the first
    login."""
    gegevens = dict(gegevens)
    if not is_platformbeheerder(door):
        gegevens.pop("organisatie", None)
        gegevens["organisatie_id"] = door.organisatie_id
    gebruiker = User(**gegevens)
    _check_gebruikersbeheer(door, gebruiker.organisatie_id)
    if gebruiker.rol == Rol.PLATFORM and not is_platformbeheerder(door):
        raise ValidationError(_("Deze rol kan hier niet worden gekozen."))
    # A suggestion needs the organisation's code; a platform admin (none) must give a name.
    if not gebruiker.username and gebruiker.organisatie_id is not None:
        gebruiker.username = gebruikersnaam_suggest(
            organisatie_id=gebruiker.organisatie_id,
            voornaam=gebruiker.first_name,
            achternaam=gebruiker.last_name,
        )
    scholen = _koppelingen_schoon(gebruiker, scholen)
    gebruiker_check(door=door, gebruiker=gebruiker, scholen=scholen)
    gebruiker.set_unusable_password()
    gebruiker.full_clean(exclude=["password"])
    gebruiker.save()
    gebruiker.scholen.set(scholen)
    return gebruiker


@transaction.atomic
def gebruiker_update(*, door: User, gebruiker: User, scholen=()) -> User:
    """Save the changed fields of `gebruiker` (names, e-mail, role, bestuur, active) and its
    schools."""
    oud = User.objects.filter(pk=gebruiker.pk).values("organisatie_id", "rol", "is_active").first()
    if oud is None:
        raise ValidationError(_("Deze gebruiker hoort niet bij uw organisatie."))
    _check_gebruikersbeheer(door, oud["organisatie_id"])
    if not is_platformbeheerder(door) and (
        gebruiker.organisatie_id != door.organisatie_id
        or Rol.PLATFORM in (gebruiker.rol, oud["rol"])
    ):
        raise ValidationError(_("Deze gebruiker hoort niet bij uw organisatie."))
    if gebruiker.pk == door.pk and gebruiker.rol != door.rol:
        raise ValidationError(_("U kunt uw eigen rol als beheerder niet afnemen."))
    if gebruiker.pk == door.pk and not gebruiker.is_active:
        raise ValidationError(_("U kunt uw eigen account niet deactiveren."))
    scholen = _koppelingen_schoon(gebruiker, scholen)
    gebruiker_check(door=door, gebruiker=gebruiker, scholen=scholen)
    gebruiker.full_clean(exclude=["password"])
    gebruiker.save()
    gebruiker.scholen.set(scholen)
    if oud["is_active"] and not gebruiker.is_active:
        sessies_end(gebruiker=gebruiker)
    return gebruiker


@transaction.atomic
def gebruiker_set_actief(*, door: User, gebruiker: User, actief: bool) -> User:
    """Deactivate (the account can no longer log in; its history and name stay) or reactivate."""
    _check_gebruikersbeheer(door, gebruiker.organisatie_id)
    if gebruiker.pk == door.pk and not actief:
        raise ValidationError(_("U kunt uw eigen account niet deactiveren."))
    gebruiker.is_active = actief
    gebruiker.save(update_fields=["is_active"])
    if not actief:
        # The login's own service: sessions that are still open end at their next request.
        sessies_end(gebruiker=gebruiker)
    return gebruiker
