"""Retention: the daily job lists dossiers past their term; after the beheerder's confirmation
they are deleted with their files, leaving no orphan rows and a record without content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from beheer.models import Bewaarsignalering, Verwijdering
from beheer.services_bewaren import bewaarsignalering_refresh
from beheer.tasks import bewaartermijnen_signaleren
from bijlagen.models import Bijlage
from bijlagen.services import bestanden_check, bijlage_open_for_download, bijlagen_add
from dossiers.models import Leerling, Schoolgegevens
from hulpvragen.models import Hulpvraag, HulpvraagType, Statuswijziging
from tests.bijlagen.bestanden import pdf
from tests.factories import AdresFactory, SchoolgegevensFactory, make_hulpvraag
from tests.helpers import login

pytestmark = pytest.mark.django_db

URL = reverse("beheer:bewaartermijnen")


def _gesloten(hulpvraag, *, dagen_geleden: int, status: str):
    """Test set-up: the hulpvraag reached a final status `dagen_geleden` days ago. History rows are
    immutable in application code, so the set-up dates them with SQL."""
    hulpvraag.status = hulpvraag.proces.statussen.get(naam=status)
    hulpvraag.save(update_fields=["status"])
    op = timezone.now() - dt.timedelta(days=dagen_geleden)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Statuswijziging._meta.db_table} SET op = %s WHERE hulpvraag_id = %s",
            [op, hulpvraag.pk],
        )
    return hulpvraag


def _hulpvraag(world, type=HulpvraagType.TLV_VSO, leerling=None):
    kwargs = {"school": world.school_a, "aanvrager": world.coordinator_a}
    if leerling is not None:
        kwargs["leerling"] = leerling
    sg = SchoolgegevensFactory(**kwargs)
    return make_hulpvraag(schoolgegevens=sg, type=type, door=world.coordinator_a)


def _bijlage(hulpvraag, door):
    goed, fout = bestanden_check(
        bestanden=[SimpleUploadedFile("opp.pdf", pdf(), content_type="application/pdf")]
    )
    assert not fout
    return bijlagen_add(hulpvraag=hulpvraag, door=door, bestanden=goed)[0]


def test_default_terms_three_years_tlv_two_otherwise(world):
    tlv_2j = _gesloten(_hulpvraag(world), dagen_geleden=2 * 365 + 5, status="TLV afgegeven")
    tlv_3j = _gesloten(_hulpvraag(world), dagen_geleden=3 * 365 + 5, status="TLV afgegeven")
    fa_2j = _gesloten(
        _hulpvraag(world, HulpvraagType.FA), dagen_geleden=2 * 365 + 5, status="FA afgewezen"
    )
    # A dossier with one closed and one open hulpvraag is never due.
    oud = _gesloten(_hulpvraag(world), dagen_geleden=10 * 365, status="TLV afgegeven")
    _hulpvraag(world, HulpvraagType.FA, leerling=oud.leerling)

    assert bewaarsignalering_refresh(organisatie_id=world.org.pk) == 2
    due = set(Bewaarsignalering.objects.values_list("leerling_id", flat=True))
    assert due == {tlv_3j.leerling_id, fa_2j.leerling_id}
    assert tlv_2j.leerling_id not in due
    # The world's other hulpvragen are open.
    assert world.hv_a_ingediend.leerling_id not in due


def test_beat_job_lists_per_organisation(world):
    _gesloten(_hulpvraag(world), dagen_geleden=4 * 365, status="TLV afgegeven")
    assert bewaartermijnen_signaleren() == {"VO2505": 1, "PO2501": 0}


def test_beheerder_changes_a_term(client, world):
    hv = _gesloten(
        _hulpvraag(world, HulpvraagType.FA), dagen_geleden=2 * 365 + 5, status="FA afgewezen"
    )
    login(client, world.beheerder)
    data = {t: 3 if t == "TLV_VSO" else 2 for t in HulpvraagType.values}
    data.update({"FA": 5, "actie": "termijnen"})
    assert client.post(URL, data).status_code == 302
    client.post(URL, {"actie": "controleren"})
    assert not Bewaarsignalering.objects.filter(leerling_id=hv.leerling_id).exists()


def _fk_rijen_naar(model, ids) -> dict[str, int]:
    """Rows of any installed model that still point at one of these objects."""
    found = {}
    for other in apps.get_models():
        for field in other._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is model:
                n = other._base_manager.filter(**{f"{field.name}__in": ids}).count()
                if n:
                    found[f"{other.__name__}.{field.name}"] = n
    return found


def test_confirmed_deletion_removes_files_and_leaves_no_orphans(
    client, world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    weg = _hulpvraag(world)
    AdresFactory(leerling=weg.leerling)
    bijlage = _bijlage(weg, world.coordinator_a)
    bijlage_open_for_download(bijlage=bijlage, door=world.coordinator_a, ip_adres=None).close()
    tweede = _hulpvraag(world, HulpvraagType.FA, leerling=weg.leerling)
    _gesloten(weg, dagen_geleden=4 * 365, status="TLV afgegeven")
    _gesloten(tweede, dagen_geleden=4 * 365, status="FA afgewezen")
    blijft = _hulpvraag(world)
    blijft_bijlage = _bijlage(blijft, world.coordinator_a)
    assert default_storage.exists(bijlage.sleutel)

    leerling_id, hv_ids = weg.leerling_id, [weg.pk, tweede.pk]
    sg_ids = list(
        Schoolgegevens.objects.filter(leerling_id=leerling_id).values_list("pk", flat=True)
    )
    naam = weg.leerling.achternaam

    login(client, world.beheerder)
    client.post(URL, {"actie": "controleren"})
    with django_assert_max_num_queries(10):
        html = client.get(URL).content.decode()
    assert f"<td>{leerling_id}</td>" in html
    assert naam not in html  # the beheerder sees no pupil data

    # Without the tick nothing happens.
    client.post(URL, {"actie": "verwijderen", "leerling_ids": str(leerling_id)})
    assert Leerling.objects.filter(pk=leerling_id).exists()

    # Files go after the commit of their batch.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "actie": "verwijderen",
                "leerling_ids": str(leerling_id),
                "bevestigd": "on",
                "soort": "verwijderen",
            },
        )
    assert response.status_code == 302
    assert not default_storage.exists(bijlage.sleutel)
    assert default_storage.exists(blijft_bijlage.sleutel)
    assert not Leerling.objects.filter(pk=leerling_id).exists()
    assert _fk_rijen_naar(Leerling, [leerling_id]) == {}
    assert _fk_rijen_naar(Hulpvraag, hv_ids) == {}
    assert _fk_rijen_naar(Schoolgegevens, sg_ids) == {}
    assert _fk_rijen_naar(Bijlage, [bijlage.pk]) == {}
    assert not Bewaarsignalering.objects.exists()
    assert Hulpvraag.objects.filter(pk=blijft.pk).exists()

    record = Verwijdering.objects.get()
    assert (record.aantal_dossiers, record.aantal_hulpvragen, record.aantal_bijlagen) == (1, 2, 1)
    assert (record.soort, record.status) == ("verwijderen", "klaar")
    assert record.leerling_ids == [leerling_id]
    assert record.door == world.beheerder
    assert naam not in str(record.__dict__)
    html = client.get(URL).content.decode()
    assert "<td>verwijderen</td><td>klaar (" in html
    assert "<td>1 / 1</td><td>2</td><td>1</td>" in html


def test_a_dossier_reopened_after_the_list_is_not_deleted(
    client, world, django_capture_on_commit_callbacks
):
    hv = _gesloten(_hulpvraag(world), dagen_geleden=4 * 365, status="TLV afgegeven")
    login(client, world.beheerder)
    client.post(URL, {"actie": "controleren"})
    _hulpvraag(world, HulpvraagType.FA, leerling=hv.leerling)  # a new, open hulpvraag
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL,
            {
                "actie": "verwijderen",
                "leerling_ids": str(hv.leerling_id),
                "bevestigd": "on",
                "soort": "verwijderen",
            },
        )
    assert Leerling.objects.filter(pk=hv.leerling_id).exists()
    record = Verwijdering.objects.get()
    assert (record.status, record.aantal_dossiers, record.leerling_ids) == ("klaar", 0, [])


@pytest.mark.parametrize("soort", ["verwijderen", "anonimiseren"])
def test_another_organisations_dossier_is_never_touched(
    client, world, soort, django_capture_on_commit_callbacks
):
    other = _gesloten(world.hv_other_org, dagen_geleden=4 * 365, status="TLV afgegeven")
    naam = other.leerling.achternaam
    login(client, world.beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL,
            {
                "actie": "verwijderen",
                "soort": soort,
                "leerling_ids": str(other.leerling_id),
                "bevestigd": "on",
            },
        )
    assert Leerling.objects.get(pk=other.leerling_id).achternaam == naam
    assert Verwijdering.objects.get().aantal_dossiers == 0


def test_the_request_only_plans_the_job(client, world):
    """Nothing is removed in the request: the confirmation records a job, queued after commit."""
    hv = _gesloten(_hulpvraag(world), dagen_geleden=4 * 365, status="TLV afgegeven")
    login(client, world.beheerder)
    client.post(URL, {"actie": "controleren"})
    # The test transaction never commits, so the on-commit task does not run here.
    response = client.post(
        URL,
        {
            "actie": "verwijderen",
            "leerling_ids": str(hv.leerling_id),
            "bevestigd": "on",
            "soort": "verwijderen",
        },
    )
    assert response.status_code == 302
    assert Leerling.objects.filter(pk=hv.leerling_id).exists()
    record = Verwijdering.objects.get()
    assert (record.status, record.aangevraagd) == ("ingepland", [hv.leerling_id])
    assert "ingepland" in client.get(URL).content.decode()
    # The daily job runs a planned job whose message was lost.
    bewaartermijnen_signaleren()
    record.refresh_from_db()
    assert (record.status, record.aantal_dossiers) == ("klaar", 1)
    assert not Leerling.objects.filter(pk=hv.leerling_id).exists()
    # A job runs once.
    from beheer.services_bewaren import bewaaropdracht_uitvoeren

    assert bewaaropdracht_uitvoeren(verwijdering_id=record.pk).aantal_dossiers == 1


@pytest.mark.parametrize("persona", ["loket", "coordinator_a", "deskundige", "outsider"])
def test_only_the_beheerder(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"actie": "controleren"}).status_code == 404
