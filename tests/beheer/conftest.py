from __future__ import annotations

import pytest

from accounts.models import Rol
from tests.factories import UserFactory

# The loket's "submitted through the engine" fixtures, for the kengetallen's overdue list.
from tests.loket.conftest import basisschool, ingediend  # noqa: E402, F401


@pytest.fixture
def opvolger(world):
    """The new ondersteuningscoördinator of school A."""
    return UserFactory(
        organisatie=world.org,
        username="opvolger",
        first_name="Olga",
        last_name="Opvolger",
        email="olga@school-a.example",
        rol=Rol.SCHOOL,
        scholen=[world.school_a],
    )


@pytest.fixture
def loket_elders(world):
    """The loket of the other SWV: must never see this SWV's beheer data."""
    return UserFactory(organisatie=world.other_org, username="loket", rol=Rol.SWV_LOKET)
