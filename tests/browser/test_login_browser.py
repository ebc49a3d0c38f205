from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.helpers import browser_fill_login, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_logs_in_and_shows_start_page(page, live_server, world):
    browser_login(page, live_server, world.coordinator_a)
    page.get_by_role("heading", name="Aangemeld").wait_for()
    assert page.get_by_role("heading", name="Algemeen nieuws").is_visible()
    assert "VO2505 Apeldoorn" in page.content()


def test_first_login_enrols_an_authenticator_app_then_logs_in(page, live_server, world):
    user = world.coordinator_a  # no app yet
    page.goto(f"{live_server.url}/inloggen/")
    # Type-ahead: "VO25" is offered as "VO2505 Apeldoorn" by the datalist; the server also
    # accepts the typed text itself.
    page.get_by_label("Organisatie").fill("VO25")
    assert page.locator("datalist#organisaties option[value='VO2505 Apeldoorn']").count() == 1
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()

    page.get_by_role("heading", name="Authenticator-app koppelen").wait_for()
    assert page.locator("svg.qr").is_visible()
    # Read the secret from the page, as someone typing it into the app would.
    secret = page.locator("#geheim").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code uit de app").fill(totp.now())
    page.get_by_role("button", name="Koppelen").click()

    page.get_by_role("heading", name="Uw reservecodes").wait_for()
    codes = page.locator("ul.reservecodes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    page.get_by_role("heading", name="Aangemeld").wait_for()

    # Log out and in again with the app's next code on the one login screen.
    page.get_by_role("button", name="Afmelden").click()
    page.get_by_role("heading", name="Inloggen").wait_for()
    browser_fill_login(page, user)
    page.get_by_role("heading", name="Aangemeld").wait_for()


def test_idle_timeout_warns_then_returns_to_the_same_page_after_login(
    page, live_server, world, settings
):
    settings.SESSION_IDLE_SECONDS = 6
    settings.SESSION_WARNING_SECONDS = 3
    detail = f"/hulpvragen/{world.hv_a_ingediend.pk}/"
    browser_login(page, live_server, world.coordinator_a, next_url=detail)
    page.wait_for_url(f"{live_server.url}{detail}")

    # The warning appears a few seconds before the end; "Blijf ingelogd" keeps the session.
    blijf = page.get_by_role("button", name="Blijf ingelogd")
    blijf.wait_for(state="visible", timeout=8000)
    blijf.click()
    expect(page.locator("#sessie-waarschuwing")).to_be_hidden()
    time.sleep(4)  # beyond the original 6 s since the page loaded
    assert page.url == f"{live_server.url}{detail}"

    # Doing nothing: the page reloads into the login screen, which keeps the page as next.
    page.get_by_role("heading", name="Inloggen").wait_for(timeout=15000)
    assert "automatisch afgemeld" in page.content()
    assert "next=" in page.url
    browser_fill_login(page, world.coordinator_a)
    page.wait_for_url(f"{live_server.url}{detail}")
    assert page.get_by_role("heading", level=1).count() >= 1
