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
from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import Rol, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Recht(StrEnum):
    # Pupil data (on what the access module shows)
    HULPVRAGEN_BEKIJKEN = "hulpvragen_bekijken"
    HULPVRAGENSCHERM = "hulpvragenscherm"
    GEDEELDE_DOSSIERS = "gedeelde_dossiers"
    HULPVRAAG_INDIENEN = "hulpvraag_indienen"
    BASISGEGEVENS_WIJZIGEN = "basisgegevens_wijzigen"
    LVS_BEWERKEN = "lvs_bewerken"
    FORMULIER_BEWERKEN = "formulier_bewerken"
    ONDERTEKENEN = "ondertekenen"
    BIJLAGE_TOEVOEGEN = "bijlage_toevoegen"
    BIJLAGE_VERWIJDEREN = "bijlage_verwijderen"
    STATUS_WIJZIGEN = "status_wijzigen"
    WERKVOORRAAD = "werkvoorraad"
    VRAGEN_STELLEN = "vragen_stellen"
    COORDINATOR_TOEWIJZEN = "coordinator_toewijzen"
    TOEGANG_VERLENEN = "toegang_verlenen"
    UITNODIGEN = "uitnodigen"
    BESLISSEN = "beslissen"
    ADVISEREN = "adviseren"
    VERGADERINGEN_BEHEREN = "vergaderingen_beheren"
    INTERNE_OVERLEGRONDE = "interne_overlegronde"
    AANPAK_PLAATSEN = "aanpak_plaatsen"
    PERSONEELSWIJZIGING_AANVRAGEN = "personeelswijziging_aanvragen"
    OUDERS_UITNODIGEN = "ouders_uitnodigen"
    # Beheer (of the own organisation; the platform admin for all)
    GEBRUIKERS_BEHEREN = "gebruikers_beheren"
    GEBRUIKERS_BEKIJKEN = "gebruikers_bekijken"
    GEBRUIKERS_BEHEREN_IN_ADMIN = "gebruikers_beheren_in_admin"
    TWEEDE_FACTOR_RESETTEN = "tweede_factor_resetten"
    BLOKKERING_OPHEFFEN = "blokkering_opheffen"
    IDENTITEITSPROVIDERS_BEHEREN = "identiteitsproviders_beheren"
    SCHOLEN_BEHEREN = "scholen_beheren"
    LABELS_BEHEREN = "labels_beheren"
    PROCESSEN_BEHEREN = "processen_beheren"
    PROCESSEN_BEKIJKEN = "processen_bekijken"
    BIJLAGEVEREISTEN_BEHEREN = "bijlagevereisten_beheren"
    LOKETINSTELLINGEN_BEHEREN = "loketinstellingen_beheren"
    LVS_INSTELLINGEN_BEHEREN = "lvs_instellingen_beheren"
    NIEUWS_BEHEREN = "nieuws_beheren"
    LEERLINGGEGEVENS_IN_ADMIN = "leerlinggegevens_in_admin"
    BRIEFSJABLONEN_BEHEREN = "briefsjablonen_beheren"
    ORGANISATIE_AANMAKEN = "organisatie_aanmaken"
    ORGANISATIE_WIJZIGEN = "organisatie_wijzigen"
    BEHEERSCHERMEN = "beheerschermen"
    BEWAARTERMIJNEN_BEHEREN = "bewaartermijnen_beheren"
    AUDITLOG_BEKIJKEN = "auditlog_bekijken"
    MAILSTORING_ZIEN = "mailstoring_zien"
    KENGETALLEN_BEKIJKEN = "kengetallen_bekijken"
    EXPORTEREN = "exporteren"
    # Coming on board and leaving (the overdracht app)
    SCHOLEN_INLEZEN = "scholen_inlezen"
    GEBRUIKERS_UITNODIGEN = "gebruikers_uitnodigen"
    API_KOPPELINGEN_BEHEREN = "api_koppelingen_beheren"
    SWV_EXPORTEREN = "swv_exporteren"
    SWV_IMPORTEREN = "swv_importeren"


