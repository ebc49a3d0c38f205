"""The rate limit per client: over its number of requests per minute a client gets 429 with
Retry-After and a Dutch problem; another client is not affected."""

from __future__ import annotations

import pytest

from api.models import Scope
from tests.api.conftest import koppeling_voor

pytestmark = pytest.mark.django_db


def test_over_the_limit_answers_429_per_client(world):
    traag = koppeling_voor(
        world.beheerder, naam="Traag", scope=Scope.LEZEN, scholen=[world.school_a]
    )
    traag.client.per_minuut = 3
    traag.client.save()
    ander = koppeling_voor(
        world.beheerder, naam="Ander", scope=Scope.LEZEN, scholen=[world.school_a]
    )
    for _ in range(3):
        assert traag.get("/api/v1/scholen/").status_code == 200
    antwoord = traag.get("/api/v1/scholen/")
    assert antwoord.status_code == 429
    assert antwoord["Content-Type"] == "application/problem+json"
    assert 1 <= int(antwoord["Retry-After"]) <= 60
    assert "per minuut" in antwoord.json()["detail"]
    assert ander.get("/api/v1/scholen/").status_code == 200
