"""PrO: when the LVS tab's computed advice is not praktijkonderwijs, the form demands the
toelichting; with a PrO advice, or while no advice can be computed, it does not."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dossiers.models import IqTest, Toets
from hulpvragen.models import HulpvraagType
from tests.factories import SchoolgegevensFactory, make_hulpvraag
from tests.formulieren.conftest import formulier_van, volledige_post
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def pro(world):
    sg = SchoolgegevensFactory(school=world.school_a, leerjaar=2, aanvrager=world.coordinator_a)
    return make_hulpvraag(schoolgegevens=sg, type=HulpvraagType.PRO, door=world.coordinator_a)


def _lvs(hulpvraag, *, iq):
    leerling = hulpvraag.leerling
    IqTest.objects.create(
        organisatie=leerling.organisatie,
        leerling=leerling,
        testdatum=date(2025, 10, 1),
        totaal_iq=iq,
    )
    for domein in ("BL", "IR"):
        Toets.objects.create(
            organisatie=leerling.organisatie,
            leerling=leerling,
            toetsdatum=date(2026, 1, 12),
            domein=domein,
            dle=20,
        )


def _opslaan_zonder_toelichting(client, world, hulpvraag):
    formulier = formulier_van(hulpvraag)
    login(client, world.coordinator_a)
    data = volledige_post(formulier, ondertekenaar=world.bestuurder_a)
    data.pop("advies_toelichting")
    return client.post(reverse("formulieren:bewerken", args=[formulier.pk]), data)


def test_advice_not_pro_makes_the_toelichting_required(client, world, pro):
    _lvs(pro, iq=100)
    formulier = formulier_van(pro)
    login(client, world.coordinator_a)
    pagina = client.get(reverse("formulieren:bewerken", args=[formulier.pk])).content.decode()
    assert "Berekend advies (tabblad LVS): Geen praktijkonderwijs" in pagina
    response = _opslaan_zonder_toelichting(client, world, pro)
    assert response.status_code == 200
    assert 'href="#vraag-advies_toelichting"' in response.content.decode()


def test_advice_pro_needs_no_toelichting(client, world, pro):
    _lvs(pro, iq=70)
    assert _opslaan_zonder_toelichting(client, world, pro).status_code == 302


def test_without_lvs_data_the_toelichting_is_not_demanded(client, world, pro):
    assert _opslaan_zonder_toelichting(client, world, pro).status_code == 302
