from __future__ import annotations

import pytest

from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_logs_in_and_shows_start_page(page, live_server, world):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Organisatie").select_option(label="VO2505 Apeldoorn")
    page.get_by_label("Gebruikersnaam").fill("piet")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("heading", name="Aangemeld").wait_for()
    assert page.get_by_role("heading", name="Algemeen nieuws").is_visible()
    assert "VO2505 Apeldoorn" in page.content()
