"""Indienen waits for the documents the manual's "Stap voor stap" lists, per type, through the
school's screens (Status wijzigen, Bijlagen, Formulier bewerken): the refusal names exactly what is
missing in the manual's words and keeps the typed toelichting; SV needs nothing; BAG follows its
form (only the level in doubt: no OPP; only reserving a date: nothing). Organisations loaded before
get the check by migration, as a new process version when hulpvragen use the old one."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hulpvragen.models import Overgang, Proces
from tests.bijlagen import bestanden as b
from tests.formulieren.conftest import formulier_van, volledige_post
from tests.helpers import login

pytestmark = pytest.mark.django_db

OUDERS = "Het door ouders ondertekende aanvraagformulier ontbreekt."
OPP = "Het OPP ontbreekt."
BAG_OPP = (
    "Het recente, geëvalueerde OPP met instemming van ouders op het handelingsdeel ontbreekt "
    "(niet verplicht als alleen wordt getwijfeld over het onderwijsniveau: geef dat aan op het "
    "formulier)."
)
IQ = (
    "Aangevinkt op de checklist van het formulier, maar nog niet toegevoegd: "
    "Verslag intelligentieonderzoek (niet ouder dan 2 jaar)."
)
INDIENEN = {
    "TLV_VSO": "TLV aanvraag indienen",
    "FA": "FA aanvraag indienen",
    "PRO": "PrO aanvraag indienen",
    "SV": "SV aanvraag indienen",
    "BAG": "BAG aanvraag indienen",
}
TOELICHTING = "Ouders zijn akkoord; graag voor de zomer."


def indienen(client, hulpvraag):
    hulpvraag.refresh_from_db()
    naar = hulpvraag.proces.statussen.get(naam=INDIENEN[hulpvraag.type])
    return client.post(
        reverse("hulpvragen:status_wijzigen", args=[hulpvraag.pk]),
        {"naar": naar.pk, "toelichting": TOELICHTING, "gezien_status": hulpvraag.status_id},
    )


def upload(client, hulpvraag, naam, soort):
    response = client.post(
        reverse("bijlagen:lijst", args=[hulpvraag.pk]),
        {"bestanden": [SimpleUploadedFile(naam, b.pdf())], "documentsoort": soort},
    )
    assert response.status_code == 302


def geweigerd(response, hulpvraag) -> str:
    """The refusal page: status unchanged, the typed toelichting still in the field."""
    body = response.content.decode()
    assert response.status_code == 200
    assert f"De status kan nog niet naar “{INDIENEN[hulpvraag.type]}”" in body
    assert f">{TOELICHTING}</textarea>" in body
    hulpvraag.refresh_from_db()
    assert hulpvraag.status.initieel
    return body


def ingediend(response, hulpvraag):
    assert response.status_code == 302, response.content.decode()[:2000]
    hulpvraag.refresh_from_db()
    assert hulpvraag.status.naam == INDIENEN[hulpvraag.type]
    assert hulpvraag.statuswijzigingen.latest("op", "id").toelichting == TOELICHTING


@pytest.mark.parametrize("type_", ["TLV_VSO", "FA"])
def test_tlv_vso_and_fa_wait_for_the_parents_form_and_the_opp(client, world, new_hulpvraag, type_):
    hv = new_hulpvraag(type_, bijlagen=False)
    login(client, world.coordinator_a)
    body = geweigerd(indienen(client, hv), hv)
    assert OUDERS in body and OPP in body
    # Another kind does not stand in for the OPP; the refusal names only what is still missing.
    upload(client, hv, "verslag.pdf", "onderzoeksverslag")
    upload(client, hv, "aanvraag-getekend.pdf", "ouderformulier")
    body = geweigerd(indienen(client, hv), hv)
    assert OPP in body and OUDERS not in body
    # The Status wijzigen page itself says it before anything is posted, with the way to fix it.
    page = client.get(reverse("hulpvragen:status_wijzigen", args=[hv.pk])).content.decode()
    assert OPP in page
    assert f'href="{reverse("bijlagen:lijst", args=[hv.pk])}">Bijlagen toevoegen</a>' in page
    upload(client, hv, "opp.pdf", "opp")
    ingediend(indienen(client, hv), hv)


def test_only_the_failing_checks_offer_their_page(client, world, new_hulpvraag):
    # Documents complete, the address missing: no "Bijlagen toevoegen" button.
    hv = new_hulpvraag("TLV_VSO", adres=False)
    login(client, world.coordinator_a)
    page = client.get(reverse("hulpvragen:status_wijzigen", args=[hv.pk])).content.decode()
    assert "Het adres van de leerling ontbreekt." in page
    assert "Bijlagen toevoegen</a>" not in page


def test_pro_follows_the_checklist_on_the_form(client, world, new_hulpvraag):
    hv = new_hulpvraag("PRO", bijlagen=False)
    # The demo form ticks the OPP, the parents' form and the IQ report on the checklist.
    assert formulier_van(hv).antwoorden["bijlagen"] == ["opp", "formulier_ouders", "iq_onderzoek"]
    login(client, world.coordinator_a)
    body = geweigerd(indienen(client, hv), hv)
    assert OUDERS in body and OPP in body and IQ in body
    upload(client, hv, "aanvraag-getekend.pdf", "ouderformulier")
    upload(client, hv, "opp.pdf", "opp")
    body = geweigerd(indienen(client, hv), hv)
    assert IQ in body and OPP not in body
    upload(client, hv, "iq.pdf", "onderzoeksverslag")
    ingediend(indienen(client, hv), hv)


def test_sv_needs_no_documents(client, world, new_hulpvraag):
    hv = new_hulpvraag("SV", bijlagen=False)
    assert not hv.bijlagen.exists()
    login(client, world.coordinator_a)
    ingediend(indienen(client, hv), hv)


def bag_opslaan(client, hv, **antwoorden):
    formulier = formulier_van(hv)
    data = {**volledige_post(formulier), **antwoorden}
    response = client.post(reverse("formulieren:bewerken", args=[formulier.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_bag_requires_the_opp_unless_only_the_level_is_in_doubt(
    client, new_hulpvraag, ib_basisschool
):
    hv = new_hulpvraag("BAG", bijlagen=False)
    login(client, ib_basisschool)
    bag_opslaan(client, hv, alleen_reserveren="nee", twijfel_niveau="nee")
    body = geweigerd(indienen(client, hv), hv)
    assert BAG_OPP in body
    # Other documents are welcome but are not the OPP.
    upload(client, hv, "gespreksverslag.pdf", "overig")
    assert BAG_OPP in geweigerd(indienen(client, hv), hv)
    # Only the level in doubt: the OPP is not required (the manual, step 7).
    bag_opslaan(client, hv, alleen_reserveren="nee", twijfel_niveau="ja")
    ingediend(indienen(client, hv), hv)


def test_bag_only_reserving_a_date_needs_no_documents(client, new_hulpvraag, ib_basisschool):
    hv = new_hulpvraag("BAG", bijlagen=False)
    login(client, ib_basisschool)
    bag_opslaan(client, hv, alleen_reserveren="ja", twijfel_niveau="nee")
    assert not hv.bijlagen.exists()
    ingediend(indienen(client, hv), hv)


def test_bag_with_the_opp_is_submitted(client, new_hulpvraag, ib_basisschool):
    hv = new_hulpvraag("BAG", bijlagen=False)
    login(client, ib_basisschool)
    bag_opslaan(client, hv, alleen_reserveren="nee", twijfel_niveau="nee")
    upload(client, hv, "opp.pdf", "opp")
    ingediend(indienen(client, hv), hv)


def test_the_upload_page_lists_what_this_hulpvraag_still_needs(
    client, new_hulpvraag, ib_basisschool
):
    hv = new_hulpvraag("BAG", bijlagen=False)
    login(client, ib_basisschool)
    bag_opslaan(client, hv, alleen_reserveren="nee", twijfel_niveau="nee")
    page = client.get(reverse("bijlagen:lijst", args=[hv.pk])).content.decode()
    assert "Verplicht bij dit type hulpvraag: OPP" in page
    bag_opslaan(client, hv, alleen_reserveren="ja", twijfel_niveau="nee")
    page = client.get(reverse("bijlagen:lijst", args=[hv.pk])).content.decode()
    assert "Verplicht bij dit type hulpvraag" not in page


# --- Migration for organisations loaded before ----------------------------------------------

migratie = importlib.import_module("hulpvragen.migrations.0008_indienen_verplichte_bijlagen")


def zonder_controle(proces):
    """The indienen transition as organisations loaded it before: without the bijlagen check."""
    for o in Overgang.objects.filter(proces=proces, van__initieel=True, door="school"):
        o.controles = [c for c in o.controles if c != "bijlagen_aanwezig"]
        o.save()


def controles(proces) -> list[str]:
    return Overgang.objects.get(
        proces=proces, van__initieel=True, naar__naam=INDIENEN[proces.type]
    ).controles


def test_migration_changes_unused_processes_in_place_and_leaves_sv_alone(world):
    processen = {p.type: p for p in Proces.objects.filter(organisatie=world.other_org)}
    in_gebruik = {t for t, p in processen.items() if p.hulpvragen.exists()}
    assert in_gebruik == {"TLV_VSO"}  # the other organisation's one hulpvraag
    for proces in processen.values():
        zonder_controle(proces)
    migratie.vooruit(apps, None)
    migratie.vooruit(apps, None)  # twice: nothing more
    for type_ in ("FA", "PRO", "BAG"):
        proces = Proces.objects.get(organisatie=world.other_org, type=type_, actief=True)
        assert proces == processen[type_]  # in place
        assert controles(proces)[-1] == "bijlagen_aanwezig"
        assert controles(proces).count("bijlagen_aanwezig") == 1
    assert "bijlagen_aanwezig" not in controles(processen["SV"])
    assert Proces.objects.filter(organisatie=world.other_org).count() == len(processen) + 1


def test_migration_makes_a_new_version_of_a_process_in_use(client, world, new_hulpvraag):
    oud = new_hulpvraag("TLV_VSO", bijlagen=False)
    v1 = oud.proces
    zonder_controle(v1)
    migratie.vooruit(apps, None)
    v1.refresh_from_db()
    v2 = Proces.objects.get(organisatie=world.org, type="TLV_VSO", versie=v1.versie + 1)
    assert v2.actief and not v1.actief
    assert "bijlagen_aanwezig" not in controles(v1)
    assert controles(v2)[-1] == "bijlagen_aanwezig"
    # The hulpvraag started before keeps its version (and its rules); a new one gets the check.
    login(client, world.coordinator_a)
    ingediend(indienen(client, oud), oud)
    nieuw = new_hulpvraag("TLV_VSO", bijlagen=False)
    assert nieuw.proces == v2
    assert OPP in geweigerd(indienen(client, nieuw), nieuw)
