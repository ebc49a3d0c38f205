"""Playwright journey of a TLV VSO in Chromium, across five people: the school submits, the loket
finds it complete and (sent by Status wijzigen to the Besluit page) assigns two deskundigen, each
deskundige advises, the loket records the TLV, and the school finds the toekenningsbrief on the
TLV tab behind the "1 Bijlagen" button, as the manual says."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from accounts.models import Rol
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def afmelden(page):
    page.get_by_role("button", name="Afmelden").click()


def status_kiezen(page, live_server, hulpvraag, naam, toelichting=""):
    page.goto(live_server.url + reverse("hulpvragen:status_wijzigen", args=[hulpvraag.pk]))
    page.get_by_label(naam, exact=False).first.check()
    if toelichting:
        page.get_by_label("Toelichting").fill(toelichting)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text(f"De status is gewijzigd naar “{naam}”.").wait_for()


def advies_submit(page, live_server, deskundige, hulpvraag, categorie, motivering):
    browser_login(page, live_server, deskundige)
    page.get_by_role("link", name="Hulpvragen").first.click()
    page.get_by_role("link", name=hulpvraag.leerling.naam).first.click()
    page.get_by_role("link", name="TLV", exact=True).click()
    page.get_by_role("link", name="Advies uitbrengen").click()
    page.get_by_role("radio", name="ja", exact=True).check()
    page.get_by_label("Geadviseerde bekostigingscategorie").select_option(categorie)
    page.get_by_label("Geadviseerde duur (schooljaren)").fill("2")
    page.get_by_label("Motivering").fill(motivering)
    page.get_by_role("button", name="Advies opslaan").click()
    page.get_by_text("Uw advies is opgeslagen.").wait_for()
    afmelden(page)


def test_tlv_vso_from_submission_to_the_letter_on_the_tlv_tab(page, live_server, world):
    from bijlagen.demo import verplichte_bijlagen_toevoegen
    from formulieren.demo import formulier_invullen_en_ondertekenen
    from tests.factories import AdresFactory, SchoolgegevensFactory, UserFactory, make_hulpvraag

    kinderarts = UserFactory(
        organisatie=world.org,
        username="kinderarts",
        rol=Rol.DESKUNDIGE,
        functie="kinderarts",
        first_name="Karin",
        last_name="Kinderarts",
    )
    sg = SchoolgegevensFactory(
        school=world.school_a, aanvrager=world.coordinator_a, email="zorg@school-a.example"
    )
    AdresFactory(leerling=sg.leerling, straat="Loolaan", huisnummer="12")
    hulpvraag = make_hulpvraag(schoolgegevens=sg, door=world.coordinator_a)
    formulier_invullen_en_ondertekenen(hulpvraag=hulpvraag)  # signed by the bestuurder
    verplichte_bijlagen_toevoegen(hulpvraag=hulpvraag)

    # 1. The school submits.
    browser_login(page, live_server, world.coordinator_a)
    page.get_by_role("link", name="Hulpvragen").first.click()
    page.get_by_role("link", name=hulpvraag.leerling.naam).first.click()
    page.get_by_role("link", name="Status wijzigen").click()
    page.get_by_label("TLV aanvraag indienen").check()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De status is gewijzigd naar “TLV aanvraag indienen”.").wait_for()
    afmelden(page)

    # 2. The loket finds it complete; "TLV afgegeven" is not possible yet and links to Besluit.
    browser_login(page, live_server, world.loket)
    status_kiezen(page, live_server, hulpvraag, "TLV aanvraag compleet")
    page.get_by_role("link", name="Status wijzigen").click()
    assert page.get_by_text("De TLV is nog niet vastgelegd").is_visible()
    page.get_by_role("link", name="TLV vastleggen").click()
    page.get_by_role("heading", name="Deskundigenadvies").wait_for()
    for n, wie, discipline in (
        (1, world.deskundige, "orthopedagoog"),
        (2, kinderarts, "kinderarts"),
    ):
        blok = page.locator(".deskundige").nth(n - 1)
        blok.get_by_label("Deskundige").select_option(str(wie.pk))
        blok.get_by_label("Discipline").select_option(discipline)
        blok.get_by_role("button", name=f"Deskundige {n} toewijzen").click()
        page.get_by_text(f"Deskundige {n} is toegewezen").wait_for()
    afmelden(page)

    # 3. Both deskundigen advise.
    advies_submit(page, live_server, world.deskundige, hulpvraag, "midden", "Past bij VSO.")
    advies_submit(page, live_server, kinderarts, hulpvraag, "midden", "Medisch onderbouwd.")

    # 4. The loket records the TLV.
    browser_login(page, live_server, world.loket)
    page.goto(live_server.url + reverse("besluiten:besluit", args=[hulpvraag.pk]))
    assert page.get_by_label("Bekostigingscategorie").input_value() == "midden"  # both agree
    page.get_by_label("Ingangsdatum").fill("01-08-2026")
    page.get_by_role("button", name="TLV vastleggen").click()
    page.get_by_text("De TLV is vastgelegd en de toekenningsbrief is gemaakt.").wait_for()
    assert "31-07-2027" in page.locator("table.tlvs").inner_text()
    afmelden(page)

    # 5. The school finds the letter on the TLV tab, behind the Bijlagen button.
    browser_login(page, live_server, world.coordinator_a)
    page.get_by_role("link", name="Hulpvragen").first.click()
    page.get_by_role("link", name=hulpvraag.leerling.naam).first.click()
    assert page.get_by_text("TLV afgegeven").first.is_visible()
    page.get_by_role("link", name="TLV", exact=True).click()
    rij = page.locator("table.tlvs tbody tr").first
    assert "01-08-2026" in rij.inner_text() and "midden" in rij.inner_text()
    knop = rij.locator("summary")
    assert "Bijlagen" in knop.inner_text()
    knop.click()
    with page.expect_download() as info:
        rij.get_by_role("link", name="toekenningsbrief-tlv-vso", exact=False).first.click()
    pad = info.value.path()
    with open(pad, "rb") as f:
        doc = Document(io.BytesIO(f.read()))
    tekst = "\n".join(p.text for p in doc.paragraphs)
    assert hulpvraag.leerling.naam in tekst
    assert "Bekostigingscategorie: midden" in tekst
    assert "Landelijke Bezwaaradviescommissie Toelaatbaarheidsverklaringen" in tekst
