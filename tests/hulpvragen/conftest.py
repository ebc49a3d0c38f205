"""Helpers for the status-engine tests: hulpvragen that can really be submitted (with an address),
a basisschool with its IB'er for BAG, and short names for who acts."""

from __future__ import annotations

import pytest

from accounts.models import Rol
from bijlagen.demo import verplichte_bijlagen_toevoegen
from formulieren.demo import formulier_invullen_en_ondertekenen
from organisaties.models import Sector
from tests.factories import (
    AdresFactory,
    SchoolFactory,
    SchoolgegevensFactory,
    UserFactory,
    make_hulpvraag,
)


@pytest.fixture
def basisschool(world):
    return SchoolFactory(
        organisatie=world.org, bestuur=world.bestuur_a, naam="OBS De Zonnewijzer", sector=Sector.PO
    )


@pytest.fixture
def ib_basisschool(world, basisschool):
    return UserFactory(
        organisatie=world.org, username="ib-er", rol=Rol.SCHOOL, scholen=[basisschool]
    )


@pytest.fixture
def new_hulpvraag(world, basisschool, ib_basisschool):
    """A fresh hulpvraag of `type` at school A (BAG: at the basisschool) whose pupil has an
    address, made through hulpvraag_create, its form filled and signed (ondertekend=False: not)
    and the required bijlagen added (bijlagen=False: not)."""

    def make(type="TLV_VSO", *, adres=True, ondertekend=True, bijlagen=True, **sg_kwargs):
        if type == "BAG":
            school, aanvrager = basisschool, ib_basisschool
            sg_kwargs.setdefault("leerjaar", None)
            sg_kwargs.setdefault("groep", 8)
        else:
            school, aanvrager = world.school_a, world.coordinator_a
        sg_kwargs.setdefault("email", "zorg@school-a.example")
        sg = SchoolgegevensFactory(school=school, aanvrager=aanvrager, **sg_kwargs)
        if adres:
            AdresFactory(leerling=sg.leerling)
        hulpvraag = make_hulpvraag(schoolgegevens=sg, type=type, door=aanvrager)
        if ondertekend:
            # Indienen of TLV VSO, FA and PrO waits for the form signed by the bevoegd gezag
            # (the formulieren check "formulier_ondertekend"); these tests are about the engine.
            formulier_invullen_en_ondertekenen(hulpvraag=hulpvraag)
        if bijlagen:
            # ... and for the documents the manual requires (the bijlagen check).
            verplichte_bijlagen_toevoegen(hulpvraag=hulpvraag)
        return hulpvraag

    return make
