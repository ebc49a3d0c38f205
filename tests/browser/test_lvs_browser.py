"""A coordinator enters the manual's minimum LVS data in the browser and sees the advice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_enters_lvs_data_and_sees_the_berekend_advies(page, live_server, world):
    from hulpvragen.models import HulpvraagType
    from tests.factories import SchoolgegevensFactory, make_hulpvraag

    sg = SchoolgegevensFactory(school=world.school_a, leerjaar=None, groep=8)
    hulpvraag = make_hulpvraag(schoolgegevens=sg, type=HulpvraagType.PRO, door=world.coordinator_a)
    url = reverse("dossiers:lvs", args=[hulpvraag.pk])
    browser_login(page, live_server, world.coordinator_a, next_url=url)
    page.get_by_role("heading", name="LVS", exact=True).wait_for()

    page.get_by_label("Testdatum (1)").fill("10-12-2025")
    page.get_by_label("Totaal IQ (1)").fill("70")
    for rij, dle in enumerate(["25", "27", "40", "45"], start=1):
        page.get_by_label(f"Toetsdatum ({rij})").fill("20-01-2026")
        page.get_by_label(f"DLE ({rij})").fill(dle)
    page.get_by_role("group", name="Is er sprake van faalangst?").get_by_label("Nee").check()
    page.get_by_role("button", name="Opslaan").click()

    advies = page.locator("#berekend-advies")
    advies.get_by_role("heading", name="Berekend advies").wait_for()
    assert page.get_by_text("De LVS-gegevens zijn opgeslagen.").is_visible()
    assert advies.locator(".advies__conclusie").inner_text() == "Praktijkonderwijs"
    tekst = advies.inner_text()
    for verwacht in ("54,55", "50,91", "27,27", "18,18", "is 55 maanden"):
        assert verwacht in tekst
    # The toets rows show DL and LA beside the input after saving.
    assert "54,55" in page.locator("table").nth(1).inner_text()