OMSCHRIJVING: dict[Recht, StrOrPromise] = {
    Recht.HULPVRAGEN_BEKIJKEN: _("Hulpvragen en dossiers bekijken (wat de toegangsmodule toont)"),
    Recht.HULPVRAGENSCHERM: _("Het scherm Hulpvragen (zoeken, lijst, export)"),
    Recht.GEDEELDE_DOSSIERS: _("Gedeelde dossiers: alleen wat met een genodigde is gedeeld"),
    Recht.HULPVRAAG_INDIENEN: _("Een dossier of hulpvraag aanmaken"),
    Recht.BASISGEGEVENS_WIJZIGEN: _("Adres en schoolgegevens van de leerling wijzigen"),
    Recht.LVS_BEWERKEN: _("LVS-gegevens invoeren (toetsen, IQ, sociaal-emotioneel)"),
    Recht.FORMULIER_BEWERKEN: _("Het formulier invullen (tot de eindstatus)"),
    Recht.ONDERTEKENEN: _("Een formulier ondertekenen (bevoegd gezag van de school)"),
    Recht.BIJLAGE_TOEVOEGEN: _("Een bijlage toevoegen (school en bestuur tot de eindstatus)"),
    Recht.BIJLAGE_VERWIJDEREN: _("Een eigen bijlage verwijderen of intrekken"),
    Recht.STATUS_WIJZIGEN: _("De status wijzigen (welke overgang: het proces bepaalt)"),
    Recht.WERKVOORRAAD: _("De werkvoorraad van het loket"),
    Recht.VRAGEN_STELLEN: _("Incompleet of vragen stellen"),
    Recht.COORDINATOR_TOEWIJZEN: _("Coördinator en labels toewijzen"),
    Recht.TOEGANG_VERLENEN: _("Leestoegang verlenen aan een deskundige (tab Toegang, admin)"),
    Recht.UITNODIGEN: _("Een genodigde uitnodigen (tijdelijke leestoegang)"),
    Recht.BESLISSEN: _("Besluiten: TLV, afwijzing, FA; deskundigen toewijzen"),
    Recht.ADVISEREN: _("Deskundigenadvies uitbrengen (eigen toewijzing)"),
    Recht.VERGADERINGEN_BEHEREN: _("Vergaderingen (BAG, PrO) plannen en agenderen"),
    Recht.INTERNE_OVERLEGRONDE: _("Een interne overlegronde van de school houden"),
    Recht.AANPAK_PLAATSEN: _("De aanpak plaatsen"),
    Recht.PERSONEELSWIJZIGING_AANVRAGEN: _("Een personeelswijziging aanvragen"),
    Recht.OUDERS_UITNODIGEN: _(
        "Ouders uitnodigen om de aanvraag online te lezen en voor gezien te tekenen; hun "
        "correctievoorstellen beoordelen"
    ),
    Recht.GEBRUIKERS_BEHEREN: _("Gebruikers aanmaken, wijzigen, (de)activeren"),
    Recht.GEBRUIKERS_BEKIJKEN: _("Gebruikers bekijken in de admin"),
    Recht.GEBRUIKERS_BEHEREN_IN_ADMIN: _(
        "Gebruikers beheren in de admin (de beheerder doet dat op het scherm Gebruikers)"
    ),
    Recht.TWEEDE_FACTOR_RESETTEN: _("De tweede factor van een gebruiker resetten"),
    Recht.BLOKKERING_OPHEFFEN: _("Een inlogblokkering opheffen"),
    Recht.IDENTITEITSPROVIDERS_BEHEREN: _(
        "Inloggen met het account van de school: providers, verplichte inlog per school"
    ),
    Recht.SCHOLEN_BEHEREN: _("Scholen en besturen beheren"),
    Recht.LABELS_BEHEREN: _("Labels beheren"),
    Recht.PROCESSEN_BEHEREN: _("Processen, formulierdefinities en typen per sector beheren"),
    Recht.PROCESSEN_BEKIJKEN: _("Processen en formulierdefinities bekijken"),
    Recht.BIJLAGEVEREISTEN_BEHEREN: _("Verplichte documentsoorten per hulpvraagtype"),
    Recht.LOKETINSTELLINGEN_BEHEREN: _("Beslistermijn en loketinstellingen"),
    Recht.LVS_INSTELLINGEN_BEHEREN: _("PrO-drempels en maandtabel (LVS-instellingen)"),
    Recht.NIEUWS_BEHEREN: _("Algemeen nieuws op de startpagina (platformbreed)"),
    Recht.LEERLINGGEGEVENS_IN_ADMIN: _(
        "Leerlinggegevens bekijken in de admin (alleen wat de toegangsmodule toont)"
    ),
    Recht.BRIEFSJABLONEN_BEHEREN: _("Briefsjablonen beheren"),
    Recht.ORGANISATIE_AANMAKEN: _("Een samenwerkingsverband aanmaken"),
    Recht.ORGANISATIE_WIJZIGEN: _("Contactgegevens en informatie van de organisatie wijzigen"),
    Recht.BEHEERSCHERMEN: _("De beheerschermen (/swv/): personeelswijziging, scholen"),
    Recht.BEWAARTERMIJNEN_BEHEREN: _("Bewaartermijnen, inzageverzoeken"),
    Recht.AUDITLOG_BEKIJKEN: _("Het auditlog bekijken"),
    Recht.MAILSTORING_ZIEN: _("Een storing van de uitgaande mail zien (startpagina)"),
    Recht.KENGETALLEN_BEKIJKEN: _("Kengetallen bekijken (zonder leerlingnamen)"),
    Recht.EXPORTEREN: _("De lijst met termijn verstreken (met leerlingen) zien en exporteren"),
    Recht.SCHOLEN_INLEZEN: _("Scholen en besturen inlezen uit de open data van DUO"),
    Recht.GEBRUIKERS_UITNODIGEN: _(
        "Gebruikers uitnodigen met een lijst (e-mail met eenmalige link)"
    ),
    Recht.API_KOPPELINGEN_BEHEREN: _("API-koppelingen (LVS) en hun tokens beheren"),
    Recht.SWV_EXPORTEREN: _(
        "Een volledige, versleutelde export van het samenwerkingsverband maken en downloaden"
    ),
    Recht.SWV_IMPORTEREN: _(
        "Een export van een samenwerkingsverband inlezen als nieuwe organisatie"
    ),
}

