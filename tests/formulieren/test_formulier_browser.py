"""In Chromium: answer a question, let autosave run, reload and find the draft; Opslaan; sign as
the bestuur user with an authenticator code; download the Word file and open it."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from docx import Document

from formulieren.demo import formulier_demo_antwoorden
from formulieren.services import formulier_save
from tests.formulieren.conftest import formulier_van
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_autosave_reload_opslaan_sign_and_download_word(page, live_server, world, totp_bestuurder):
    _device, totp = totp_bestuurder
    formulier = formulier_van(world.hv_a_voorlopig)
    # Most answers are already saved; the browser changes one and walks the whole path.
    formulier_save(
        formulier=formulier,
        user=world.coordinator_a,
        antwoorden=formulier_demo_antwoorden(
            formulier=formulier, ondertekenaar_id=world.bestuurder_a.pk
        ),
        revisie=formulier.revisie,
    )
    bewerken = reverse("formulieren:bewerken", args=[formulier.pk])
    browser_login(page, live_server, world.coordinator_a, next_url=bewerken)
    page.get_by_role("heading", name="Aanvraag TLV VSO").wait_for()

    # The "?" opens its help with the keyboard.
    # The "?" is a native disclosure: focusable, opened with Enter, named for screen readers.
    vraagteken = (
        page.get_by_role("group")
        .locator("summary")
        .filter(has_text="Toelichting bij: Gevraagde bekostigingscategorie")
    )
    help_tekst = page.get_by_text("Laag (categorie 1) geldt voor de meeste leerlingen")
    assert not help_tekst.is_visible()
    vraagteken.focus()
    page.keyboard.press("Enter")
    help_tekst.wait_for(state="visible")

    veld = page.get_by_label("Waarom is plaatsing in het VSO nodig?")
    veld.fill("Getypt in de browser: de leerling heeft een kleine groep nodig & meer.")
    veld.press("Tab")  # leaving the field saves the draft
    page.get_by_text("Concept automatisch opgeslagen om").wait_for()

    page.reload()
    page.get_by_text("is teruggezet (automatisch opgeslagen)").wait_for()
    assert (
        "Getypt in de browser"
        in page.get_by_label("Waarom is plaatsing in het VSO nodig?").input_value()
    )

    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het formulier is opgeslagen.").wait_for()
    assert page.get_by_role("link", name="Word").is_visible()

    page.context.clear_cookies()
    browser_login(
        page, live_server, world.bestuurder_a, next_url=reverse("formulieren:te_ondertekenen")
    )
    page.get_by_role("link", name="Aanvraag TLV VSO").click()
    page.get_by_label("Code uit uw authenticator-app").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Ondertekenen").click()
    page.get_by_text("Het formulier is digitaal ondertekend.").wait_for()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Word").click()
    pad = download_info.value.path()
    doc = Document(str(pad))
    tekst = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
    assert "Getypt in de browser: de leerling heeft een kleine groep nodig & meer." in tekst
    assert "digitaal ondertekend" in tekst
    assert world.hv_a_voorlopig.leerling.naam in tekst
