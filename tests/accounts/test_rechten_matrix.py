"""The capability module (accounts/rechten.py) is the one answer to "may this user do X?", and the
real screens and admin follow it: for every role, every walked capability is tried through the
views a user takes; allowed → it works, refused → 403/404 (or the admin's login page for a
non-staff account) and nothing changed. docs/rechten.md is generated from the module and must be
current."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.management.commands.rechten_matrix import PAD, matrix
from accounts.models import Rol
from accounts.rechten import ROLLEN, Recht, mag
from dossiers.models import Adres
from hulpvragen.models import Toegang
from hulpvragen.tabs import tab_url
from tests.factories import UserFactory, grant_toegang
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_the_docs_page_is_current():
    assert PAD.read_text(encoding="utf-8") == matrix(), (
        "docs/rechten.md is not current: run `python manage.py rechten_matrix`"
    )


def test_every_capability_names_its_roles_and_description():
    for recht in Recht:
        assert recht in ROLLEN
        assert ROLLEN[recht] <= set(Rol.values)


# --- The walk ----------------------------------------------------------------------------------


@dataclass
class Poging:
    """What a try did: the response status and whether the data changed."""

    status: int
    gewijzigd: bool = False
    naar_admin_login: bool = False


def _get(client, url: str) -> Poging:
    response = client.get(url)
    login_url = reverse("admin:login")
    return Poging(
        response.status_code,
        naar_admin_login=response.status_code == 302 and response["Location"].startswith(login_url),
    )


def _admin(naam: str, *args) -> Callable:
    return lambda client, world, user: _get(client, reverse(f"admin:{naam}", args=args))


def _scherm(naam: str, *args, query: str = "") -> Callable:
    return lambda client, world, user: _get(client, reverse(naam, args=args) + query)


def _basisgegevens(client, world, user) -> Poging:
    hv = world.hv_a_ingediend
    voor = Adres.objects.filter(leerling=hv.leerling).count()
    response = client.post(
        tab_url(hv.pk, "basisgegevens"),
        {
            "straat": "Nieuwstraat",
            "huisnummer": "3",
            "postcode": "7311 AB",
            "woonplaats": "Apeldoorn",
            "ingangsdatum": "01-01-2026",
        },
    )
    na = Adres.objects.filter(leerling=hv.leerling).count()
    return Poging(response.status_code, gewijzigd=na != voor)


def _toegang(client, world, user) -> Poging:
    hv = world.hv_a_ingediend
    voor = Toegang.objects.filter(gebruiker=world.deskundige_2).count()
    response = client.post(tab_url(hv.pk, "toegang"), {"gebruiker": world.deskundige_2.pk})
    na = Toegang.objects.filter(gebruiker=world.deskundige_2).count()
    return Poging(response.status_code, gewijzigd=na != voor)


def _gebruikers(client, world, user) -> Poging:
    if user.organisatie_id is None:  # the platform admin has no SWV screens: the admin
        return _get(client, reverse("admin:accounts_user_add"))
    return _get(client, reverse("beheer:gebruikers"))


def _organisatie_wijzigen(client, world, user) -> Poging:
    if user.organisatie_id is None:
        return _get(client, reverse("admin:organisaties_organisatie_change", args=[world.org.pk]))
    return _get(client, reverse("informatie_wijzigen"))


#: Capability → how a user tries it. A capability that is not walked here is listed in
#: ELDERS with the test that covers it per role (the object-dependent ones, tried on a hulpvraag
#: per role: tests/accounts/test_rechten_objecten.py), so a new capability fails until it is one of
#: the two.
WANDELING: dict[Recht, Callable] = {
    Recht.HULPVRAGENSCHERM: _scherm("hulpvragen:lijst"),
    Recht.LEERLINGGEGEVENS_IN_ADMIN: _admin("dossiers_leerling_changelist"),
    Recht.LVS_INSTELLINGEN_BEHEREN: _admin("dossiers_lvsinstellingen_add"),
    Recht.NIEUWS_BEHEREN: _admin("organisaties_nieuwsbericht_add"),
    Recht.BIJLAGEVEREISTEN_BEHEREN: _admin("bijlagen_bijlagevereiste_add"),
    Recht.GEDEELDE_DOSSIERS: _scherm("hulpvragen:gedeeld"),
    Recht.HULPVRAAG_INDIENEN: _scherm("dossiers:toevoegen"),
    Recht.BASISGEGEVENS_WIJZIGEN: _basisgegevens,
    Recht.TOEGANG_VERLENEN: _toegang,
    Recht.WERKVOORRAAD: _scherm("loket:werkvoorraad"),
    Recht.VERGADERINGEN_BEHEREN: _scherm("loket:vergaderingen"),
    Recht.PERSONEELSWIJZIGING_AANVRAGEN: _scherm("beheer:aanvragen"),
    Recht.GEBRUIKERS_BEHEREN: _gebruikers,
    Recht.GEBRUIKERS_BEKIJKEN: _admin("accounts_user_changelist"),
    Recht.GEBRUIKERS_BEHEREN_IN_ADMIN: _admin("accounts_user_add"),
    Recht.SCHOLEN_BEHEREN: _admin("organisaties_school_add"),
    Recht.LABELS_BEHEREN: _admin("hulpvragen_label_add"),
    Recht.PROCESSEN_BEHEREN: _admin("hulpvragen_proces_add"),
    Recht.PROCESSEN_BEKIJKEN: _admin("hulpvragen_proces_changelist"),
    Recht.LOKETINSTELLINGEN_BEHEREN: _scherm("loket:instellingen"),
    Recht.BRIEFSJABLONEN_BEHEREN: _scherm("besluiten:sjablonen"),
    Recht.ORGANISATIE_AANMAKEN: _admin("organisaties_organisatie_add"),
    Recht.IDENTITEITSPROVIDERS_BEHEREN: _admin("oidc_identiteitsprovider_add"),
    Recht.ORGANISATIE_WIJZIGEN: _organisatie_wijzigen,
    Recht.BEHEERSCHERMEN: _scherm("beheer:index"),
    Recht.BEWAARTERMIJNEN_BEHEREN: _scherm("beheer:bewaartermijnen"),
    Recht.AUDITLOG_BEKIJKEN: _scherm("beheer:auditlog"),
    Recht.KENGETALLEN_BEKIJKEN: _scherm("beheer:kengetallen"),
    Recht.EXPORTEREN: _scherm("beheer:kengetallen", query="?csv=te_laat"),
    Recht.SCHOLEN_INLEZEN: _scherm("overdracht:scholen_inlezen"),
    Recht.GEBRUIKERS_UITNODIGEN: _scherm("overdracht:uitnodigen"),
    Recht.API_KOPPELINGEN_BEHEREN: _scherm("koppelingen:lijst"),
    Recht.SWV_EXPORTEREN: _scherm("overdracht:exporteren"),
    Recht.SWV_IMPORTEREN: _scherm("overdracht:importeren"),
}

ELDERS: dict[Recht, str] = {
    Recht.HULPVRAGEN_BEKIJKEN: "tests/hulpvragen/test_access.py (visibility, per role)",
    Recht.LVS_BEWERKEN: "tests/accounts/test_rechten_objecten.py",
    Recht.FORMULIER_BEWERKEN: "tests/accounts/test_rechten_objecten.py",
    Recht.ONDERTEKENEN: "tests/accounts/test_rechten_objecten.py",
    Recht.BIJLAGE_TOEVOEGEN: "tests/accounts/test_rechten_objecten.py",
    Recht.BIJLAGE_VERWIJDEREN: "tests/accounts/test_rechten_objecten.py",
    Recht.STATUS_WIJZIGEN: "tests/accounts/test_rechten_objecten.py",
    Recht.VRAGEN_STELLEN: "tests/accounts/test_rechten_objecten.py",
    Recht.COORDINATOR_TOEWIJZEN: "tests/accounts/test_rechten_objecten.py",
    Recht.UITNODIGEN: "tests/accounts/test_rechten_objecten.py",
    Recht.BESLISSEN: "tests/accounts/test_rechten_objecten.py",
    Recht.ADVISEREN: "tests/accounts/test_rechten_objecten.py",
    Recht.INTERNE_OVERLEGRONDE: "tests/accounts/test_rechten_objecten.py",
    Recht.AANPAK_PLAATSEN: "tests/accounts/test_rechten_objecten.py",
    Recht.OUDERS_UITNODIGEN: "tests/ouders/test_ouders.py (per role, and the whole flow)",
    Recht.TWEEDE_FACTOR_RESETTEN: "tests/accounts/test_audit_and_admin.py",
    Recht.BLOKKERING_OPHEFFEN: "tests/accounts/test_lockout.py",
    Recht.MAILSTORING_ZIEN: "tests/meldingen/test_lange_storing.py",
}

ROLLEN_VAN_DE_WERELD = [
    Rol.SCHOOL,
    Rol.BEVOEGD_GEZAG,
    Rol.SWV_LOKET,
    Rol.DESKUNDIGE,
    Rol.BEHEERDER,
    Rol.PLATFORM,
    Rol.GENODIGDE,
]


def test_every_capability_is_walked_or_covered_elsewhere():
    assert set(WANDELING) | set(ELDERS) == set(Recht)
    assert not set(WANDELING) & set(ELDERS)


def _persona(world, rol):
    match rol:
        case Rol.SCHOOL:
            return world.coordinator_a
        case Rol.BEVOEGD_GEZAG:
            return world.bestuurder_a
        case Rol.SWV_LOKET:
            return world.loket
        case Rol.DESKUNDIGE:
            grant_toegang(hulpvraag=world.hv_a_ingediend, gebruiker=world.deskundige)
            return world.deskundige
        case Rol.BEHEERDER:
            return world.beheerder
        case Rol.PLATFORM:
            return UserFactory(
                organisatie=None,
                username="platform",
                rol=Rol.PLATFORM,
                is_staff=True,
                is_superuser=True,
            )
        case Rol.GENODIGDE:
            genodigde = UserFactory(organisatie=world.org, rol=Rol.GENODIGDE)
            grant_toegang(hulpvraag=world.hv_a_ingediend, gebruiker=genodigde)
            return genodigde
    raise AssertionError(rol)


@pytest.mark.parametrize("rol", ROLLEN_VAN_DE_WERELD)
def test_every_role_walks_every_capability_as_the_module_says(client, world, rol):
    world.deskundige_2 = UserFactory(organisatie=world.org, rol=Rol.DESKUNDIGE)
    user = _persona(world, rol)
    login(client, user)
    verschillen = []
    for recht, poging in WANDELING.items():
        uitkomst = poging(client, world, user)
        toegestaan = mag(user, recht)
        if toegestaan:
            werkt = uitkomst.status in (200, 302) and not uitkomst.naar_admin_login
            if poging in (_basisgegevens, _toegang):
                werkt = werkt and uitkomst.gewijzigd
            if not werkt:
                verschillen.append(f"{recht}: allowed but answered {uitkomst.status}")
        else:
            geweigerd = uitkomst.status in (403, 404) or uitkomst.naar_admin_login
            if not geweigerd or uitkomst.gewijzigd:
                verschillen.append(
                    f"{recht}: refused but answered {uitkomst.status}"
                    + (" and changed data" if uitkomst.gewijzigd else "")
                )
    assert not verschillen, verschillen
