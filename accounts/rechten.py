"""THE capability module: "may this user do X (to this object)?".

Visibility of pupil data stays in the access module (`hulpvragen/access.py`: which rows a user
sees; anything else answers 404). This module decides which *actions* a user may take on what is
visible: views, templates (the `mag` template tag in `accounts/templatetags/rechten.py`), the
admin's `has_*_permission` and the services all ask it, so "who may upload a bijlage" is changed
in one place (`ROLLEN` below) and every path follows.

- `ROLLEN` maps each capability to the roles that hold it. A platform admin (superuser or rol
  "platform", no organisation) counts as `Rol.PLATFORM` and only holds the beheer capabilities
  that say so; it never holds pupil-data capabilities.
- `mag(user, recht)` answers the role question; `mag_in_organisatie(user, recht, organisatie_id)`
  adds the organisation (an SWV user acts only in the own organisation, a platform admin in any).
- Capabilities that also depend on the object (the status of a hulpvraag, the engine's
  per-transition roles) have their own `mag_*` function here, which starts from `mag`.

`python manage.py rechten_matrix` writes docs/rechten.md from this table.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from accounts.models import Rol, User


class Recht(StrEnum):
    # Pupil data (on what the access module shows)
    HULPVRAGEN_BEKIJKEN = "hulpvragen_bekijken"
    HULPVRAAG_INDIENEN = "hulpvraag_indienen"
    BASISGEGEVENS_WIJZIGEN = "basisgegevens_wijzigen"
    TOEGANG_VERLENEN = "toegang_verlenen"
    UITNODIGEN = "uitnodigen"
    # Beheer (of the own organisation; the platform admin for all)
    GEBRUIKERS_BEHEREN = "gebruikers_beheren"
    GEBRUIKERS_BEKIJKEN = "gebruikers_bekijken"
    SCHOLEN_BEHEREN = "scholen_beheren"
    LABELS_BEHEREN = "labels_beheren"
    PROCESSEN_BEHEREN = "processen_beheren"
    PROCESSEN_BEKIJKEN = "processen_bekijken"
    ORGANISATIE_AANMAKEN = "organisatie_aanmaken"
    ORGANISATIE_WIJZIGEN = "organisatie_wijzigen"
    BEHEERSCHERMEN = "beheerschermen"
    BEWAARTERMIJNEN_BEHEREN = "bewaartermijnen_beheren"
    AUDITLOG_BEKIJKEN = "auditlog_bekijken"
    KENGETALLEN_BEKIJKEN = "kengetallen_bekijken"


OMSCHRIJVING: dict[Recht, str] = {
    Recht.HULPVRAGEN_BEKIJKEN: _("Hulpvragen en dossiers bekijken (wat de toegangsmodule toont)"),
    Recht.HULPVRAAG_INDIENEN: _("Een dossier of hulpvraag aanmaken"),
    Recht.BASISGEGEVENS_WIJZIGEN: _("Adres en schoolgegevens van de leerling wijzigen"),
    Recht.TOEGANG_VERLENEN: _("Leestoegang verlenen aan een deskundige (tab Toegang, admin)"),
    Recht.UITNODIGEN: _("Een genodigde uitnodigen (tijdelijke leestoegang)"),
    Recht.GEBRUIKERS_BEHEREN: _("Gebruikers aanmaken, wijzigen, (de)activeren"),
    Recht.GEBRUIKERS_BEKIJKEN: _("Gebruikers bekijken in de admin"),
    Recht.SCHOLEN_BEHEREN: _("Scholen en besturen beheren"),
    Recht.LABELS_BEHEREN: _("Labels beheren"),
    Recht.PROCESSEN_BEHEREN: _("Processen, formulierdefinities en typen per sector beheren"),
    Recht.PROCESSEN_BEKIJKEN: _("Processen en formulierdefinities bekijken"),
    Recht.ORGANISATIE_AANMAKEN: _("Een samenwerkingsverband aanmaken"),
    Recht.ORGANISATIE_WIJZIGEN: _("Contactgegevens en informatie van de organisatie wijzigen"),
    Recht.BEHEERSCHERMEN: _("De beheerschermen (/swv/): personeelswijziging, scholen"),
    Recht.BEWAARTERMIJNEN_BEHEREN: _("Bewaartermijnen instellen, inzageverzoeken"),
    Recht.AUDITLOG_BEKIJKEN: _("Het auditlog bekijken"),
    Recht.KENGETALLEN_BEKIJKEN: _("Kengetallen bekijken"),
}

_SWV_BEHEER = frozenset({Rol.SWV_LOKET, Rol.BEHEERDER})

ROLLEN: dict[Recht, frozenset[str]] = {
    Recht.HULPVRAGEN_BEKIJKEN: frozenset(
        {Rol.SCHOOL, Rol.BEVOEGD_GEZAG, Rol.SWV_LOKET, Rol.DESKUNDIGE, Rol.GENODIGDE}
    ),
    Recht.HULPVRAAG_INDIENEN: frozenset({Rol.SCHOOL}),
    Recht.BASISGEGEVENS_WIJZIGEN: frozenset({Rol.SCHOOL, Rol.SWV_LOKET}),
    Recht.TOEGANG_VERLENEN: frozenset({Rol.SWV_LOKET}),
    # The loket invites for the SWV, a school for its own internal overlegronde.
    Recht.UITNODIGEN: frozenset({Rol.SWV_LOKET, Rol.SCHOOL}),
    Recht.GEBRUIKERS_BEHEREN: frozenset({Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.GEBRUIKERS_BEKIJKEN: frozenset({Rol.SWV_LOKET, Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.SCHOLEN_BEHEREN: frozenset({Rol.SWV_LOKET, Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.LABELS_BEHEREN: frozenset({Rol.SWV_LOKET, Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.PROCESSEN_BEHEREN: frozenset({Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.PROCESSEN_BEKIJKEN: frozenset({Rol.SWV_LOKET, Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.ORGANISATIE_AANMAKEN: frozenset({Rol.PLATFORM}),
    Recht.ORGANISATIE_WIJZIGEN: frozenset({Rol.SWV_LOKET, Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.BEHEERSCHERMEN: _SWV_BEHEER,
    Recht.BEWAARTERMIJNEN_BEHEREN: frozenset({Rol.BEHEERDER}),
    Recht.AUDITLOG_BEKIJKEN: frozenset({Rol.BEHEERDER}),
    Recht.KENGETALLEN_BEKIJKEN: _SWV_BEHEER,
}


def is_platformbeheerder(user: User) -> bool:
    """A platform admin: every organisation, no pupil data."""
    return bool(
        user.is_authenticated and user.is_active and (user.is_superuser or user.rol == Rol.PLATFORM)
    )


def rol_van(user: User) -> str | None:
    """The role the table is read with: None for an anonymous or inactive user and for an SWV
    role without an organisation (which cannot act anywhere)."""
    if not (user.is_authenticated and user.is_active):
        return None
    if is_platformbeheerder(user):
        return Rol.PLATFORM
    if user.organisatie_id is None:
        return None
    return user.rol


def mag(user: User, recht: Recht | str) -> bool:
    """May `user` (in principle, in the own organisation) do `recht`?"""
    rol = rol_van(user)
    return rol is not None and rol in ROLLEN[Recht(recht)]


def mag_in_organisatie(user: User, recht: Recht | str, organisatie_id: int | None) -> bool:
    """`mag`, for something of organisation `organisatie_id`: an SWV user only in the own
    organisation, a platform admin in any."""
    if not mag(user, recht):
        return False
    return is_platformbeheerder(user) or (
        organisatie_id is not None and organisatie_id == user.organisatie_id
    )
