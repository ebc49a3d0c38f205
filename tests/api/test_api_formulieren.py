"""Formulieren through the API: a school's LVS reads a hulpvraag's forms with their answers and
fills in the questions the school has not answered yet, as a draft the school checks and saves
with Opslaan on Formulier bewerken. Nothing typed or saved is replaced; isolated and audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import Inzage, InzageActie
from formulieren.services import formulier_concept_save, formulier_save
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _formulier(hulpvraag):
    return hulpvraag.formulieren.get()


def test_the_lvs_reads_the_forms_with_saved_answers_and_the_questions(world, school_a):
    formulier = _formulier(world.hv_a_voorlopig)
    formulier_save(
        formulier=formulier,
        user=world.coordinator_a,
        antwoorden={"onderwijsbehoeften": "Rust en structuur", "opp_evaluatiedatum": "2027-01-15"},
        revisie=formulier.revisie,
    )
    response = school_a.get(f"/api/v1/hulpvragen/{world.hv_a_voorlopig.pk}/formulieren/")
    assert response.status_code == 200, response.content
    [data] = response.json()
    assert data["id"] == formulier.pk and data["naam"] == formulier.definitie.naam
    assert data["antwoorden"]["onderwijsbehoeften"] == "Rust en structuur"
    assert data["concept"] is None and data["ondertekend"] is False
    vragen = {v["sleutel"]: v for v in data["vragen"]}
    assert vragen["leerling_naam"]["vooringevuld"] is True
    assert vragen["motivatie"] == {
        "sleutel": "motivatie",
        "label": vragen["motivatie"]["label"],
        "type": "lange_tekst",
        "vooringevuld": False,
    }
    assert Inzage.objects.filter(
        gebruiker=school_a.client.gebruiker, onderdeel="api: formulieren"
    ).exists()


def test_prefill_fills_only_what_the_school_left_open_and_the_page_shows_it(
    world, school_a, client
):
    formulier = _formulier(world.hv_a_voorlopig)
    formulier_save(
        formulier=formulier,
        user=world.coordinator_a,
        antwoorden={"onderwijsbehoeften": "Door de school opgeslagen"},
        revisie=formulier.revisie,
    )
    formulier.refresh_from_db()
    response = school_a.post(
        f"/api/v1/formulieren/{formulier.pk}/vooraf-invullen/",
        {
            "antwoorden": {
                "onderwijsbehoeften": "Uit het LVS",
                "sterke_kanten": "Rekenen",
                "opp_evaluatiedatum": "2027-03-01",
                "gezagssituatie": "beide_ouders",
            }
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert sorted(data["ingevuld"]) == ["gezagssituatie", "opp_evaluatiedatum", "sterke_kanten"]
    assert data["al_beantwoord"] == ["onderwijsbehoeften"]
    formulier.refresh_from_db()
    # The saved answers are untouched; the draft holds them plus the LVS's answers.
    assert formulier.antwoorden == {"onderwijsbehoeften": "Door de school opgeslagen"}
    assert formulier.concept["onderwijsbehoeften"] == "Door de school opgeslagen"
    assert formulier.concept["sterke_kanten"] == "Rekenen"
    rij = Inzage.objects.get(
        gebruiker=school_a.client.gebruiker, onderdeel="api: formulier vooraf ingevuld"
    )
    assert rij.actie == InzageActie.GEWIJZIGD and rij.hulpvraag_id == world.hv_a_voorlopig.pk
    assert "sterke_kanten" in rij.details

    # The school sees them on Formulier bewerken, the date as dd-mm-jjjj, and saves them.
    login(client, world.coordinator_a)
    html = client.get(reverse("formulieren:bewerken", args=[formulier.pk])).content.decode()
    assert "Rekenen" in html and "01-03-2027" in html and "Door de school opgeslagen" in html

    # Again: nothing new to fill in, nothing written.
    opnieuw = school_a.post(
        f"/api/v1/formulieren/{formulier.pk}/vooraf-invullen/",
        {"antwoorden": {"sterke_kanten": "Iets anders"}},
    )
    assert opnieuw.json()["ingevuld"] == [] and opnieuw.json()["al_beantwoord"] == ["sterke_kanten"]
    formulier.refresh_from_db()
    assert formulier.concept["sterke_kanten"] == "Rekenen"


def test_what_the_school_is_typing_is_never_replaced(world, school_a):
    formulier = _formulier(world.hv_a_voorlopig)
    status, _revisie, _op = formulier_concept_save(
        user=world.coordinator_a,
        formulier_id=formulier.pk,
        concept={"motivatie": "half getypt"},
        revisie=formulier.revisie,
    )
    assert status == "ok"
    response = school_a.post(
        f"/api/v1/formulieren/{formulier.pk}/vooraf-invullen/",
        {"antwoorden": {"motivatie": "Uit het LVS", "beoogde_school": "De Boog"}},
    )
    assert response.json()["ingevuld"] == ["beoogde_school"]
    formulier.refresh_from_db()
    assert formulier.concept == {"motivatie": "half getypt", "beoogde_school": "De Boog"}


def test_questions_of_the_dossier_unknown_questions_and_bad_values_are_refused(world, school_a):
    formulier = _formulier(world.hv_a_voorlopig)
    url = f"/api/v1/formulieren/{formulier.pk}/vooraf-invullen/"
    response = school_a.post(
        url,
        {
            "antwoorden": {
                "leerling_naam": "Iemand anders",
                "ondertekening_door": str(world.bestuurder_a.pk),
                "bestaat_niet": "x",
            }
        },
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    velden = {f["pointer"] for f in response.json()["errors"]}
    assert {
        "#/antwoorden/leerling_naam",
        "#/antwoorden/ondertekening_door",
        "#/antwoorden/bestaat_niet",
    } <= velden
    assert school_a.post(url, {"antwoorden": {"motivatie": 12}}).status_code == 400
    formulier.refresh_from_db()
    assert formulier.concept is None


def test_other_schools_read_only_clients_and_closed_hulpvragen(world, school_a, school_b_lezen):
    formulier_b = _formulier(world.hv_b_ingediend)
    # Another school's form does not exist for this client.
    assert (
        school_a.get(f"/api/v1/hulpvragen/{world.hv_b_ingediend.pk}/formulieren/").status_code
        == 404
    )
    assert (
        school_a.post(
            f"/api/v1/formulieren/{formulier_b.pk}/vooraf-invullen/",
            {"antwoorden": {"motivatie": "x"}},
        ).status_code
        == 404
    )
    # A read-only client reads but does not write.
    assert (
        school_b_lezen.get(f"/api/v1/hulpvragen/{world.hv_b_ingediend.pk}/formulieren/").status_code
        == 200
    )
    assert (
        school_b_lezen.post(
            f"/api/v1/formulieren/{formulier_b.pk}/vooraf-invullen/",
            {"antwoorden": {"motivatie": "x"}},
        ).status_code
        == 403
    )
    # A closed hulpvraag's form is not changed any more (set-up moves the status directly).
    hv = world.hv_a_ingediend
    eind = hv.proces.statussen.filter(eindstatus=True).first()
    hv.status = eind
    hv.save(update_fields=["status"])
    response = school_a.post(
        f"/api/v1/formulieren/{_formulier(hv).pk}/vooraf-invullen/",
        {"antwoorden": {"motivatie": "x"}},
    )
    assert response.status_code == 403
    assert "afgesloten" in response.json()["detail"]
