"""Set-up for besluiten tests: a TLV VSO that the loket found complete, a second deskundige of
another discipline, and steps through the screens (assign, advise) that several tests share."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from accounts.models import Rol
from hulpvragen.models import HulpvraagType
from tests.factories import AdresFactory, SchoolgegevensFactory, UserFactory, make_hulpvraag
from tests.helpers import login


@pytest.fixture
def kinderarts(world):
    return UserFactory(
        organisatie=world.org, username="kinderarts", rol=Rol.DESKUNDIGE, functie="kinderarts"
    )


def hulpvraag_in(world, status: str, type_=HulpvraagType.TLV_VSO):
    sg = SchoolgegevensFactory(
        school=world.school_a, aanvrager=world.coordinator_a, email="zorg@school-a.example"
    )
    AdresFactory(leerling=sg.leerling, straat="Loolaan", huisnummer="12", postcode="7315 AB")
    return make_hulpvraag(schoolgegevens=sg, door=world.coordinator_a, type=type_, status=status)


@pytest.fixture
def compleet(world):
    return hulpvraag_in(world, "TLV aanvraag compleet")


def toewijzen(client, hulpvraag, deskundige, volgorde, discipline):
    return client.post(
        reverse("besluiten:besluit", args=[hulpvraag.pk]),
        {
            "actie": "toewijzen",
            "volgorde": volgorde,
            "deskundige": deskundige.pk,
            "discipline": discipline,
        },
    )


def adviseren(client, hulpvraag, *, toelaatbaar=True, categorie="midden", duur=2, motivering="M"):
    return client.post(
        reverse("besluiten:advies", args=[hulpvraag.pk]),
        {
            "toelaatbaar": "ja" if toelaatbaar else "nee",
            "bekostigingscategorie": categorie if toelaatbaar else "",
            "duur_schooljaren": duur if toelaatbaar else "",
            "motivering": motivering,
        },
    )


def twee_adviezen(client, world, hulpvraag, kinderarts, **tweede):
    """Loket assigns the orthopedagoog and the kinderarts; both advise (through the screens)."""
    login(client, world.loket)
    assert toewijzen(client, hulpvraag, world.deskundige, 1, "orthopedagoog").status_code == 302
    assert toewijzen(client, hulpvraag, kinderarts, 2, "kinderarts").status_code == 302
    login(client, world.deskundige)
    assert adviseren(client, hulpvraag, motivering="Past bij VSO.").status_code == 302
    login(client, kinderarts)
    assert adviseren(client, hulpvraag, **tweede).status_code == 302
    login(client, world.loket)


def docx_tekst(inhoud: bytes) -> str:
    doc = Document(io.BytesIO(inhoud))
    delen = [p.text for p in doc.paragraphs]
    for tabel in doc.tables:
        for rij in tabel.rows:
            delen.extend(cel.text for cel in rij.cells)
    return "\n".join(delen)


def download(client, bijlage) -> bytes:
    response = client.get(reverse("bijlagen:download", args=[bijlage.hulpvraag_id, bijlage.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)
