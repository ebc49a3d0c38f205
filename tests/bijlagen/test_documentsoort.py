"""The document kind of a bijlage: chosen at upload with a sensible default, shown in the list,
corrected by the uploader."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bijlagen.models import Bijlage, BijlageConcept
from tests.bijlagen import bestanden as b
from tests.helpers import login


def lijst(hv):
    return reverse("bijlagen:lijst", args=[hv.pk])


def upload(client, hv, naam, **data):
    return client.post(lijst(hv), {"bestanden": [SimpleUploadedFile(naam, b.pdf())], **data})


def gekozen(html: str) -> str:
    select = re.search(
        r'<select name="documentsoort"[^>]*id="id_documentsoort"[^>]*>(.*?)</select>', html, re.S
    )
    return re.search(r'<option value="([^"]+)" selected', select.group(1)).group(1)


def test_default_is_the_first_missing_required_kind_then_overig(client, world):
    hv = world.hv_a_voorlopig  # TLV VSO: the defaults require the parents' form and the OPP
    login(client, world.coordinator_a)
    pagina = client.get(lijst(hv)).content.decode()
    assert gekozen(pagina) == "ouderformulier"
    assert "Verplicht bij dit type hulpvraag:" in pagina
    # Posting without a kind takes the default the form showed.
    upload(client, hv, "formulier.pdf")
    assert Bijlage.objects.get().documentsoort == "ouderformulier"
    assert gekozen(client.get(lijst(hv)).content.decode()) == "opp"
    upload(client, hv, "opp.pdf", documentsoort="opp")
    assert gekozen(client.get(lijst(hv)).content.decode()) == "overig"


def test_loket_defaults_to_a_letter(client, world):
    login(client, world.loket)
    assert gekozen(client.get(lijst(world.hv_a_ingediend)).content.decode()) == "brief"


def test_kind_is_shown_in_the_list(client, world):
    hv = world.hv_a_ingediend
    login(client, world.coordinator_a)
    upload(client, hv, "opp.pdf", documentsoort="opp")
    login(client, world.loket)
    pagina = client.get(lijst(hv)).content.decode()
    assert "OPP (ontwikkelingsperspectiefplan)" in pagina


def test_unknown_kind_is_refused_in_dutch_and_the_file_kept(client, world):
    login(client, world.coordinator_a)
    response = upload(client, world.hv_a_voorlopig, "a.pdf", documentsoort="virus")
    assert response.status_code == 400
    assert "Onbekende soort document. Kies een soort uit de lijst." in response.content.decode()
    # An unknown value is never stored; the file waits, with the proposal as its kind.
    assert not Bijlage.objects.exists()
    assert BijlageConcept.objects.get().documentsoort == "ouderformulier"


def soort_url(bijlage):
    return reverse("bijlagen:soort", args=[bijlage.hulpvraag_id, bijlage.pk])


@pytest.fixture
def bijlage(client, world):
    login(client, world.coordinator_a)
    upload(client, world.hv_a_ingediend, "stuk.pdf", documentsoort="overig")
    client.logout()
    return Bijlage.objects.get()


def test_uploader_corrects_the_kind(client, world, bijlage):
    login(client, world.coordinator_a)
    assert client.post(soort_url(bijlage), {"documentsoort": "opp"}).status_code == 302
    bijlage.refresh_from_db()
    assert bijlage.documentsoort == "opp"
    assert client.post(soort_url(bijlage), {"documentsoort": "nonsens"}).status_code == 302
    bijlage.refresh_from_db()
    assert bijlage.documentsoort == "opp"


@pytest.mark.parametrize("persona", ["outsider", "collega_b", "deskundige", "beheerder"])
def test_others_get_404_on_the_kind_change(client, world, bijlage, persona):
    login(client, getattr(world, persona))
    assert client.post(soort_url(bijlage), {"documentsoort": "opp"}).status_code == 404
    bijlage.refresh_from_db()
    assert bijlage.documentsoort == "overig"


def test_who_sees_it_but_did_not_upload_it_may_not_change_it(client, world, bijlage):
    for persona in (world.loket, world.bestuurder_a):
        login(client, persona)
        assert client.post(soort_url(bijlage), {"documentsoort": "opp"}).status_code == 403
    assert client.get(soort_url(bijlage)).status_code == 405
    bijlage.refresh_from_db()
    assert bijlage.documentsoort == "overig"
