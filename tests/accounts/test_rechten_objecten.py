"""The object-dependent capabilities of accounts/rechten.py, walked through the real views for every
role of the `world`: each try is a POST with valid data on a hulpvraag of school A. The expected
outcome is the capability module's own answer (the function the views ask): allowed → the effect
is in the database; refused → 403 or 404 (404 whenever the access module hides the hulpvraag)
and the relevant rows are exactly as before."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Rol
from accounts.rechten import (
    Recht,
    mag,
    mag_bijlage_toevoegen,
    mag_bijlage_verwijderen,
    mag_formulier_bewerken,
    mag_in_organisatie,
    mag_ondertekenen,
    mag_toegang_intrekken,
    status_partij,
)
from besluiten.models import Deskundigenadvies
from bijlagen.models import Bijlage
from dossiers.models import IqTest, Toets
from formulieren.models import Formulier, Ondertekening
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag, HulpvraagType, Overgang, Statuswijziging, Toegang, Trigger
from hulpvragen.tabs import tab_url
from loket.models import Aanpak, Vergadering
from tests.accounts.test_rechten_matrix import ELDERS, ROLLEN_VAN_DE_WERELD, _persona
from tests.besluiten.conftest import adviseren, hulpvraag_in, toewijzen
from tests.bijlagen import bestanden
from tests.dossiers.conftest import form_data
from tests.dossiers.test_lvs_tab import fill_issue_example
from tests.factories import SchoolgegevensFactory, UserFactory, grant_toegang, make_hulpvraag
from tests.formulieren.conftest import formulier_van, volledige_post
from tests.helpers import login, totp_code, totp_device

pytestmark = pytest.mark.django_db


@dataclass
class Poging:
    """One object-dependent capability: on which hulpvraag, what the module answers, the POST a
    user makes, and the rows that show whether anything changed."""

    hulpvraag: Callable  # (world, context) -> Hulpvraag
    mag: Callable  # (world, user, context) -> bool: the module's answer
    post: Callable  # (client, world, user, context) -> response
    toestand: Callable  # (world, context) -> comparable snapshot
    voorbereiden: Callable = lambda client, world, user: {}  # -> context
    # Some pages refuse in place (200, the refusal shown, what was typed kept) on a hulpvraag the
    # user sees: response -> bool says whether this answer is such a refusal.
    weigert_op_de_pagina: Callable = lambda response: False


# --- bijlage toevoegen / verwijderen ------------------------------------------------------------


def _bijlagen(world, ctx):
    return sorted(Bijlage.objects.values_list("pk", "ingetrokken_op"))


def _upload(client, world, user, ctx):
    bestand = SimpleUploadedFile("verslag.pdf", bestanden.pdf(), content_type="application/pdf")
    hv = world.hv_a_ingediend
    return client.post(reverse("bijlagen:lijst", args=[hv.pk]), {"bestanden": [bestand]})


def _bijlage_van(world, uploader) -> Bijlage:
    """A bijlage `uploader` added earlier (as a row: for the roles that may not upload too)."""
    return Bijlage.objects.create(
        organisatie=world.org,
        hulpvraag=world.hv_a_ingediend,
        sleutel=f"test-{uuid.uuid4()}",
        naam="verslag.pdf",
        originele_naam="verslag.pdf",
        grootte=10,
        content_type="application/pdf",
        soort="pdf",
        sha256="0" * 64,
        upload=uuid.uuid4(),
        geupload_door=uploader,
    )


def _eigen_bijlage(client, world, user):
    return {"bijlage": _bijlage_van(world, user)}


def _bijlage_van_een_ander(client, world, user):
    ander = world.coordinator_a if user == world.loket else world.loket
    return {"bijlage": _bijlage_van(world, ander)}


def _verwijder(client, world, user, ctx):
    args = [world.hv_a_ingediend.pk, ctx["bijlage"].pk]
    return client.post(reverse("bijlagen:verwijderen", args=args))


# --- status wijzigen ----------------------------------------------------------------------------


def _overgang(world, user):
    """A hand transition from the current status: the user's own party's when it has one,
    otherwise the school's (which the user then tries without holding it)."""
    hv = world.hv_a_ingediend
    partij = status_partij(user) or "school"
    return (
        Overgang.objects.filter(
            proces_id=hv.proces_id, van_id=hv.status_id, trigger=Trigger.HANDMATIG, door=partij
        )
        .filter(controles=[])
        .select_related("naar")
        .order_by("volgorde", "id")
        .first()
    )


