"""Bijlagen in the browser: two files chosen at once, each with its own "Soort document" guessed
from its name (static/js/bijlagen-upload.js, with the server's keyword table), one corrected,
both added in one action, and the kinds shown in the list's "Soort document" column."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.bijlagen import bestanden as b
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf(naam: str) -> dict:
    return {"name": naam, "mimeType": "application/pdf", "buffer": b.pdf(naam.encode())}


def test_two_files_each_with_its_own_kind(page, live_server, world):
    from bijlagen.models import Bijlage

    hv = world.hv_a_voorlopig  # TLV VSO: requires the parents' form and the OPP
    browser_login(
        page, live_server, world.coordinator_a, next_url=reverse("bijlagen:lijst", args=[hv.pk])
    )
    page.get_by_role("heading", name="Bijlagen toevoegen").wait_for()
    per_bestand = page.get_by_role("group", name="Soort document per bestand")
    expect(per_bestand).to_be_hidden()
    voor_alle = page.locator("#id_documentsoort")
    expect(voor_alle).to_be_visible()
    expect(voor_alle).to_have_value("ouderformulier")  # the first required kind still missing

    page.get_by_label("Bestanden", exact=True).set_input_files(
        [pdf("Toestemming ouders.pdf"), pdf("Verslag school.pdf")]
    )
    # One select per chosen file, named after it, preselected from its name; the single select
    # for all files gives way.
    expect(per_bestand).to_be_visible()
    expect(per_bestand.get_by_role("combobox")).to_have_count(2)
    expect(voor_alle).to_be_hidden()
    toestemming = page.get_by_label("Soort document van Toestemming ouders.pdf")
    verslag = page.get_by_label("Soort document van Verslag school.pdf")
    expect(toestemming).to_have_value("ouderformulier")
    expect(verslag).to_have_value("onderzoeksverslag")
    # "Verslag school" is really the OPP: corrected before adding.
    verslag.select_option(label="OPP (ontwikkelingsperspectiefplan)")

    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_text("2 bijlagen toegevoegd.").wait_for()

    kolommen = page.locator("table.bijlagen thead th").all_inner_texts()
    soort = kolommen.index("Soort document")
    rijen = page.locator("table.bijlagen tbody tr")
    for naam, label in [
        ("Toestemming ouders.pdf", "Aanvraagformulier ondertekend door ouders / toestemming"),
        ("Verslag school.pdf", "OPP (ontwikkelingsperspectiefplan)"),
    ]:
        cel = rijen.filter(has_text=naam).locator("td").nth(soort)
        expect(cel.locator("select option:checked")).to_have_text(label)
    assert dict(Bijlage.objects.values_list("naam", "documentsoort")) == {
        "Toestemming ouders.pdf": "ouderformulier",
        "Verslag school.pdf": "opp",
    }
    assert len(set(Bijlage.objects.values_list("upload", flat=True))) == 1


def test_the_script_guesses_exactly_as_the_server(page, live_server, world):
    """The browser's preselection and bijlagen.names.documentsoort_raden agree on every name of
    the server's own test table (those a file can carry), the proposal standing in for None."""
    from bijlagen.names import documentsoort_raden
    from tests.bijlagen.test_soort_per_bestand import NAMEN

    namen = [naam for naam, _soort in NAMEN if naam and "\\" not in naam]
    hv = world.hv_a_voorlopig
    browser_login(
        page, live_server, world.coordinator_a, next_url=reverse("bijlagen:lijst", args=[hv.pk])
    )
    page.get_by_label("Bestanden", exact=True).set_input_files([pdf(n) for n in namen])
    selects = page.get_by_role("group", name="Soort document per bestand").get_by_role("combobox")
    expect(selects).to_have_count(len(namen))
    for i, naam in enumerate(namen):
        expect(selects.nth(i)).to_have_value(documentsoort_raden(naam) or "ouderformulier")
