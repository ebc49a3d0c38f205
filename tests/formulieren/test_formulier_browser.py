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
from tests.helpers import browser_fill_login, browser_login

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


def _sessie_laten_verlopen(page, *, seconden_geleden: float | None = None) -> None:
    """The security timeout as it happens: the session's last activity is longer ago than
    SESSION_IDLE_SECONDS (the browser keeps its cookie; the server refuses it). By default
    also past the short grace in which a page's last autosave is still accepted."""
    from importlib import import_module

    from django.conf import settings

    from accounts.sessies import ACTIEF_OP, GRACE_SECONDEN

    if seconden_geleden is None:
        seconden_geleden = GRACE_SECONDEN + 5
    sleutel = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    sessie = import_module(settings.SESSION_ENGINE).SessionStore(session_key=sleutel)
    sessie[ACTIEF_OP] = time.time() - settings.SESSION_IDLE_SECONDS - seconden_geleden
    sessie.save()


def test_what_was_typed_before_the_autosave_script_ran_is_saved_too(page, live_server, world):
    """On a slow connection the school can type before the autosave script has loaded: that text
    counts as changed and reaches the server with the next interval (the script is held back
    here until the field is filled)."""
    formulier = formulier_van(world.hv_a_voorlopig)
    bewerken = reverse("formulieren:bewerken", args=[formulier.pk])
    page.clock.install()
    browser_login(page, live_server, world.coordinator_a)
    vastgehouden = []
    page.route("**/formulier-autosave*.js", lambda route: vastgehouden.append(route))
    page.goto(live_server.url + bewerken, wait_until="commit")
    page.get_by_label("Waarom is plaatsing in het VSO nodig?").fill(
        "Getypt voor het script er was."
    )
    assert len(vastgehouden) == 1
    vastgehouden[0].continue_()
    page.get_by_text("tussendoor automatisch bewaard als concept").wait_for()
    page.clock.run_for("00:31")
    page.get_by_text("Concept automatisch opgeslagen om").wait_for()
    formulier.refresh_from_db()
    assert formulier.concept["motivatie"] == "Getypt voor het script er was."


def test_autosave_every_30_seconds_and_the_security_timeout_loses_nothing_saved(
    page, live_server, world
):
    """Without leaving the field, the draft reaches the server within 30 s (the page's clock is
    Playwright's, so the test does not wait 30 real seconds); after the security timeout the
    page says so, and after logging in again the draft is back with its time."""
    formulier = formulier_van(world.hv_a_voorlopig)
    bewerken = reverse("formulieren:bewerken", args=[formulier.pk])
    page.clock.install()
    browser_login(page, live_server, world.coordinator_a, next_url=bewerken)
    page.get_by_role("heading", name="Aanvraag TLV VSO").wait_for()
    # From here the page's time moves only when the test moves it (no real-time drift on a
    # busy machine): typing alone saves nothing, the 30 s interval does.
    page.clock.pause_at(page.evaluate("Date.now()") + 500)

    veld = page.get_by_label("Waarom is plaatsing in het VSO nodig?")
    veld.fill("Eerste alinea, getypt zonder het veld te verlaten.")
    formulier.refresh_from_db()
    assert formulier.concept is None
    page.clock.run_for("00:31")
    page.get_by_text("Concept automatisch opgeslagen om").wait_for()
    formulier.refresh_from_db()
    assert formulier.concept["motivatie"] == "Eerste alinea, getypt zonder het veld te verlaten."

    _sessie_laten_verlopen(page)
    veld.fill("Eerste alinea, en een tweede die na de time-out is getypt.")
    page.clock.run_for("00:31")
    page.get_by_text("U bent afgemeld. Meld u opnieuw aan").wait_for()
    formulier.refresh_from_db()
    assert formulier.concept["motivatie"] == "Eerste alinea, getypt zonder het veld te verlaten."

    browser_login(page, live_server, world.coordinator_a, next_url=bewerken)
    page.get_by_text("is teruggezet (automatisch opgeslagen)").wait_for()
    tijd = formulier.concept_opgeslagen_op.astimezone().strftime("%d-%m-%Y %H:%M")
    assert page.get_by_text(f"Uw concept van {tijd} is teruggezet").is_visible()
    assert (
        page.get_by_label("Waarom is plaatsing in het VSO nodig?").input_value()
        == "Eerste alinea, getypt zonder het veld te verlaten."
    )