def _status_mag(world, user, ctx):
    return status_partij(user) is not None and ctx["overgang"].door == status_partij(user)


def _status_post(client, world, user, ctx):
    hv = world.hv_a_ingediend
    return client.post(
        reverse("hulpvragen:status_wijzigen", args=[hv.pk]),
        {
            "naar": ctx["overgang"].naar_id,
            "toelichting": "Toelichting bij de statuswijziging.",
            "gezien_status": hv.status_id,
        },
    )


def _status(world, ctx):
    hv = Hulpvraag.objects.get(pk=world.hv_a_ingediend.pk)
    return hv.status_id, Statuswijziging.objects.filter(hulpvraag=hv).count()


# --- uitnodigen / toewijzen ---------------------------------------------------------------------


def _uitnodigen(client, world, user, ctx):
    geldig_tot = timezone.localdate() + dt.timedelta(days=14)
    return client.post(
        tab_url(world.hv_a_ingediend.pk, "toegang"),
        {
            "uitnodigen": "1",
            "uitnodiging-voornaam": "Jelle",
            "uitnodiging-achternaam": "de Boer",
            "uitnodiging-email": "jelle@example.org",
            "uitnodiging-geldig_tot": geldig_tot.strftime("%d-%m-%Y"),
        },
    )


def _toegangen(world, ctx):
    return sorted(Toegang.objects.values_list("pk", "gebruiker_id", "ingetrokken_op"))


def _verleend(client, world, user):
    """The loket's grant to a second deskundige, which the user tries to revoke."""
    return {"toegang": grant_toegang(hulpvraag=world.hv_a_ingediend, gebruiker=world.deskundige_2)}


def _intrekken(client, world, user, ctx):
    return client.post(
        tab_url(world.hv_a_ingediend.pk, "toegang"), {"intrekken": ctx["toegang"].pk}
    )


def _toewijzen(client, world, user, ctx):
    return client.post(
        reverse("loket:toewijzen", args=[world.hv_a_ingediend.pk]),
        {"coordinator": ctx["coordinator"].pk},
    )


def _coordinator(world, ctx):
    return Hulpvraag.objects.get(pk=world.hv_a_ingediend.pk).coordinator_id


# --- vragen stellen, beslissen, adviseren ------------------------------------------------------


def _vragen(client, world, user, ctx):
    hv = world.hv_a_ingediend
    return client.post(
        reverse("loket:vragen", args=[hv.pk]),
        {
            "naar": hv.proces.statussen.get(naam="TLV vragen gesteld").pk,
            "toelichting": "Beantwoord de vragen in het document bij de bijlagen.",
            "vragen": "Welke ondersteuning krijgt de leerling nu?",
            "gezien_status": hv.status_id,
        },
    )


def _compleet(client, world, user, status="TLV aanvraag compleet", type_=HulpvraagType.TLV_VSO):
    """A hulpvraag of school A (a TLV the loket found complete), visible to the persona as its
    hv_a_ingediend is."""
    hv = hulpvraag_in(world, status, type_)
    if user.rol in (Rol.DESKUNDIGE, Rol.GENODIGDE):
        grant_toegang(hulpvraag=hv, gebruiker=user)
    return {"hulpvraag": hv}


def _toegewezen(client, world, user):
    """As _compleet, and the loket assigned a deskundige: the persona when it is one."""
    ctx = _compleet(client, world, user)
    deskundige = user if user.rol == Rol.DESKUNDIGE else world.deskundige
    login(client, world.loket)
    assert toewijzen(client, ctx["hulpvraag"], deskundige, 1, "orthopedagoog").status_code == 302
    login(client, user)
    return ctx


