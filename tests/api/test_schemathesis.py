"""Property-based tests from the served schema (schemathesis): every operation, with generated
valid and invalid input, as a school client with write rights, on a world with pupils and
hulpvragen of several schools. No 500, and every documented answer conforms to the schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from api.models import Scope
from tests.api.conftest import koppeling_voor


@pytest.fixture(autouse=True)
def _verbinding_blijft_open():
    # The WSGI handler closes the database connection after each request, as in production; in
    # a test that would end the test's transaction. Django's own test client switches this off
    # the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(world):
    cache.clear()
    k = koppeling_voor(
        world.beheerder, naam="Fuzz", scope=Scope.SCHRIJVEN, scholen=[world.school_a]
    )
    k.client.per_minuut = 100_000
    k.client.save()
    return k.token


# Loaded from the running application's schema URL, as a vendor would (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_as_a_school_client(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(
        response,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