def test_text_typed_in_the_last_seconds_is_saved_when_the_countdown_ends(page, live_server, world):
    """The page's clock runs to the end of the session countdown with text typed 10 s before it
    and never autosaved: the page saves it before it leaves for the login page (the server
    accepts that last save just after the timeout), and after logging in again it is there.

    Deterministic on a loaded machine: the page's clock stands still from before the form page
    loads, so its countdown ends exactly where the test runs it to (not a loaded second earlier),
    and the page's timers never run on real time while the save is under way, so the page's
    give-up after 5 s cannot overtake a slow save."""
    formulier = formulier_van(world.hv_a_voorlopig)
    bewerken = reverse("formulieren:bewerken", args=[formulier.pk])
    page.clock.install()
    browser_login(page, live_server, world.coordinator_a)
    page.wait_for_url(lambda url: "/inloggen" not in url)
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    page.goto(live_server.url + bewerken)
    page.get_by_role("heading", name="Aanvraag TLV VSO").wait_for()
    assert page.get_by_text("ook vlak voordat u automatisch wordt afgemeld").is_visible()

    resterend = int(page.locator("#sessie-waarschuwing").get_attribute("data-resterend"))
    opslaan_url = live_server.url + page.locator("#formulier").get_attribute("data-autosave-url")
    page.clock.run_for(int((resterend - 12) * 1000))
    veld = page.get_by_label("Waarom is plaatsing in het VSO nodig?")
    veld.fill("Getypt in de laatste seconden voor de automatische afmelding.")
    formulier.refresh_from_db()
    assert formulier.concept is None
    # On the server the session ends now; the page's countdown reaches zero 12 s later, and the
    # page saves before it asks the server whether the session is over.
    _sessie_laten_verlopen(page, seconden_geleden=2)
    with page.expect_response(
        lambda r: r.url == opslaan_url and r.request.method == "POST"
    ) as opgeslagen:
        page.clock.run_for(13_000)
    assert opgeslagen.value.ok
    page.wait_for_url("**/inloggen/**")
    formulier.refresh_from_db()
    assert formulier.concept["motivatie"] == (
        "Getypt in de laatste seconden voor de automatische afmelding."
    )
    page.clock.resume()
    browser_login(page, live_server, world.coordinator_a, next_url=bewerken)
    page.get_by_text("is teruggezet (automatisch opgeslagen)").wait_for()
    assert page.get_by_label("Waarom is plaatsing in het VSO nodig?").input_value() == (
        "Getypt in de laatste seconden voor de automatische afmelding."
    )


def test_without_javascript_a_form_posted_after_the_timeout_comes_back_after_login(
    browser, live_server, world
):
    """JavaScript off: the page promises only what happens (Opslaan; kept an hour after a
    timeout). Typed, the session expires, Opslaan: the login page says it is kept; after logging
    in again the answers are on the page, and the page says so."""
    from accounts.models import BewaardeInzending

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    formulier = formulier_van(world.hv_a_voorlopig)
    bewerken = reverse("formulieren:bewerken", args=[formulier.pk])
    browser_login(page, live_server, world.coordinator_a, next_url=bewerken)
    page.get_by_role("heading", name="Aanvraag TLV VSO").wait_for()
    assert page.get_by_text("Uw antwoorden worden bewaard als u Opslaan kiest.").is_visible()
    assert not page.get_by_text("automatisch bewaard").count()

    tekst = "Een half uur getypt zonder JavaScript; & < > é blijven heel."
    page.get_by_label("Waarom is plaatsing in het VSO nodig?").fill(tekst)
    _sessie_laten_verlopen(page)
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/inloggen/**")
    page.get_by_text("Kindkans heeft het voor u bewaard (een uur)").wait_for()
    rij = BewaardeInzending.objects.get(gebruiker=world.coordinator_a)
    assert tekst.encode() not in bytes(rij.gegevens)  # encrypted at rest

    browser_fill_login(page, world.coordinator_a)
    page.get_by_text("U was afgemeld voordat uw antwoorden van").wait_for()
    assert page.get_by_label("Waarom is plaatsing in het VSO nodig?").input_value() == tekst
    formulier.refresh_from_db()
    assert formulier.concept["motivatie"] == tekst
    assert not BewaardeInzending.objects.exists()
    context.close()
