"""API clients as the beheerder registers them: a school client of school A (read and write), a
read-only one of school B, and a read-only client of the whole SWV (the loket's tooling)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from api.models import Scope
from api.services import api_client_create, api_token_create


@dataclass
class Koppeling:
    client: object
    token: str
    http: Client

    def get(self, path, **kw):
        return self.http.get(path, **kw)

    def post(self, path, data=None, **kw):
        kw.setdefault("content_type", "application/json")
        return self.http.post(path, data, **kw)


def koppeling_voor(beheerder, **kwargs) -> Koppeling:
    client = api_client_create(door=beheerder, **kwargs)
    _rij, token = api_token_create(door=beheerder, client=client)
    return Koppeling(client, token, Client(HTTP_AUTHORIZATION=f"Bearer {token}"))


@pytest.fixture(autouse=True)
def _schone_teller():
    # The rate limit counts per client id in the cache; ids repeat across tests.
    cache.clear()


@pytest.fixture
def school_a(world) -> Koppeling:
    return koppeling_voor(
        world.beheerder, naam="LVS School A", scope=Scope.SCHRIJVEN, scholen=[world.school_a]
    )


@pytest.fixture
def school_b_lezen(world) -> Koppeling:
    return koppeling_voor(
        world.beheerder, naam="LVS School B", scope=Scope.LEZEN, scholen=[world.school_b]
    )


@pytest.fixture
def swv_breed(world) -> Koppeling:
    return koppeling_voor(world.beheerder, naam="Loket-tooling", scope=Scope.LEZEN, swv_breed=True)


def nieuwe_leerling(school, **over) -> dict:
    data = {
        "voornamen": "Anna Maria",
        "roepnaam": "Anna",
        "tussenvoegsel": "van",
        "achternaam": "Dalen",
        "geboortedatum": "2012-03-14",
        "geslacht": "V",
        "bsn": "111222333",
        "adres": {
            "straat": "Dorpsstraat",
            "huisnummer": "1",
            "postcode": "7311 AA",
            "woonplaats": "Apeldoorn",
        },
        "schoolgegevens": {
            "school": school.pk,
            "leerjaar_groep": 2,
            "doublures": 0,
            "contactpersoon": "Piet Zorg",
            "email": "zorg@school-a.example",
        },
    }
    data.update(over)
    return data
