from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from bijlagen.models import Documentsoort
from formulieren.demo import formulier_invullen_en_ondertekenen
from tests.bijlagen import bestanden as b

LINK = re.compile(r"https?://[^\s\"<>]+/ouder/[A-Za-z0-9_-]+/")


@dataclass
class Aanvraag:
    hulpvraag: object
    formulier: object
    opp: object
    verslag: object


def _bijlage(hulpvraag, door, naam, soort):
    from bijlagen.services import bijlage_document_add

    return bijlage_document_add(
        hulpvraag=hulpvraag,
        door=door,
        naam=naam,
        inhoud=b.pdf(naam.encode()),
        documentsoort=soort,
    )


def aanvraag_klaar(world, hulpvraag=None) -> Aanvraag:
    """A TLV VSO whose form the school filled and the bevoegd gezag signed, with an OPP and a
    research report as bijlagen."""
    hulpvraag = hulpvraag or world.hv_a_voorlopig
    (formulier,) = formulier_invullen_en_ondertekenen(hulpvraag=hulpvraag)
    opp = _bijlage(hulpvraag, world.coordinator_a, "OPP Sanne.pdf", Documentsoort.OPP)
    verslag = _bijlage(
        hulpvraag, world.coordinator_a, "Verslag psycholoog.pdf", Documentsoort.ONDERZOEKSVERSLAG
    )
    return Aanvraag(hulpvraag, formulier, opp, verslag)


@pytest.fixture
def aanvraag(world) -> Aanvraag:
    return aanvraag_klaar(world)


def link_uit_mail(bericht) -> str:
    return LINK.search(bericht.body).group(0)
