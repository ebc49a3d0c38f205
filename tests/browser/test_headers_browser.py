"""Security headers as a browser experiences them."""

from __future__ import annotations

import pytest

from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_met_bfcache(browser_type, browser_type_launch_args):
    """A page in a browser as people use it: Playwright turns the back/forward cache off by
    default (so that goBack always hits the network); here it is on, as in a real Chromium."""
    browser = browser_type.launch(
        **browser_type_launch_args, ignore_default_args=["--disable-back-forward-cache"]
    )
    context = browser.new_context()
    yield context.new_page()
    context.close()
    browser.close()


def test_back_button_after_afmelden_shows_no_pupil_data(page_met_bfcache, live_server, world):
    page = page_met_bfcache
    hv = world.hv_a_ingediend
    naam = hv.leerling.achternaam
    detail = f"/hulpvragen/{hv.pk}/"
    browser_login(page, live_server, world.coordinator_a, next_url=detail)
    page.wait_for_url(f"{live_server.url}{detail}")
    assert naam in page.content()
    page.get_by_role("button", name="Afmelden").click()
    page.get_by_role("heading", name="Inloggen").wait_for()

    # A page restored from the back/forward cache fires no load event: wait for the commit.
    page.go_back(wait_until="commit")
    page.wait_for_timeout(500)
    # The browser kept nothing and asked the server again: the login page, no pupil.
    page.get_by_role("heading", name="Inloggen").wait_for(timeout=10_000)
    assert naam not in page.content()
