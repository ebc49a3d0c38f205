"""Hulpvragen the school really submitted (through the engine, so the history and the decision
clock are as in production), and short helpers for the loket's screens."""

from __future__ import annotations

import pytest

from accounts.models import Rol
from bijlagen.demo import verplichte_bijlagen_toevoegen
from formulieren.demo import formulier_invullen_en_ondertekenen
from hulpvragen.services import hulpvraag_change_status
from organisaties.models import Sector
from tests.factories import (
    AdresFactory,
    SchoolFactory,
    SchoolgegevensFactory,
    UserFactory,
    make_hulpvraag,
)

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
def basisschool(world):
    """A basisschool (they file BAG) and its IB'er."""
    school = SchoolFactory(
        organisatie=world.org, bestuur=world.bestuur_a, naam="OBS De Zonnewijzer", sector=Sector.PO
    )
    ib = UserFactory(organisatie=world.org, username="ib-er", rol=Rol.SCHOOL, scholen=[school])
    return school, ib


@pytest.fixture
def ingediend(world, request):
    """make(type, school=…, aanvrager=…): a hulpvraag filled, signed and submitted by the school
    now (move the time around the call to submit it at another moment)."""

    def make(type="TLV_VSO", *, school=None, aanvrager=None):
        sg_kwargs = {}
        if type == "BAG":  # filed by a basisschool
            school, aanvrager = request.getfixturevalue("basisschool")
            sg_kwargs = {"leerjaar": None, "groep": 8}
        school = school or world.school_a
        aanvrager = aanvrager or world.coordinator_a
        sg = SchoolgegevensFactory(
            school=school, aanvrager=aanvrager, email="zorg@school.example", **sg_kwargs
        )
        AdresFactory(leerling=sg.leerling)
        hulpvraag = make_hulpvraag(schoolgegevens=sg, type=type, door=aanvrager)
        formulier_invullen_en_ondertekenen(hulpvraag=hulpvraag)
        verplichte_bijlagen_toevoegen(hulpvraag=hulpvraag)
        hulpvraag_change_status(
            hulpvraag=hulpvraag, naar=status(hulpvraag, INDIENEN[type]), door=aanvrager
        )
        return hulpvraag

    return make
