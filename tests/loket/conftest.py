"""Hulpvragen the school really submitted (through the engine, so the history and the decision
clock are as in production), and short helpers for the loket's screens."""

from __future__ import annotations

import pytest

from formulieren.demo import formulier_invullen_en_ondertekenen
from hulpvragen.services import hulpvraag_change_status
from tests.factories import AdresFactory, SchoolgegevensFactory, make_hulpvraag

INDIENEN = {
    "TLV_VSO": "TLV aanvraag indienen",
    "FA": "FA aanvraag indienen",
    "PRO": "PrO aanvraag indienen",
    "SV": "SV aanvraag indienen",
    "BAG": "BAG aanvraag indienen",
}


def status(hulpvraag, naam):
    return hulpvraag.proces.statussen.get(naam=naam)


@pytest.fixture
def ingediend(world):
    """make(type, school=…, aanvrager=…): a hulpvraag filled, signed and submitted by the school
    now (move the time around the call to submit it at another moment)."""

    def make(type="TLV_VSO", *, school=None, aanvrager=None):
        school = school or world.school_a
        aanvrager = aanvrager or world.coordinator_a
        sg = SchoolgegevensFactory(school=school, aanvrager=aanvrager, email="zorg@school.example")
        AdresFactory(leerling=sg.leerling)
        hulpvraag = make_hulpvraag(schoolgegevens=sg, type=type, door=aanvrager)
        formulier_invullen_en_ondertekenen(hulpvraag=hulpvraag)
        hulpvraag_change_status(
            hulpvraag=hulpvraag, naar=status(hulpvraag, INDIENEN[type]), door=aanvrager
        )
        return hulpvraag

    return make
