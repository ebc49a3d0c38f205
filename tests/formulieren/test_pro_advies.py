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


def test_sociaal_emotioneel_comes_from_the_lvs_tab_and_is_never_typed_twice(
    client, world, pro, totp_bestuurder
):
    """The PrO form shows the LVS tab's sociaal-emotionele answers prefilled (no input); they
    are in the Word export, and a later change on the LVS tab voids a signature like any
    dossier fact the form shows."""
    import io

    from docx import Document

    from formulieren.selectors import formulier_ondertekening_ontbreekt
    from tests.dossiers.conftest import form_data

    formulier = formulier_van(pro)
    bewerken = reverse("formulieren:bewerken", args=[formulier.pk])
    login(client, world.coordinator_a)
    pagina = client.get(bewerken).content.decode()
    assert 'name="sociaal_emotioneel' not in pagina
    assert "Niet ingevuld op het tabblad LVS." in pagina

    lvs = reverse("dossiers:lvs", args=[pro.pk])
    data = form_data(client.get(lvs))
    data.update({"sep-faalangst": "True", "sep-faalangst_toelichting": "Blokkeert bij toetsen."})
    data.update({"sep-prestatiemotivatie": "False"})
    assert client.post(lvs, data).status_code == 302
    verwacht = (
        "Is er sprake van faalangst? Ja (Blokkeert bij toetsen.); "
        "Is er sprake van een lage prestatiemotivatie? Nee"
    )
    assert verwacht in client.get(bewerken).content.decode()

    assert (
        client.post(
            bewerken, volledige_post(formulier, ondertekenaar=world.bestuurder_a)
        ).status_code
        == 302
    )
    formulier.refresh_from_db()
    assert "sociaal_emotioneel" not in formulier.antwoorden
    word = client.get(reverse("formulieren:word", args=[formulier.pk])).content
    doc = Document(io.BytesIO(word))
    assert verwacht in [c.text for t in doc.tables for r in t.rows for c in r.cells]

    _device, totp = totp_bestuurder
    login(client, world.bestuurder_a)
    ondertekenen = reverse("formulieren:ondertekenen", args=[formulier.pk])
    assert client.post(ondertekenen, {"code": totp.now()}).status_code == 302
    assert formulier_ondertekening_ontbreekt(hulpvraag=pro) is None
    login(client, world.coordinator_a)
    data = form_data(client.get(lvs))
    data["sep-faalangst"] = "False"
    assert client.post(lvs, data).status_code == 302
    assert "vervallen" in formulier_ondertekening_ontbreekt(hulpvraag=pro)
