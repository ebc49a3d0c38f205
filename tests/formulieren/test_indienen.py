"""The engine's guard on "aanvraag indienen", through the pages a school and a board member use:
TLV VSO, FA and PrO wait for a form signed by the bevoegd gezag and the refusal says what is
missing; SV and BAG need no signature. For PrO a computed advice that is not praktijkonderwijs
makes the toelichting required, also for a form that was saved and signed before the LVS data
changed."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from bijlagen.demo import verplichte_bijlagen_toevoegen
from dossiers.models import IqTest, Toets
from hulpvragen.models import HulpvraagType
from tests.dossiers.conftest import form_data
from tests.factories import AdresFactory, SchoolgegevensFactory, make_hulpvraag, school_voor_type
from tests.formulieren.conftest import formulier_van, volledige_post
from tests.helpers import login

pytestmark = pytest.mark.django_db

INDIENEN = {
    HulpvraagType.TLV_VSO: "TLV aanvraag indienen",
    HulpvraagType.FA: "FA aanvraag indienen",
    HulpvraagType.PRO: "PrO aanvraag indienen",
    HulpvraagType.SV: "SV aanvraag indienen",
    HulpvraagType.BAG: "BAG aanvraag indienen",
}


def _hulpvraag(world, type_):
    school = school_voor_type(type_, school=world.school_a, gebruiker=world.coordinator_a)
    sg = {"leerjaar": None, "groep": 8} if school.sector == "PO" else {}
    sg = SchoolgegevensFactory(school=school, aanvrager=world.coordinator_a, **sg)
    AdresFactory(leerling=sg.leerling)
    return make_hulpvraag(type=type_, schoolgegevens=sg, door=world.coordinator_a)


def _opslaan(client, world, formulier, **wijzigingen):
    login(client, world.coordinator_a)
    formulier.refresh_from_db()
    data = {**volledige_post(formulier, ondertekenaar=world.bestuurder_a), **wijzigingen}
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(reverse("formulieren:bewerken", args=[formulier.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def _indienen(client, world, hulpvraag):
    login(client, world.coordinator_a)
    hulpvraag.refresh_from_db()
    # These tests are about the form; the documents the manual requires are there.
    verplichte_bijlagen_toevoegen(hulpvraag=hulpvraag)
    naar = hulpvraag.proces.statussen.get(naam=INDIENEN[hulpvraag.type])
    return client.post(
        reverse("hulpvragen:status_wijzigen", args=[hulpvraag.pk]),
        {"naar": naar.pk, "toelichting": "", "gezien_status": hulpvraag.status_id},
    )


def _ondertekenen(client, world, formulier, code):
    login(client, world.bestuurder_a)
    return client.post(reverse("formulieren:ondertekenen", args=[formulier.pk]), {"code": code})


@pytest.mark.parametrize("type_", [HulpvraagType.TLV_VSO, HulpvraagType.FA, HulpvraagType.PRO])
def test_indienen_waits_for_the_signed_form_and_says_what_is_missing(
    client, world, totp_bestuurder, type_
):
    _device, totp = totp_bestuurder
    hulpvraag = _hulpvraag(world, type_)
    formulier = formulier_van(hulpvraag)
    naam = formulier.definitie.naam

    response = _indienen(client, world, hulpvraag)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Het formulier “{naam}” is nog niet ingevuld en opgeslagen." in body

    _opslaan(client, world, formulier)
    body = _indienen(client, world, hulpvraag).content.decode()
    assert f"Het formulier “{naam}” is nog niet ondertekend door het bevoegd gezag." in body
    hulpvraag.refresh_from_db()
    assert "voorlopige aanvraag" in hulpvraag.status.naam

    assert _ondertekenen(client, world, formulier, totp.now()).status_code == 302
    response = _indienen(client, world, hulpvraag)
    assert response.status_code == 302, response.content.decode()[:3000]
    hulpvraag.refresh_from_db()
    assert hulpvraag.status.naam == INDIENEN[type_]


@pytest.mark.parametrize("type_", [HulpvraagType.SV, HulpvraagType.BAG])
def test_sv_and_bag_are_submitted_without_a_signature(client, world, type_):
    hulpvraag = _hulpvraag(world, type_)
    response = _indienen(client, world, hulpvraag)
    assert response.status_code == 302, response.content.decode()[:3000]
    hulpvraag.refresh_from_db()
    assert hulpvraag.status.naam == INDIENEN[type_]


def test_a_voided_signature_blocks_indienen_until_signed_again(client, world, totp_bestuurder):
    _device, totp = totp_bestuurder
    hulpvraag = _hulpvraag(world, HulpvraagType.TLV_VSO)
    formulier = formulier_van(hulpvraag)
    _opslaan(client, world, formulier)
    assert _ondertekenen(client, world, formulier, totp.now()).status_code == 302
    _opslaan(client, world, formulier, motivatie="Na ondertekening nog aangepast.")
    body = _indienen(client, world, hulpvraag).content.decode()
    assert "is vervallen omdat het na ondertekening is gewijzigd" in body


def _lvs_opslaan(client, world, hulpvraag, *, iq):
    """The coordinator enters IQ and two toetsen on the LVS tab (leerjaar 2: DL 60)."""
    login(client, world.coordinator_a)
    url = reverse("dossiers:lvs", args=[hulpvraag.pk])
    data = form_data(client.get(url))
    if IqTest.objects.filter(leerling=hulpvraag.leerling).exists():
        data["iq-0-totaal_iq"] = str(iq)
    else:
        data.update({"iq-0-testdatum": "01-10-2025", "iq-0-totaal_iq": str(iq)})
        for rij in (0, 1):  # the blank rows come with BL and IR preselected
            data.update({f"toets-{rij}-toetsdatum": "12-01-2026", f"toets-{rij}-dle": "20"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_pro_advice_turning_negative_after_signing_demands_the_toelichting(
    client, world, totp_bestuurder
):
    _device, totp = totp_bestuurder
    hulpvraag = _hulpvraag(world, HulpvraagType.PRO)
    formulier = formulier_van(hulpvraag)
    _lvs_opslaan(client, world, hulpvraag, iq=70)  # advice: praktijkonderwijs
    assert Toets.objects.filter(leerling=hulpvraag.leerling).count() == 2
    # With a PrO advice the toelichting is not needed: saved without it, and signed.
    _opslaan(client, world, formulier, advies_toelichting=None)
    assert _ondertekenen(client, world, formulier, totp.now()).status_code == 302

    # A newer IQ test changes the advice: no longer praktijkonderwijs.
    _lvs_opslaan(client, world, hulpvraag, iq=100)
    body = _indienen(client, world, hulpvraag).content.decode()
    assert "In het formulier “Aanvraagformulier TLV PrO” ontbreekt nog:" in body
    assert "“Toelichting bij een afwijkend advies”" in body
    assert "Het berekende advies op het tabblad LVS is “Geen praktijkonderwijs”" in body
    hulpvraag.refresh_from_db()
    assert hulpvraag.status.naam == "PrO voorlopige aanvraag"
    # The Formulier tab says so too, before anyone tries to submit.
    tab = client.get(reverse("hulpvragen:tab", args=[hulpvraag.pk, "formulier"])).content.decode()
    assert "Dit formulier is niet meer compleet." in tab
    assert "Nog in te vullen: Toelichting bij een afwijkend advies." in tab

    # The school explains, which voids the signature; the board signs again; now it goes.
    _opslaan(
        client,
        world,
        formulier,
        advies_toelichting="IQ 100, maar de leerachterstanden en de praktische aanleg wegen zwaar.",
    )
    body = _indienen(client, world, hulpvraag).content.decode()
    assert "is vervallen omdat het na ondertekening is gewijzigd" in body
    tab = client.get(reverse("hulpvragen:tab", args=[hulpvraag.pk, "formulier"])).content.decode()
    assert "niet meer compleet" not in tab
    # The next time step's code: the one used above may not be used twice.
    assert _ondertekenen(client, world, formulier, totp.at(time.time() + 30)).status_code == 302
    response = _indienen(client, world, hulpvraag)
    assert response.status_code == 302, response.content.decode()[:3000]
    hulpvraag.refresh_from_db()
    assert hulpvraag.status.naam == "PrO aanvraag indienen"
