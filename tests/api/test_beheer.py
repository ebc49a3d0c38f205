"""The beheerder's screen API-koppelingen: register a client, the token shown once, rotate,
revoke; a double post records once; other roles get 404."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from api.models import ApiClient, ApiToken
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _token_uit(html: str) -> str:
    return re.search(r'value="(kk_[^"]+)"', html).group(1)


def test_beheerder_registers_a_client_and_the_token_works_once_shown(client, world):
    login(client, world.beheerder)
    assert client.get("/swv/").content.decode().count("/swv/api-koppelingen/") == 1
    pagina = client.get("/swv/api-koppelingen/nieuw/")
    assert pagina.status_code == 200
    token_veld = re.search(r'name="eenmalig" value="([^"]+)"', pagina.content.decode()).group(1)
    data = {
        "naam": "Magister School A",
        "scholen": [world.school_a.pk],
        "scope": "schrijven",
        "per_minuut": 60,
        "eenmalig": token_veld,
    }
    antwoord = client.post("/swv/api-koppelingen/nieuw/", data)
    assert antwoord.status_code == 200
    token = _token_uit(antwoord.content.decode())
    koppeling = ApiClient.objects.get(naam="Magister School A")
    assert list(koppeling.gebruiker.scholen.all()) == [world.school_a]
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/scholen/").status_code == 200
    # Posted twice: one client, and the token is not shown again.
    opnieuw = client.post("/swv/api-koppelingen/nieuw/", data, follow=True)
    assert ApiClient.objects.filter(naam="Magister School A").count() == 1
    assert token not in opnieuw.content.decode()
    detail = client.get(f"/swv/api-koppelingen/{koppeling.pk}/").content.decode()
    assert token not in detail and token[:15] in detail  # kk_ + the prefix identifies it

    # Rotate with no overlap: the old token stops, the new one (shown once) works.
    rij = ApiToken.objects.get(client=koppeling)
    antwoord = client.post(
        f"/swv/api-koppelingen/{koppeling.pk}/",
        {"actie": "vernieuwen", "token": rij.pk, "overlap": "0"},
    )
    nieuw = _token_uit(antwoord.content.decode())
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/scholen/").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Bearer {nieuw}").get("/api/v1/scholen/").status_code == 200

    client.post(f"/swv/api-koppelingen/{koppeling.pk}/", {"actie": "koppeling_intrekken"})
    assert Client(HTTP_AUTHORIZATION=f"Bearer {nieuw}").get("/api/v1/scholen/").status_code == 401
    koppeling.refresh_from_db()
    assert not koppeling.actief and not koppeling.gebruiker.is_active


def test_swv_wide_client_must_be_read_only_and_a_school_client_needs_schools(client, world):
    login(client, world.beheerder)
    antwoord = client.post(
        "/swv/api-koppelingen/nieuw/",
        {"naam": "Tooling", "swv_breed": "on", "scope": "schrijven", "per_minuut": 60},
    )
    assert antwoord.status_code == 400
    assert "alleen lezen" in antwoord.content.decode()
    antwoord = client.post(
        "/swv/api-koppelingen/nieuw/", {"naam": "X", "scope": "lezen", "per_minuut": 60}
    )
    assert antwoord.status_code == 400
    assert not ApiClient.objects.exists()


def test_other_roles_and_another_swv_get_404(client, world):
    login(client, world.beheerder)
    client.post(
        "/swv/api-koppelingen/nieuw/",
        {"naam": "Magister", "scholen": [world.school_a.pk], "scope": "lezen", "per_minuut": 5},
    )
    koppeling = ApiClient.objects.get()
    for persoon in (world.coordinator_a, world.loket, world.outsider):
        anders = Client()
        login(anders, persoon)
        assert anders.get("/swv/api-koppelingen/").status_code == 404
        assert anders.get(f"/swv/api-koppelingen/{koppeling.pk}/").status_code == 404
