"""LVS data through the API: toetsen and IQ tests with the tab's validators and service, the
computed advice's input; isolated like every resource."""

from __future__ import annotations

import pytest

from dossiers.models import IqTest, Toets

pytestmark = pytest.mark.django_db


def test_toetsen_and_iq_through_the_tabs_service(world, school_a):
    leerling = world.hv_a_voorlopig.leerling
    url = f"/api/v1/leerlingen/{leerling.pk}/lvs/"
    antwoord = school_a.post(
        url,
        {
            "toetsen": [{"toetsdatum": "2026-01-20", "domein": "BL", "dle": 25}],
            "iq_tests": [{"testdatum": "2025-11-01", "totaal_iq": 70, "test": "WISC-V"}],
        },
        HTTP_IDEMPOTENCY_KEY="lvs-1",
    )
    assert antwoord.status_code == 201, antwoord.json()
    assert [t["domein"] for t in antwoord.json()["toetsen"]] == ["BL"]
    herhaald = school_a.post(
        url,
        {
            "toetsen": [{"toetsdatum": "2026-01-20", "domein": "BL", "dle": 25}],
            "iq_tests": [{"testdatum": "2025-11-01", "totaal_iq": 70, "test": "WISC-V"}],
        },
        HTTP_IDEMPOTENCY_KEY="lvs-1",
    )
    assert herhaald["Idempotent-Replayed"] == "true"
    assert Toets.objects.filter(leerling=leerling).count() == 1
    toets = Toets.objects.get(leerling=leerling)
    assert toets.organisatie == leerling.organisatie
    assert toets.gewijzigd_door == school_a.client.gebruiker
    assert IqTest.objects.get(leerling=leerling).totaal_iq == 70
    assert school_a.get(url).json()["iq_tests"][0]["totaal_iq"] == 70


def test_the_tabs_validators_refuse_per_field(world, school_a):
    leerling = world.hv_a_voorlopig.leerling
    antwoord = school_a.post(
        f"/api/v1/leerlingen/{leerling.pk}/lvs/",
        {
            "toetsen": [{"toetsdatum": "2026-01-20", "domein": "BL", "dle": -1}],
            "iq_tests": [{"testdatum": "2025-11-01", "totaal_iq": 200}],
        },
    )
    assert antwoord.status_code == 400
    pointers = {f["pointer"] for f in antwoord.json()["errors"]}
    assert {"#/toetsen/0/dle", "#/iq_tests/0/totaal_iq"} <= pointers
    assert not Toets.objects.filter(leerling=leerling).exists()


def test_lvs_of_another_school_is_404(world, school_a, school_b_lezen):
    anders = world.hv_b_ingediend.leerling
    url = f"/api/v1/leerlingen/{anders.pk}/lvs/"
    assert school_a.get(url).status_code == 404
    assert school_a.post(url, {"toetsen": []}).status_code == 404
    eigen = world.hv_b_ingediend.leerling
    assert school_b_lezen.post(f"/api/v1/leerlingen/{eigen.pk}/lvs/", {}).status_code == 403