def _adviezen(world, ctx):
    return sorted(
        Deskundigenadvies.objects.filter(hulpvraag=ctx["hulpvraag"]).values_list(
            "pk", "deskundige_id", "uitgebracht_op", "motivering"
        )
    )


# --- aanpak plaatsen, formulier bewerken --------------------------------------------------------


def _aanpak(client, world, user, ctx):
    return client.post(
        tab_url(ctx["hulpvraag"].pk, "aanpak"),
        {"beschikking": "Arrangement toegekend.", "aanpak": "Evaluatie elke 6 weken."},
    )


def _formulier_opslaan(client, world, user, ctx):
    formulier = formulier_van(world.hv_a_voorlopig)
    url = reverse("formulieren:bewerken", args=[formulier.pk])
    return client.post(url, volledige_post(formulier, ondertekenaar=world.bestuurder_a))


def _formulier(world, ctx):
    return list(
        Formulier.objects.filter(hulpvraag=world.hv_a_voorlopig).values_list(
            "pk", "revisie", "antwoorden"
        )
    )


def _overlegronde(client, world, user, ctx):
    datum = timezone.localdate() + dt.timedelta(days=14)
    return client.post(
        tab_url(world.hv_a_ingediend.pk, "overlegronde"),
        {"datum": datum.isoformat(), "tijd": "09:00", "plaats": "Lokaal 1", "deelnemers": "Mentor"},
    )


# --- LVS bewerken -------------------------------------------------------------------------------


def _lvs_ingevuld(client, world, user):
    """A PrO aanvraag of school A (visible to the persona as hv_a_ingediend is) and the LVS tab's
    form as the school would post it, filled with a realistic example."""
    sg = SchoolgegevensFactory(
        school=world.school_a, leerjaar=None, groep=8, doublures=0, aanvrager=world.coordinator_a
    )
    hv = make_hulpvraag(
        schoolgegevens=sg,
        type=HulpvraagType.PRO,
        door=world.coordinator_a,
        status="PrO aanvraag indienen",
    )
    if user.rol in (Rol.DESKUNDIGE, Rol.GENODIGDE):
        grant_toegang(hulpvraag=hv, gebruiker=user)
    login(client, world.coordinator_a)
    data = fill_issue_example(form_data(client.get(reverse("dossiers:lvs", args=[hv.pk]))))
    login(client, user)
    return {"hulpvraag": hv, "data": data}


def _lvs(world, ctx):
    leerling = ctx["hulpvraag"].leerling
    return (
        list(IqTest.objects.filter(leerling=leerling).values_list("pk", "totaal_iq")),
        list(Toets.objects.filter(leerling=leerling).values_list("pk", "dle")),
    )


# --- ondertekenen -------------------------------------------------------------------------------


def _te_ondertekenen(client, world, user):
    """The school saved the form of the voorlopige aanvraag naming bestuurder_a as signer."""
    formulier = formulier_van(world.hv_a_voorlopig)
    login(client, world.coordinator_a)
    data = volledige_post(formulier, ondertekenaar=world.bestuurder_a)
    url = reverse("formulieren:bewerken", args=[formulier.pk])
    assert client.post(url, data).status_code == 302
    login(client, user)
    return {"formulier": formulier}


def _ondertekenen(client, world, user, ctx):
    url = reverse("formulieren:ondertekenen", args=[ctx["formulier"].pk])
    return client.post(url, {"code": totp_code(totp_device(user))})


def _ondertekeningen(world, ctx):
    return sorted(Ondertekening.objects.values_list("pk", "ondertekenaar_id"))


