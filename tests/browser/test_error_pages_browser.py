"""The error pages at 320 px wide and with the keyboard only."""

from __future__ import annotations

import re

import pytest

from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def tab_to_start_link_and_follow_it(page) -> None:
    link = page.get_by_role("link", name="Naar de startpagina")
    for _ in range(15):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the start-page link cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Aangemeld").wait_for()


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [("/bestaat-niet/", 404, "Pagina niet gevonden"), ("/test/fout/", 500, "Er ging iets mis")],
    ids=["404", "500"],
)
def test_error_page_at_320_px_with_the_keyboard(
    page, live_server, world, settings, path, status, heading
):
    settings.ROOT_URLCONF = "tests.kindkans.urls_errors"
    page.set_viewport_size({"width": 320, "height": 640})
    browser_login(page, live_server, world.coordinator_a)
    page.get_by_role("heading", name="Aangemeld").wait_for()
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == status
    page.get_by_role("heading", name=heading).wait_for()
    assert re.search(r"Referentie: [A-Z2-9]{4}-[A-Z2-9]{4}", page.inner_text("main"))
    no_sideways_scrolling(page)
    tab_to_start_link_and_follow_it(page)
