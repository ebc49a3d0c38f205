"""Isolation per resource: a school client sees only its schools' pupils and hulpvragen, never
another school's (voorlopige) aanvraag, never another SWV; the SWV-wide read-only client sees what
the loket sees (no voorlopige aanvraag); a revoked token sees nothing. Forbidden answers 404, the
same as missing. Only the beheerder registers clients."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import Rol
from api.models import ApiToken, Scope
from api.services import api_client_create, api_token_revoke
from tests.api.conftest import koppeling_voor, nieuwe_leerling

pytestmark = pytest.mark.django_db


def _paden(hv):
    return [
        f"/api/v1/hulpvragen/{hv.pk}/",
        f"/api/v1/hulpvragen/{hv.pk}/statushistorie/",
        f"/api/v1/hulpvragen/{hv.pk}/formulieren/",
        f"/api/v1/leerlingen/{hv.leerling_id}/",
    ]


def _lijst(koppeling, pad):
    return {r["id"] for r in koppeling.get(pad).json()["resultaten"]}


def test_school_client_sees_own_school_only(world, school_a):
    for hv in (world.hv_a_voorlopig, world.hv_a_ingediend):
        for pad in _paden(hv):
            assert school_a.get(pad).status_code == 200, pad
    for hv in (world.hv_b_ingediend, world.hv_other_org):
        for pad in _paden(hv):
            antwoord = school_a.get(pad)
            assert antwoord.status_code == 404, pad
            assert antwoord["Content-Type"] == "application/problem+json"
    assert _lijst(school_a, "/api/v1/hulpvragen/") == {
        world.hv_a_voorlopig.pk,
        world.hv_a_ingediend.pk,
    }
    leerlingen = _lijst(school_a, "/api/v1/leerlingen/")
    assert world.hv_b_ingediend.leerling_id not in leerlingen
    assert world.hv_other_org.leerling_id not in leerlingen
    # Finding by BSN never reaches another school's pupil.
    bsn_b = world.hv_b_ingediend.leerling.bsn
    assert school_a.get(f"/api/v1/leerlingen/?bsn={bsn_b}").json()["resultaten"] == []
    assert {s["id"] for s in school_a.get("/api/v1/scholen/").json()} == {world.school_a.pk}


def test_school_b_client_never_sees_school_as_voorlopige_aanvraag(world, school_b_lezen):
    for pad in _paden(world.hv_a_voorlopig):
        assert school_b_lezen.get(pad).status_code == 404
    assert _lijst(school_b_lezen, "/api/v1/hulpvragen/") == {world.hv_b_ingediend.pk}


def test_swv_wide_client_reads_what_the_loket_sees(world, swv_breed):
    assert _lijst(swv_breed, "/api/v1/hulpvragen/") == {
        world.hv_a_ingediend.pk,
        world.hv_b_ingediend.pk,
    }
    for pad in _paden(world.hv_a_voorlopig)[:3]:
        assert swv_breed.get(pad).status_code == 404
    for pad in _paden(world.hv_other_org):
        assert swv_breed.get(pad).status_code == 404
    antwoord = swv_breed.post(
        "/api/v1/hulpvragen/",
        {"leerling": world.hv_a_ingediend.leerling_id, "type": "TLV_VSO"},
    )
    assert antwoord.status_code == 403


def test_another_swvs_client_sees_nothing_of_this_swv(world):
    from tests.factories import UserFactory

    beheerder = UserFactory(organisatie=world.other_org, rol=Rol.BEHEERDER)
    elders = koppeling_voor(
        beheerder, naam="LVS elders", scope=Scope.SCHRIJVEN, scholen=[world.school_other]
    )
    assert _lijst(elders, "/api/v1/hulpvragen/") == {world.hv_other_org.pk}
    for hv in (world.hv_a_voorlopig, world.hv_a_ingediend, world.hv_b_ingediend):
        for pad in _paden(hv):
            assert elders.get(pad).status_code == 404
    # Nor can it put a pupil at a school of this SWV.
    antwoord = elders.post("/api/v1/leerlingen/", nieuwe_leerling(world.school_a))
    assert antwoord.status_code == 400
    assert "#/schoolgegevens/school" in {f["pointer"] for f in antwoord.json()["errors"]}
    # Nor a hulpvraag for a pupil of this SWV.
    antwoord = elders.post(
        "/api/v1/hulpvragen/",
        {"leerling": world.hv_a_ingediend.leerling_id, "type": "TLV_VSO"},
    )
    assert antwoord.status_code == 400
    assert antwoord.json()["errors"][0]["veld"] == "leerling"


def test_a_school_client_cannot_create_a_hulpvraag_for_another_schools_pupil(world, school_a):
    antwoord = school_a.post(
        "/api/v1/hulpvragen/",
        {"leerling": world.hv_b_ingediend.leerling_id, "type": "TLV_VSO"},
    )
    assert antwoord.status_code == 400
    assert world.hv_b_ingediend.leerling.hulpvragen.count() == 1


def test_a_revoked_token_sees_nothing(world, school_a):
    api_token_revoke(door=world.beheerder, token=ApiToken.objects.get(client=school_a.client))
    for pad in ["/api/v1/hulpvragen/", "/api/v1/leerlingen/", *_paden(world.hv_a_ingediend)]:
        assert school_a.get(pad).status_code == 401


def test_a_session_cookie_does_not_open_the_api(world, client):
    from tests.helpers import login

    login(client, world.coordinator_a)
    assert client.get("/api/v1/hulpvragen/").status_code == 401
    assert Client().get("/api/v1/hulpvragen/").status_code == 401


@pytest.mark.parametrize(
    "rol", [Rol.SCHOOL, Rol.BEVOEGD_GEZAG, Rol.SWV_LOKET, Rol.DESKUNDIGE, Rol.GENODIGDE]
)
def test_only_the_beheerder_registers_clients(world, rol):
    from tests.factories import UserFactory

    gebruiker = UserFactory(organisatie=world.org, rol=rol)
    with pytest.raises(ValidationError):
        api_client_create(door=gebruiker, naam="X", scope=Scope.LEZEN, scholen=[world.school_a])