POGINGEN: dict[Recht, Poging] = {
    Recht.BIJLAGE_TOEVOEGEN: Poging(
        hulpvraag=lambda world, ctx: world.hv_a_ingediend,
        mag=lambda world, user, ctx: mag_bijlage_toevoegen(user, world.hv_a_ingediend),
        post=_upload,
        toestand=_bijlagen,
    ),
    Recht.BIJLAGE_VERWIJDEREN: Poging(
        hulpvraag=lambda world, ctx: world.hv_a_ingediend,
        mag=lambda world, user, ctx: mag_bijlage_verwijderen(user, ctx["bijlage"]),
        post=_verwijder,
        toestand=_bijlagen,
        voorbereiden=_eigen_bijlage,
    ),
    Recht.STATUS_WIJZIGEN: Poging(
        hulpvraag=lambda world, ctx: world.hv_a_ingediend,
        mag=_status_mag,
        post=_status_post,
        toestand=_status,
        voorbereiden=lambda client, world, user: {"overgang": _overgang(world, user)},
        # "Status wijzigen" shows a refused change with the engine's reason and keeps the typed
        # toelichting (tests/hulpvragen/test_status_pages.py).
        weigert_op_de_pagina=lambda response: (
            response.status_code == 200 and response.context["geweigerd"] is not None
        ),
    ),
    Recht.UITNODIGEN: Poging(
        hulpvraag=lambda world, ctx: world.hv_a_ingediend,
        mag=lambda world, user, ctx: mag_in_organisatie(user, Recht.UITNODIGEN, world.org.pk),
        post=_uitnodigen,
        toestand=_toegangen,
    ),
    Recht.COORDINATOR_TOEWIJZEN: Poging(
        hulpvraag=lambda world, ctx: world.hv_a_ingediend,
        mag=lambda world, user, ctx: mag_in_organisatie(
            user, Recht.COORDINATOR_TOEWIJZEN, world.org.pk
        ),
        post=_toewijzen,
        toestand=_coordinator,
        voorbereiden=lambda client, world, user: {
            "coordinator": UserFactory(organisatie=world.org, rol=Rol.SWV_LOKET)
        },
    ),
    Recht.ONDERTEKENEN: Poging(
        hulpvraag=lambda world, ctx: world.hv_a_voorlopig,
        mag=lambda world, user, ctx: mag_ondertekenen(user, world.bestuur_a),
        post=_ondertekenen,
        toestand=_ondertekeningen,
        voorbereiden=_te_ondertekenen,
    ),
    Recht.VRAGEN_STELLEN: Poging(
        hulpvraag=lambda world, ctx: world.hv_a_ingediend,
        mag=lambda world, user, ctx: mag_in_organisatie(user, Recht.VRAGEN_STELLEN, world.org.pk),
        post=_vragen,
        toestand=_status,
    ),
    Recht.BESLISSEN: Poging(
        hulpvraag=lambda world, ctx: ctx["hulpvraag"],
        mag=lambda world, user, ctx: mag_in_organisatie(user, Recht.BESLISSEN, world.org.pk),
        post=lambda client, world, user, ctx: toewijzen(
            client, ctx["hulpvraag"], world.deskundige, 1, "orthopedagoog"
        ),
        toestand=_adviezen,
        voorbereiden=_compleet,
    ),
    Recht.ADVISEREN: Poging(
        hulpvraag=lambda world, ctx: ctx["hulpvraag"],
        # The own assignment only (besluiten.selectors.eigen_advies_get_for asks the module).
        mag=lambda world, user, ctx: (
            mag(user, Recht.ADVISEREN)
            and Deskundigenadvies.objects.filter(
                hulpvraag=ctx["hulpvraag"], deskundige=user
            ).exists()
        ),
        post=lambda client, world, user, ctx: adviseren(
            client, ctx["hulpvraag"], motivering="Past bij VSO."
        ),
        toestand=_adviezen,
        voorbereiden=_toegewezen,
    ),
    Recht.AANPAK_PLAATSEN: Poging(
        hulpvraag=lambda world, ctx: ctx["hulpvraag"],
        mag=lambda world, user, ctx: mag_in_organisatie(user, Recht.AANPAK_PLAATSEN, world.org.pk),
        post=_aanpak,
        toestand=lambda world, ctx: list(Aanpak.objects.values_list("pk")),
        voorbereiden=lambda client, world, user: _compleet(
            client, world, user, "FA aanvraag indienen", HulpvraagType.FA
        ),
    ),
    Recht.FORMULIER_BEWERKEN: Poging(
        hulpvraag=lambda world, ctx: world.hv_a_voorlopig,
        mag=lambda world, user, ctx: mag_formulier_bewerken(
            user, formulier_van(world.hv_a_voorlopig)
        ),
        post=_formulier_opslaan,
        toestand=_formulier,
    ),
    Recht.LVS_BEWERKEN: Poging(
        hulpvraag=lambda world, ctx: ctx["hulpvraag"],
        # dossiers.selectors.lvs_edit_allowed asks the module: mag(user, LVS_BEWERKEN).
        mag=lambda world, user, ctx: mag(user, Recht.LVS_BEWERKEN),
        post=lambda client, world, user, ctx: client.post(
            reverse("dossiers:lvs", args=[ctx["hulpvraag"].pk]), ctx["data"]
        ),
        toestand=_lvs,
        voorbereiden=_lvs_ingevuld,
    ),
    Recht.INTERNE_OVERLEGRONDE: Poging(
        hulpvraag=lambda world, ctx: world.hv_a_ingediend,
        mag=lambda world, user, ctx: mag(user, Recht.INTERNE_OVERLEGRONDE),
        post=_overlegronde,
        toestand=lambda world, ctx: list(Vergadering.objects.values_list("pk")),
    ),
}

