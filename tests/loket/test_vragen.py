"""Completeness and questions through the pages: the loket sends a hulpvraag back to the school
with a toelichting and a questions document; the school downloads it and uploads the answer,
which moves the hulpvraag to *aangevuld* and restarts the decision clock."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from bijlagen.models import Bijlage
from hulpvragen.models import Statuswijziging
from loket.models import Termijn
from meldingen.models import Notificatie, NotificatieSoort
from tests.bijlagen import bestanden as b
from tests.helpers import login
from tests.loket.conftest import status


def opgeslagen() -> set[str]:
    """Every stored file's key."""
    if not default_storage.exists("bijlagen"):
        return set()
    mappen, _bestanden = default_storage.listdir("bijlagen")
    return {
        f"bijlagen/{m}/{f}" for m in mappen for f in default_storage.listdir(f"bijlagen/{m}")[1]
    }


def url(hulpvraag):
    return reverse("loket:vragen", args=[hulpvraag.pk])


def test_questions_round_trip(client, world, ingediend):
    tlv = ingediend("TLV_VSO")
    login(client, world.loket)
    page = client.get(url(tlv))
    assert page.status_code == 200
    tekst = page.content.decode()
    assert "TLV vragen gesteld" in tekst and "TLV aanvraag incompleet" in tekst
    assert "TLV afgegeven" not in tekst  # only the statuses that go back to the school

    response = client.post(
        url(tlv),
        {
            "naar": status(tlv, "TLV vragen gesteld").pk,
            "toelichting": "Beantwoord de vragen in het document bij de bijlagen.",
            "vragen": "Welke ondersteuning krijgt de leerling nu?\r\n\r\nWat zeggen de ouders?",
            "gezien_status": tlv.status_id,
        },
    )
    assert response.status_code == 302
    tlv.refresh_from_db()
    assert tlv.status.naam == "TLV vragen gesteld"
    wijziging = Statuswijziging.objects.filter(hulpvraag=tlv).latest("op", "id")
    assert wijziging.toelichting == "Beantwoord de vragen in het document bij de bijlagen."
    assert Notificatie.objects.filter(
        statuswijziging=wijziging, soort=NotificatieSoort.STATUS_GEWIJZIGD
    ).exists()
    assert Termijn.objects.get(hulpvraag=tlv).pauze_sinds == wijziging.op

    # The school sees and downloads the questions document.
    vragendoc = Bijlage.objects.get(hulpvraag=tlv, geupload_door=world.loket)
    assert vragendoc.naam.startswith("vragen") and vragendoc.naam.endswith(".docx")
    login(client, world.coordinator_a)
    assert vragendoc.naam in client.get(reverse("bijlagen:lijst", args=[tlv.pk])).content.decode()
    download = client.get(reverse("bijlagen:download", args=[tlv.pk, vragendoc.pk]))
    assert download.status_code == 200
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    alinea = [p.text for p in doc.paragraphs]
    assert "Welke ondersteuning krijgt de leerling nu?" in alinea
    assert "Wat zeggen de ouders?" in alinea

    # The school's answer: one upload moves it to aangevuld, the clock runs again.
    response = client.post(
        reverse("bijlagen:lijst", args=[tlv.pk]),
        {
            "bestanden": [SimpleUploadedFile("antwoorden.pdf", b.pdf(), "application/pdf")],
            "beantwoordt_vragen": "on",
        },
    )
    assert response.status_code == 302
    tlv.refresh_from_db()
    assert tlv.status.naam == "TLV aanvraag aangevuld"
    antwoord = Bijlage.objects.get(hulpvraag=tlv, beantwoordt_vragen=True)
    assert antwoord.naam.startswith("beantwoordingvragen")
    termijn = Termijn.objects.get(hulpvraag=tlv)
    assert termijn.pauze_sinds is None and termijn.fase == "aangevuld"
    assert (
        Notificatie.objects.filter(hulpvraag=tlv, soort=NotificatieSoort.SWV_INFORMEREN).count()
        == 2
    )  # indienen and aangevuld


def test_incompleet_with_an_own_document(client, world, ingediend):
    pro = ingediend("PRO")
    login(client, world.loket)
    response = client.post(
        url(pro),
        {
            "naar": status(pro, "PrO aanvraag incompleet").pk,
            "toelichting": "Het IQ-onderzoek ontbreekt.",
            "document": SimpleUploadedFile("checklist.pdf", b.pdf(), "application/pdf"),
            "gezien_status": pro.status_id,
        },
    )
    assert response.status_code == 302
    pro.refresh_from_db()
    assert pro.status.naam == "PrO aanvraag incompleet"
    assert Bijlage.objects.get(hulpvraag=pro, geupload_door=world.loket).naam == "checklist.pdf"


@pytest.mark.parametrize(
    ("wijzig", "melding"),
    [
        ({"toelichting": ""}, "Dit veld is verplicht"),
        ({"document": "exe"}, "exe"),
        ({"gezien_status": "ander"}, "intussen gewijzigd"),
        ({"naar": "compleet"}, "Selecteer een geldige keuze"),
    ],
)
def test_refusals_change_nothing_and_leave_no_file(client, world, ingediend, wijzig, melding):
    tlv = ingediend("TLV_VSO")
    voor = opgeslagen()
    bijlagen_voor = set(Bijlage.objects.filter(hulpvraag=tlv).values_list("pk", flat=True))
    data = {
        "naar": status(tlv, "TLV vragen gesteld").pk,
        "toelichting": "Vragen in het document.",
        "vragen": "Een vraag?",
        "gezien_status": tlv.status_id,
    }
    if wijzig.get("document") == "exe":
        data["document"] = SimpleUploadedFile("vragen.exe", b.exe())
        melding = "niet"
    elif wijzig.get("gezien_status"):
        data["gezien_status"] = status(tlv, "TLV aanvraag aangevuld").pk
    elif wijzig.get("naar"):
        data["naar"] = status(tlv, "TLV aanvraag compleet").pk
    else:
        data.update(wijzig)
    login(client, world.loket)
    response = client.post(url(tlv), data)
    assert response.status_code == 400
    assert melding in response.content.decode()
    tlv.refresh_from_db()
    assert tlv.status.naam == "TLV aanvraag indienen"
    assert set(Bijlage.objects.filter(hulpvraag=tlv).values_list("pk", flat=True)) == bijlagen_voor
    assert opgeslagen() == voor


@pytest.mark.parametrize("persona", ["coordinator_a", "bestuurder_a", "deskundige", "outsider"])
def test_others_get_404(client, world, ingediend, persona):
    tlv = ingediend("TLV_VSO")
    login(client, getattr(world, persona))
    assert client.get(url(tlv)).status_code == 404
    response = client.post(url(tlv), {"naar": status(tlv, "TLV vragen gesteld").pk})
    assert response.status_code == 404
    tlv.refresh_from_db()
    assert tlv.status.naam == "TLV aanvraag indienen"


def test_loket_links_to_it_from_the_hulpvraag_and_the_werkvoorraad(client, world, ingediend):
    tlv = ingediend("TLV_VSO")
    login(client, world.loket)
    assert url(tlv) in client.get(reverse("hulpvragen:detail", args=[tlv.pk])).content.decode()
    assert url(tlv) in client.get(reverse("loket:werkvoorraad")).content.decode()
    login(client, world.coordinator_a)
    assert url(tlv) not in client.get(reverse("hulpvragen:detail", args=[tlv.pk])).content.decode()