_SCHOOLKANT = frozenset({Rol.SCHOOL, Rol.BEVOEGD_GEZAG})
_SWV_BEHEER = frozenset({Rol.SWV_LOKET, Rol.BEHEERDER})
_LOKET = frozenset({Rol.SWV_LOKET})
_BEHEERDER = frozenset({Rol.BEHEERDER})

ROLLEN: dict[Recht, frozenset[str]] = {
    Recht.HULPVRAGEN_BEKIJKEN: _SCHOOLKANT | {Rol.SWV_LOKET, Rol.DESKUNDIGE, Rol.GENODIGDE},
    Recht.HULPVRAGENSCHERM: _SCHOOLKANT | {Rol.SWV_LOKET, Rol.DESKUNDIGE},
    Recht.GEDEELDE_DOSSIERS: frozenset({Rol.GENODIGDE}),
    Recht.HULPVRAAG_INDIENEN: frozenset({Rol.SCHOOL, Rol.SWV_LOKET}),
    Recht.BASISGEGEVENS_WIJZIGEN: frozenset({Rol.SCHOOL, Rol.SWV_LOKET}),
    Recht.LVS_BEWERKEN: frozenset({Rol.SCHOOL, Rol.SWV_LOKET}),
    Recht.FORMULIER_BEWERKEN: frozenset({Rol.SCHOOL}),
    Recht.ONDERTEKENEN: frozenset({Rol.BEVOEGD_GEZAG}),
    Recht.BIJLAGE_TOEVOEGEN: _SCHOOLKANT | _LOKET,
    # Everybody who may add one removes their own (bijlage_remove_allowed: own and once).
    Recht.BIJLAGE_VERWIJDEREN: _SCHOOLKANT | _LOKET,
    Recht.STATUS_WIJZIGEN: frozenset({Rol.SCHOOL, Rol.SWV_LOKET}),
    Recht.WERKVOORRAAD: _LOKET,
    Recht.VRAGEN_STELLEN: _LOKET,
    Recht.COORDINATOR_TOEWIJZEN: _LOKET,
    Recht.TOEGANG_VERLENEN: _LOKET,
    # The loket invites for the SWV, a school for its own internal overlegronde.
    Recht.UITNODIGEN: frozenset({Rol.SWV_LOKET, Rol.SCHOOL}),
    Recht.BESLISSEN: _LOKET,
    Recht.ADVISEREN: frozenset({Rol.DESKUNDIGE}),
    Recht.VERGADERINGEN_BEHEREN: _LOKET,
    Recht.INTERNE_OVERLEGRONDE: frozenset({Rol.SCHOOL}),
    Recht.AANPAK_PLAATSEN: _LOKET,
    Recht.PERSONEELSWIJZIGING_AANVRAGEN: frozenset({Rol.SCHOOL}),
    # The school puts the form before the parents (the manual's step "aan ouders voorleggen").
    Recht.OUDERS_UITNODIGEN: frozenset({Rol.SCHOOL}),
    Recht.GEBRUIKERS_BEHEREN: frozenset({Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.GEBRUIKERS_BEKIJKEN: _SWV_BEHEER | {Rol.PLATFORM},
    Recht.GEBRUIKERS_BEHEREN_IN_ADMIN: frozenset({Rol.PLATFORM}),
    Recht.TWEEDE_FACTOR_RESETTEN: frozenset({Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.BLOKKERING_OPHEFFEN: _SWV_BEHEER | {Rol.PLATFORM},
    Recht.IDENTITEITSPROVIDERS_BEHEREN: frozenset({Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.SCHOLEN_BEHEREN: _SWV_BEHEER | {Rol.PLATFORM},
    Recht.LABELS_BEHEREN: _SWV_BEHEER | {Rol.PLATFORM},
    Recht.PROCESSEN_BEHEREN: frozenset({Rol.BEHEERDER, Rol.PLATFORM}),
    Recht.PROCESSEN_BEKIJKEN: _SWV_BEHEER | {Rol.PLATFORM},
    Recht.BIJLAGEVEREISTEN_BEHEREN: _SWV_BEHEER | {Rol.PLATFORM},
    Recht.LOKETINSTELLINGEN_BEHEREN: _BEHEERDER,
    Recht.LVS_INSTELLINGEN_BEHEREN: _BEHEERDER | {Rol.PLATFORM},
    Recht.NIEUWS_BEHEREN: frozenset({Rol.PLATFORM}),
    Recht.LEERLINGGEGEVENS_IN_ADMIN: _LOKET,
    Recht.BRIEFSJABLONEN_BEHEREN: _BEHEERDER,
    Recht.ORGANISATIE_AANMAKEN: frozenset({Rol.PLATFORM}),
    Recht.ORGANISATIE_WIJZIGEN: _SWV_BEHEER | {Rol.PLATFORM},
    Recht.BEHEERSCHERMEN: _SWV_BEHEER,
    Recht.BEWAARTERMIJNEN_BEHEREN: _BEHEERDER,
    Recht.AUDITLOG_BEKIJKEN: _BEHEERDER,
    Recht.MAILSTORING_ZIEN: _BEHEERDER,
    Recht.KENGETALLEN_BEKIJKEN: _SWV_BEHEER,
    Recht.EXPORTEREN: _LOKET,
    Recht.SCHOLEN_INLEZEN: _BEHEERDER,
    Recht.GEBRUIKERS_UITNODIGEN: _BEHEERDER,
    Recht.API_KOPPELINGEN_BEHEREN: _BEHEERDER,
    Recht.SWV_EXPORTEREN: _BEHEERDER,
    Recht.SWV_IMPORTEREN: frozenset({Rol.PLATFORM}),
}

# Which party of a process transition (Overgang.door / KiezenDoor) a role acts as when it changes
# a status by hand; which transitions exist per party is the process's (the engine's) business.
STATUSPARTIJ: dict[str, str] = {Rol.SCHOOL: "school", Rol.SWV_LOKET: "swv"}


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


def mag_in_eigen_organisatie(user: User, recht: Recht | str) -> bool:
    """`mag` for an SWV's own screens: a user of an organisation (never the platform admin, who
    has none)."""
    return user.is_authenticated and user.organisatie_id is not None and mag(user, recht)


def recht_vereist(recht: Recht):
    """View decorator: logged in, and `recht` in the own organisation; everybody else gets 404
    (a screen one may not use does not exist for one)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not mag_in_eigen_organisatie(request.user, recht):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# --- Capabilities that also depend on the object -------------------------------------------------
# (The object is always one the access module already showed the user.)


def status_partij(user: User) -> str | None:
    """The party (KiezenDoor) `user` acts as on "Status wijzigen", None for roles that change no
    status by hand. The engine then offers the transitions of that party from the current status,
    with their checks (hulpvragen.selectors.available_transitions)."""
    if not mag(user, Recht.STATUS_WIJZIGEN):
        return None
    return STATUSPARTIJ.get(user.rol)


def mag_bijlage_toevoegen(user: User, hulpvraag) -> bool:
    """The school (and its board) uploads until a final status, or in a final status configured
    for a follow-up (the FA evaluation after "FA afgegeven"); the SWV loket uploads too (the
    questions document, letters), also after the decision. Deskundigen read only."""
    if not mag(user, Recht.BIJLAGE_TOEVOEGEN):
        return False
    if user.rol in _SCHOOLKANT:
        return hulpvraag.status.open
    return True


def mag_bijlage_verwijderen(user: User, bijlage) -> bool:
    """Only one's own bijlage, once. While the hulpvraag is a voorlopige aanvraag it is really
    deleted; afterwards removing is a visible withdrawal (see bijlage_remove)."""
    return (
        mag(user, Recht.BIJLAGE_VERWIJDEREN)
        and bijlage.geupload_door_id == user.pk
        and bijlage.ingetrokken_op is None
    )


def mag_formulier_bewerken(user: User, formulier) -> bool:
    """Schools fill in their forms; nobody edits a form of a closed hulpvraag."""
    return mag(user, Recht.FORMULIER_BEWERKEN) and not formulier.hulpvraag.status.eindstatus


def mag_ondertekenen(user: User, bestuur) -> bool:
    """The bevoegd gezag signs for its own bestuur only."""
    return mag(user, Recht.ONDERTEKENEN) and bestuur is not None and user.bestuur_id == bestuur.pk


def mag_ouders_uitnodigen(user: User, hulpvraag) -> bool:
    """The school invites the parents (and handles their invitations and proposals) while the
    hulpvraag is not closed."""
    return mag(user, Recht.OUDERS_UITNODIGEN) and not hulpvraag.status.eindstatus


def mag_toegang_intrekken(user: User, toegang) -> bool:
    """The loket revokes the SWV's grants; a school only the invitations of its own internal
    overlegronde."""
    if mag(user, Recht.TOEGANG_VERLENEN):
        return not toegang.schoolintern
    return mag(user, Recht.INTERNE_OVERLEGRONDE) and toegang.schoolintern


def tabel() -> list[tuple[Recht, str, dict[str, bool]]]:
    """The role × capability table (for docs/rechten.md and its test)."""
    return [
        (recht, str(OMSCHRIJVING[recht]), {rol: rol in ROLLEN[recht] for rol in Rol.values})
        for recht in Recht
    ]