#: Object checks of a capability above that deserve a try of their own.
VARIANTEN: dict[str, Poging] = {
    "bijlage_van_een_ander_verwijderen": Poging(
        hulpvraag=lambda world, ctx: world.hv_a_ingediend,
        mag=lambda world, user, ctx: mag_bijlage_verwijderen(user, ctx["bijlage"]),
        post=_verwijder,
        toestand=_bijlagen,
        voorbereiden=_bijlage_van_een_ander,
    ),
    "toegang_intrekken": Poging(
        hulpvraag=lambda world, ctx: world.hv_a_ingediend,
        mag=lambda world, user, ctx: mag_toegang_intrekken(user, ctx["toegang"]),
        post=_intrekken,
        toestand=_toegangen,
        voorbereiden=_verleend,
    ),
}


@pytest.mark.parametrize("rol", ROLLEN_VAN_DE_WERELD)
@pytest.mark.parametrize("recht", [*POGINGEN, *VARIANTEN], ids=str)
def test_object_capability_through_the_view_as_the_module_says(client, world, recht, rol):
    world.deskundige_2 = UserFactory(organisatie=world.org, rol=Rol.DESKUNDIGE)
    user = _persona(world, rol)
    login(client, user)
    poging = POGINGEN.get(recht) or VARIANTEN[recht]
    ctx = poging.voorbereiden(client, world, user)
    hulpvraag = poging.hulpvraag(world, ctx)
    zichtbaar = hulpvragen_visible_to(user).filter(pk=hulpvraag.pk).exists()
    toegestaan = zichtbaar and poging.mag(world, user, ctx)

    voor = poging.toestand(world, ctx)
    response = poging.post(client, world, user, ctx)
    na = poging.toestand(world, ctx)

    if toegestaan:
        assert response.status_code == 302, (recht, rol, response.status_code)
        assert na != voor, f"{recht} allowed for {rol}, but nothing changed"
    else:
        if zichtbaar:
            geweigerd = response.status_code in (403, 404) or poging.weigert_op_de_pagina(response)
        else:
            geweigerd = response.status_code == 404
        assert geweigerd, (recht, rol, response.status_code)
        assert na == voor, f"{recht} refused for {rol}, but the data changed"


def test_the_matrix_walk_points_here_for_what_this_file_walks():
    dit_bestand = f"tests/accounts/{Path(__file__).name}"
    hier = {recht for recht, waar in ELDERS.items() if waar == dit_bestand}
    assert hier == set(POGINGEN)
