from __future__ import annotations

import pytest

from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_logs_in_and_shows_start_page(page, live_server, world):
    browser_login(page, live_server, world.coordinator_a)
    page.get_by_role("heading", name="Aangemeld").wait_for()
    assert page.get_by_role("heading", name="Algemeen nieuws").is_visible()
    assert "VO2505 Apeldoorn" in page.content()
