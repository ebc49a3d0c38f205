"""AVG inzage: the beheerder exports everything about one pupil, and nothing of another."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from bijlagen.services import bestanden_check, bijlage_open_for_download, bijlagen_add
from hulpvragen.models import Statuswijziging
from hulpvragen.services import hulpvraag_change_status
from meldingen.models import Notificatie
from tests.bijlagen.bestanden import pdf
from tests.factories import AdresFactory, SchoolgegevensFactory, grant_toegang, make_hulpvraag
from tests.helpers import login

pytestmark = pytest.mark.django_db

ZOEK = reverse("beheer:inzage")


@pytest.fixture
def dossier(world):
    """School A's submitted hulpvraag with an address, a second hulpvraag, a bijlage that was
    downloaded, a status change with its outbox row and a deskundige's access."""
    hv = world.hv_a_ingediend
    AdresFactory(leerling=hv.leerling)
    sg2 = SchoolgegevensFactory(
        school=world.school_a, leerling=hv.leerling, aanvrager=world.coordinator_a
    )
    tweede = make_hulpvraag(schoolgegevens=sg2, door=world.coordinator_a, type="FA")
    goed, _ = bestanden_check(
        bestanden=[SimpleUploadedFile("opp.pdf", pdf(b"Inhoud OPP"), "application/pdf")]
    )
    bijlage = bijlagen_add(hulpvraag=hv, door=world.coordinator_a, bestanden=goed)[0]
    bijlage_open_for_download(bijlage=bijlage, door=world.loket, ip_adres="10.0.0.1").close()
    naar = hv.proces.statussen.get(naam="TLV vragen gesteld")
    hulpvraag_change_status(hulpvraag=hv, naar=naar, door=world.loket, toelichting="Graag OPP")
    grant_toegang(hulpvraag=hv, gebruiker=world.deskundige, door=world.loket)
    return hv, tweede, bijlage


def _export(client, leerling_id) -> zipfile.ZipFile:
    response = client.post(reverse("beheer:inzage_export", args=[leerling_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_export_contains_every_object_of_the_pupil_and_nothing_else(client, world, dossier):
    hv, tweede, bijlage = dossier
    leerling = hv.leerling
    anderen = (world.hv_a_voorlopig, world.hv_b_ingediend, world.hv_other_org)
    # Surnames no random user name can share, so "nothing of another pupil" cannot flake.
    for i, other in enumerate(anderen):
        other.leerling.achternaam = f"Anderleerling{i}xq"
        other.leerling.save(update_fields=["achternaam"])
    login(client, world.beheerder)
    html = client.post(ZOEK, {"bsn": leerling.bsn}).content.decode()
    assert f"Dossier {leerling.pk}: {escape(leerling.naam)}" in html

    z = _export(client, leerling.pk)
    assert set(z.namelist()) == {
        "samenvatting.html",
        "gegevens.json",
        f"bijlagen/{bijlage.pk}-{bijlage.naam}",
    }
    assert b"Inhoud OPP" in z.read(f"bijlagen/{bijlage.pk}-{bijlage.naam}")
    data = json.loads(z.read("gegevens.json"))
    ids = {model: {r["id"] for r in rows} for model, rows in data.items()}
    assert ids["dossiers.leerling"] == {leerling.pk}
    assert ids["hulpvragen.hulpvraag"] == {hv.pk, tweede.pk}
    assert len(ids["dossiers.adres"]) == 1
    assert ids["dossiers.schoolgegevens"] == {hv.schoolgegevens_id, tweede.schoolgegevens_id}
    assert ids["hulpvragen.statuswijziging"] == set(
        Statuswijziging.objects.filter(hulpvraag__leerling=leerling).values_list("pk", flat=True)
    )
    assert ids["meldingen.notificatie"] == set(
        Notificatie.objects.filter(hulpvraag__leerling=leerling).values_list("pk", flat=True)
    )
    assert len(ids["hulpvragen.toegang"]) == 1
    assert ids["bijlagen.bijlage"] == {bijlage.pk}
    assert len(ids["audit.bijlageinzage"]) == 1
    assert "sleutel" not in data["bijlagen.bijlage"][0]

    samenvatting = z.read("samenvatting.html").decode()
    assert escape(leerling.naam) in samenvatting
    assert "TLV vragen gesteld" in samenvatting and "Graag OPP" in samenvatting
    assert "opp.pdf" in samenvatting
    assert "bijlage gedownload" in samenvatting  # who viewed it
    assert str(world.deskundige) in samenvatting  # who was given access

    # Nothing of another pupil.
    everything = z.read("gegevens.json").decode() + samenvatting
    for other in anderen:
        assert other.leerling.bsn not in everything
        assert other.leerling.achternaam not in everything


def test_search_is_within_the_own_organisation(client, world):
    login(client, world.beheerder)
    other = world.hv_other_org.leerling
    html = client.post(ZOEK, {"bsn": other.bsn}).content.decode()
    assert "Geen dossier gevonden" in html
    assert client.post(reverse("beheer:inzage_export", args=[other.pk])).status_code == 404


def test_search_needs_bsn_or_dossier_number(client, world):
    login(client, world.beheerder)
    html = client.post(ZOEK, {}).content.decode()
    assert "Vul het BSN of het dossiernummer in." in html


@pytest.mark.parametrize("persona", ["loket", "coordinator_a", "deskundige", "outsider"])
def test_only_the_beheerder(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(ZOEK).status_code == 404
    url = reverse("beheer:inzage_export", args=[world.hv_a_ingediend.leerling_id])
    assert client.post(url).status_code == 404


def test_export_query_count_is_bounded(client, world, dossier, django_assert_max_num_queries):
    login(client, world.beheerder)
    with django_assert_max_num_queries(80):
        _export(client, dossier[0].leerling_id)
