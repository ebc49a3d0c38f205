"""Financieel Arrangement: "Arrangement vastleggen" through the Besluit page records bedrag,
periode and evaluatiedatum, changes the status and puts the toewijzingsbrief in the hulpvraag's
bijlagen; the school's upload afterwards is the evaluation; the reminder before the
evaluatiedatum (beat task) is sent once, without pupil data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from besluiten.models import FinancieelArrangement
from besluiten.tasks import fa_evaluatie_herinneren
from hulpvragen.models import HulpvraagType
from meldingen.models import Notificatie
from tests.besluiten.conftest import docx_tekst, download, hulpvraag_in
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def fa(world):
    return hulpvraag_in(world, "FA aanvraag indienen", type_=HulpvraagType.FA)


def fa_post(client, hulpvraag, **extra):
    data = {
        "actie": "fa",
        "gezien_status": hulpvraag.status_id,
        "bedrag": "12345,60",
        "ingangsdatum": "01-08-2026",
        "einddatum": "31-07-2027",
        "evaluatiedatum": "01-06-2027",
        "besluitdatum": "10-07-2026",
        "toelichting": "",
        **extra,
    }
    return client.post(reverse("besluiten:besluit", args=[hulpvraag.pk]), data)


def test_fa_afgegeven_records_the_arrangement_and_the_toewijzingsbrief(client, world, fa):
    login(client, world.loket)
    page = client.get(reverse("besluiten:besluit", args=[fa.pk])).content.decode()
    assert "Arrangement vastleggen" in page and "TLV vastleggen" not in page
    fout = fa_post(client, fa, einddatum="01-07-2026", bedrag="0")
    assert fout.status_code == 200
    assert not FinancieelArrangement.objects.exists()

    response = fa_post(client, fa)
    assert response.status_code == 302
    fa.refresh_from_db()
    assert fa.status.naam == "FA afgegeven"
    arrangement = FinancieelArrangement.objects.get(hulpvraag=fa)
    assert arrangement.bedrag == Decimal("12345.60")
    assert arrangement.evaluatiedatum == date(2027, 6, 1)
    login(client, world.coordinator_a)
    lijst = client.get(reverse("bijlagen:lijst", args=[fa.pk])).content.decode()
    assert "toewijzingsbrief-fa-100726.docx" in lijst
    tekst = docx_tekst(download(client, arrangement.brieven.get()))
    assert "Bedrag: € 12.345,60" in tekst
    assert "uiterlijk 01-06-2027" in tekst
    assert "Periode: van 01-08-2026 tot en met 31-07-2027" in tekst
    assert "Bezwaar" not in tekst  # the LBT clause belongs to TLV decisions


def test_fa_afgegeven_is_unreachable_through_status_wijzigen(client, world, fa):
    login(client, world.loket)
    naar = fa.proces.statussen.get(naam="FA afgegeven")
    response = client.post(
        reverse("hulpvragen:status_wijzigen", args=[fa.pk]),
        {"naar": naar.pk, "toelichting": "", "gezien_status": fa.status_id},
    )
    page = response.content.decode()
    assert "Het financieel arrangement is nog niet vastgelegd" in page
    assert reverse("besluiten:besluit", args=[fa.pk]) in page
    fa.refresh_from_db()
    assert fa.status.naam == "FA aanvraag indienen"


def test_the_schools_upload_after_fa_afgegeven_is_the_evaluation(client, world, fa):
    login(client, world.loket)
    fa_post(client, fa)
    fa.refresh_from_db()
    assert fa.status.naam == "FA afgegeven"  # the letter itself fired no event
    login(client, world.coordinator_a)
    pdf = SimpleUploadedFile("evaluatie.pdf", b"%PDF-1.4\n%evaluatie\n", "application/pdf")
    response = client.post(reverse("bijlagen:lijst", args=[fa.pk]), {"bestanden": [pdf]})
    assert response.status_code in (200, 302)
    fa.refresh_from_db()
    assert fa.status.naam == "FA evaluatie toegevoegd"


def test_reminder_before_the_evaluatiedatum_is_sent_once_without_pupil_data(
    client, world, fa, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.FA_EVALUATIE_HERINNERING_WEKEN = 4
    vandaag = timezone.localdate()
    login(client, world.loket)
    fa_post(
        client,
        fa,
        ingangsdatum=(vandaag - timedelta(days=200)).strftime("%d-%m-%Y"),
        einddatum=(vandaag + timedelta(days=200)).strftime("%d-%m-%Y"),
        evaluatiedatum=(vandaag + timedelta(weeks=5)).strftime("%d-%m-%Y"),
    )
    later = hulpvraag_in(world, "FA aanvraag indienen", type_=HulpvraagType.FA)
    fa_post(
        client,
        later,
        ingangsdatum=(vandaag - timedelta(days=20)).strftime("%d-%m-%Y"),
        einddatum=(vandaag + timedelta(days=300)).strftime("%d-%m-%Y"),
        evaluatiedatum=(vandaag + timedelta(weeks=20)).strftime("%d-%m-%Y"),
    )
    mailoutbox.clear()
    # Five weeks before: nothing yet.
    assert fa_evaluatie_herinneren() == 0
    # Time moves on: the evaluatiedatum is now within four weeks.
    arrangement = FinancieelArrangement.objects.get(hulpvraag=fa)
    arrangement.evaluatiedatum = vandaag + timedelta(weeks=4)
    arrangement.save(update_fields=["evaluatiedatum"])
    with django_capture_on_commit_callbacks(execute=True):
        assert fa_evaluatie_herinneren() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert fa_evaluatie_herinneren() == 0  # idempotent
    rows = Notificatie.objects.filter(hulpvraag=fa, soort="bericht")
    assert rows.count() == 1 and rows.get().ontvanger == "zorg@school-a.example"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    datum = arrangement.evaluatiedatum.strftime("%d-%m-%Y")
    assert datum in mail.subject and datum in mail.body
    leerling = fa.leerling
    for geheim in (leerling.achternaam, leerling.roepnaam, world.school_a.naam):
        assert geheim not in mail.body and geheim not in mail.subject
    assert not Notificatie.objects.filter(hulpvraag=later, soort="bericht").exists()


def test_no_reminder_once_the_evaluation_is_in(client, world, fa, settings):
    login(client, world.loket)
    vandaag = timezone.localdate()
    fa_post(
        client,
        fa,
        ingangsdatum=(vandaag - timedelta(days=200)).strftime("%d-%m-%Y"),
        einddatum=(vandaag + timedelta(days=200)).strftime("%d-%m-%Y"),
        evaluatiedatum=(vandaag + timedelta(days=3)).strftime("%d-%m-%Y"),
    )
    login(client, world.coordinator_a)
    pdf = SimpleUploadedFile("evaluatie.pdf", b"%PDF-1.4\n%evaluatie\n", "application/pdf")
    client.post(reverse("bijlagen:lijst", args=[fa.pk]), {"bestanden": [pdf]})
    assert fa_evaluatie_herinneren() == 0
    assert not Notificatie.objects.filter(soort="bericht").exists()


def test_fa_afgewezen_records_the_motivering_and_the_afwijzingsbrief(client, world, fa):
    """The manual: "FA afgegeven of FA afgewezen. De bijbehorende brief met meer informatie vindt
    u dan in de bijlagen van de hulpvraag." So a rejection has its letter too, and Status wijzigen
    cannot reach "FA afgewezen" without it."""
    from besluiten.models import Afwijzing

    login(client, world.loket)
    url = reverse("besluiten:besluit", args=[fa.pk])
    assert "Afwijzing vastleggen" in client.get(url).content.decode()
    naar = fa.proces.statussen.get(naam="FA afgewezen")
    geweigerd = client.post(
        reverse("hulpvragen:status_wijzigen", args=[fa.pk]),
        {"naar": naar.pk, "toelichting": "Nee", "gezien_status": fa.status_id},
    ).content.decode()
    assert "De afwijzing is nog niet vastgelegd" in geweigerd

    data = {"actie": "afwijzing", "gezien_status": fa.status_id, "toelichting": "Zie de brief."}
    leeg = client.post(url, {**data, "motivering": ""})
    assert leeg.status_code == 200 and not Afwijzing.objects.exists()
    motivering = "De school & de ouders <samen> zetten eerst de basisondersteuning in."
    response = client.post(url, {**data, "motivering": motivering, "besluitdatum": "10-07-2026"})
    assert response.status_code == 302
    fa.refresh_from_db()
    assert fa.status.naam == "FA afgewezen"
    afwijzing = Afwijzing.objects.get(hulpvraag=fa)
    login(client, world.coordinator_a)
    lijst = client.get(reverse("bijlagen:lijst", args=[fa.pk])).content.decode()
    assert "afwijzingsbrief-fa-100726.docx" in lijst
    tekst = docx_tekst(download(client, afwijzing.brieven.get()))
    assert "niet toe te wijzen" in tekst and motivering in tekst
    assert fa.leerling.naam in tekst
    assert "Bezwaar" not in tekst  # the LBT clause belongs to TLV decisions
    historie = client.get(reverse("hulpvragen:statushistorie", args=[fa.pk])).content.decode()
    assert "Zie de brief." in historie
