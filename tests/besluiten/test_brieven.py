"""The letters: the PDF made by LibreOffice after the commit (and the .docx converted by LibreOffice
headless and read back with pdftotext, like tests/formulieren/test_word.py: locally these skip
without soffice, under CI they fail); the beheerder's letter templates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from besluiten.models import Briefsjabloon, Toelaatbaarheidsverklaring
from tests.besluiten.conftest import docx_tekst, download, twee_adviezen
from tests.besluiten.test_tlv import tlv_post
from tests.helpers import login
from tests.libreoffice import naar_pdf, pdf_tekst

pytestmark = pytest.mark.django_db


def test_letter_pdf_is_made_after_the_commit_and_shown_on_the_tlv_tab(
    libreoffice, client, world, compleet, kinderarts, django_capture_on_commit_callbacks, tmp_path
):
    twee_adviezen(client, world, compleet, kinderarts)
    with django_capture_on_commit_callbacks(execute=True):
        assert tlv_post(client, compleet).status_code == 302
    tlv = Toelaatbaarheidsverklaring.objects.get(hulpvraag=compleet)
    assert sorted(b.soort for b in tlv.brieven.all()) == ["docx", "pdf"]
    login(client, world.coordinator_a)
    tab = client.get(reverse("hulpvragen:tab", args=[compleet.pk, "tlv"])).content.decode()
    # One letter in two formats: "1 Bijlagen", as the manual shows, with both behind it.
    assert "1 Bijlagen" in tab and "2 Bijlagen" not in tab
    assert "toekenningsbrief-tlv-vso-150626.pdf</a> <small>(PDF, om te printen)" in tab
    assert "toekenningsbrief-tlv-vso-150626.docx</a> <small>(Word)" in tab
    pad = tmp_path / "brief.pdf"
    pad.write_bytes(download(client, tlv.brieven.get(soort="pdf")))
    tekst = pdf_tekst(pad)
    assert compleet.leerling.naam in tekst
    assert "Bekostigingscategorie: midden" in tekst
    assert "Landelijke Bezwaaradviescommissie Toelaatbaarheidsverklaringen" in tekst
    # The task is idempotent: running it again adds no second PDF.
    from besluiten.services_brieven import brief_pdf_maken

    assert brief_pdf_maken(model="besluiten.toelaatbaarheidsverklaring", pk=tlv.pk) is None
    assert tlv.brieven.count() == 2


def test_libreoffice_converts_the_docx_letter(
    libreoffice, client, world, compleet, kinderarts, tmp_path
):
    twee_adviezen(client, world, compleet, kinderarts)
    tlv_post(client, compleet)
    tlv = Toelaatbaarheidsverklaring.objects.get(hulpvraag=compleet)
    pad = tmp_path / "brief.docx"
    pad.write_bytes(download(client, tlv.brieven.get()))
    [pdf] = naar_pdf([pad], map=tmp_path)
    tekst = pdf_tekst(pdf)
    assert "Geldig van 01-08-2026 tot en met 31-07-2027" in tekst
    assert "binnen zes weken" in tekst


def test_without_libreoffice_the_letter_is_docx_only(
    client, world, compleet, kinderarts, django_capture_on_commit_callbacks, settings
):
    settings.SOFFICE = ""
    twee_adviezen(client, world, compleet, kinderarts)
    with django_capture_on_commit_callbacks(execute=True):
        tlv_post(client, compleet)
    tlv = Toelaatbaarheidsverklaring.objects.get(hulpvraag=compleet)
    assert [b.soort for b in tlv.brieven.all()] == ["docx"]
    tab = client.get(reverse("hulpvragen:tab", args=[compleet.pk, "tlv"])).content.decode()
    assert "1 Bijlagen" in tab


def test_beheerder_edits_the_letter_text_and_the_bezwaar_clause_stays(
    client, world, compleet, kinderarts
):
    login(client, world.beheerder)
    url = reverse("besluiten:sjabloon", args=["tlv_vso"])
    page = client.get(url).content.decode()
    assert "{{ bekostigingscategorie }}" in page
    assert "voegt Kindkans altijd toe" in page
    fout = client.post(url, {"tekst": "Beste {{ ouder_naam }}"})
    assert "Onbekende plaatshouder {{ ouder_naam }}." in fout.content.decode()
    assert not Briefsjabloon.objects.exists()
    eigen = (
        "Eigen tekst van het SWV voor {{ leerling_naam }}.\n\n## Besluit\n\n"
        "Categorie {{ bekostigingscategorie }} & <meer>."
    )
    assert client.post(url, {"tekst": eigen}).status_code == 302
    lijst = client.get(reverse("besluiten:sjablonen")).content.decode()
    assert "Eigen tekst, gewijzigd op" in lijst

    twee_adviezen(client, world, compleet, kinderarts)  # ends logged in as loket
    tlv_post(client, compleet)
    tlv = Toelaatbaarheidsverklaring.objects.get(hulpvraag=compleet)
    tekst = docx_tekst(download(client, tlv.brieven.get()))
    assert f"Eigen tekst van het SWV voor {compleet.leerling.naam}." in tekst
    assert "Categorie midden & <meer>." in tekst
    assert "Landelijke Bezwaaradviescommissie" in tekst

    login(client, world.beheerder)
    client.post(url, {"herstellen": "1"})
    assert not Briefsjabloon.objects.exists()


@pytest.mark.parametrize("wie", ["loket", "coordinator_a", "deskundige", "outsider"])
def test_letter_templates_are_the_beheerders_only(client, world, wie):
    login(client, getattr(world, wie))
    assert client.get(reverse("besluiten:sjablonen")).status_code == 404
    url = reverse("besluiten:sjabloon", args=["tlv_vso"])
    assert client.post(url, {"tekst": "x"}).status_code == 404
    assert not Briefsjabloon.objects.exists()


def test_a_template_belongs_to_one_organisation(client, world):
    from tests.factories import UserFactory

    ander = UserFactory(organisatie=world.other_org, rol="beheerder", username="beheerder-po")
    login(client, world.beheerder)
    client.post(reverse("besluiten:sjabloon", args=["fa"]), {"tekst": "Alleen VO2505."})
    login(client, ander)
    page = client.get(reverse("besluiten:sjabloon", args=["fa"])).content.decode()
    assert "Alleen VO2505." not in page
    assert "Betreft: toewijzing financieel arrangement" in page


def test_letter_generation_time(world, compleet):
    """Measured: the .docx of a toekenningsbrief (python-docx), and its PDF (LibreOffice)."""
    import time

    from besluiten.brieven import brief_docx
    from besluiten.services_brieven import brief_compose
    from formulieren.word import docx_to_pdf, soffice_path

    brief = brief_compose(
        hulpvraag=compleet,
        soort="tlv_vso",
        door=world.loket,
        besluitdatum=compleet.hulpvraagdatum,
        waarden={"bekostigingscategorie": "midden", "ingangsdatum": "", "einddatum": ""},
    )
    cpu = []
    for _ in range(5):
        start = time.process_time()
        docx = brief_docx(brief)
        cpu.append(time.process_time() - start)
    regel = f"\nToekenningsbrief .docx: mediaan {sorted(cpu)[2] * 1000:.0f} ms CPU"
    if soffice_path():
        start = time.perf_counter()
        assert docx_to_pdf(docx).startswith(b"%PDF")
        regel += f"; PDF via LibreOffice {time.perf_counter() - start:.1f} s wandklok"
    print(regel)
    assert sorted(cpu)[2] < 0.5
