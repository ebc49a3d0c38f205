"""Playwright journeys in Chromium: search a pupil, choose and reorder columns, reload and see
them kept, "Wissen"; the new-dossier wizard left half-way, logged out, logged in and finished."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hulpvragen.models import Hulpvraag
from tests.factories import _bsn
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def header_texts(page) -> list[str]:
    return [
        t.replace("▲", "").replace("▼", "").strip()
        for t in page.locator("table.tabel--klikbaar thead th").all_inner_texts()
    ]


def bijgewerkt(page) -> None:
    """The results are replaced in place (static/js/hulpvragen-lijst.js): wait until done."""
    page.locator("#resultaten:not([aria-busy])").wait_for()


def test_search_columns_reload_and_wissen(page, live_server, world):
    target = world.hv_a_ingediend.leerling
    other = world.hv_a_voorlopig.leerling
    browser_login(page, live_server, world.coordinator_a)
    page.get_by_role("link", name="Hulpvragen").first.click()
    page.get_by_label("Zoeken in hulpvragen").fill(target.achternaam)
    page.get_by_role("button", name="zoeken").click()
    rows = page.locator("table.tabel--klikbaar tbody tr")
    # expect() retries until the in-place update has arrived (it may start after the click).
    expect(rows.first).to_contain_text(target.naam)
    bijgewerkt(page)
    assert all(other.naam not in r for r in rows.all_inner_texts()) or (
        other.achternaam == target.achternaam
    )

    page.get_by_role("link", name="Kolommenkiezer").click()
    page.get_by_label("Dossiernummer tonen").uncheck()
    page.get_by_label("Geboortedatum tonen").check()
    page.get_by_label("Volgorde Geboortedatum").fill("1")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("table.tabel--klikbaar thead th").first).to_contain_text("Geboortedatum")
    assert "Dossiernummer" not in header_texts(page)

    page.reload()
    assert header_texts(page)[0] == "Geboortedatum"
    assert page.get_by_label("Zoeken in hulpvragen").input_value() == target.achternaam

    page.get_by_role("button", name="Wissen").click()
    expect(page.get_by_label("Zoeken in hulpvragen")).to_have_value("")
    expect(page.locator("table.tabel--klikbaar tbody tr")).to_have_count(2)
    assert header_texts(page)[0] == "Geboortedatum"  # Wissen clears filters, not columns

    page.get_by_role("link", name="Laatste datum").click()
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Laatste datum")


def test_wizard_left_half_way_is_found_again_and_finished(page, live_server, world):
    browser_login(page, live_server, world.coordinator_a)
    page.get_by_role("link", name="Hulpvragen").first.click()
    page.get_by_role("link", name="Toevoegen").click()
    # A surname Faker's nl_NL list (the world's pupils) never makes; "Visser" it did, at random.
    page.get_by_label("Leerlingnaam").fill("Hoogenboezem")
    page.get_by_role("button", name="zoeken").click()
    page.get_by_text("Deze leerling is nog niet bekend.").wait_for()
    page.get_by_role("button", name="Dossier toevoegen").click()

    page.get_by_label("Voornamen").fill("Emma Sophie")
    page.get_by_label("Roepnaam").fill("Emma")
    page.get_by_label("Achternaam").fill("Hoogenboezem")
    page.get_by_label("Geboortedatum").fill("02-05-2012")
    page.get_by_label("Geslacht").select_option("V")
    page.get_by_label("BSN").fill(_bsn(7777))
    page.get_by_label("Straat").fill("Stationsstraat")
    page.get_by_label("Huisnummer").fill("5")
    page.get_by_label("Postcode").fill("7311 AA")
    page.get_by_label("Woonplaats").fill("Apeldoorn")
    page.get_by_role("button", name="Opslaan").click()

    page.get_by_label("Leerjaar / groep").fill("2")
    page.get_by_label("E-mailadres").fill("zorg@school-a.example")
    page.get_by_label("Contactpersoon").fill("P. de Coördinator")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_label("Titel").wait_for()

    # Leave half-way: log out, come back tomorrow.
    page.get_by_role("button", name="Afmelden").click()
    browser_login(page, live_server, world.coordinator_a)
    page.get_by_role("link", name="Hulpvragen").first.click()
    page.get_by_role("link", name="Emma Hoogenboezem").click()

    page.get_by_label("Titel").select_option(label="TLV VSO")
    page.get_by_label("Omschrijving").fill("Emma heeft veel nodig")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Zet in de omschrijving geen naam").wait_for()
    page.get_by_label("Omschrijving").fill("Vastgelopen in leerjaar 2")
    page.get_by_role("button", name="Opslaan").click()

    page.get_by_role("heading", name="TLV VSO", level=1).wait_for()
    assert "TLV voorlopige aanvraag" in page.content()
    hv = Hulpvraag.objects.get(leerling__achternaam="Hoogenboezem")
    assert hv.omschrijving == "Vastgelopen in leerjaar 2"
    page.get_by_role("link", name="Hulpvragen").first.click()
    expect(page.locator("table.tabel--klikbaar")).to_contain_text("Emma Hoogenboezem")
    assert "Nog niet afgeronde dossiers" not in page.content()


def test_sorting_and_paging_update_the_results_in_place(page, live_server, world):
    browser_login(page, live_server, world.coordinator_a)
    page.get_by_role("link", name="Hulpvragen").first.click()
    page.evaluate("window.zelfdePagina = true")
    page.get_by_role("link", name="Laatste datum").click()
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Laatste datum")
    bijgewerkt(page)
    assert page.evaluate("window.zelfdePagina === true")  # no reload: replaced in place
    assert "sortering=laatste_datum" in page.url  # the address follows
    page.get_by_role("link", name="10", exact=True).click()
    expect(page.locator(".paginering strong[aria-current]")).to_have_text("10")
    bijgewerkt(page)
    assert page.evaluate("window.zelfdePagina === true")
    page.reload()  # the pushed address is a real page too
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Laatste datum")


@pytest.mark.parametrize("breedte", [1280, 320])
def test_the_volledig_scherm_button_never_covers_a_table_cell(page, live_server, world, breedte):
    """The button sits in the list's toolbar, in the flow of the page: with the page scrolled to
    any row, it overlaps no cell of the results (it used to be fixed over the bottom rows)."""
    from tests.factories import SchoolgegevensFactory, make_hulpvraag

    for _ in range(30):
        sg = SchoolgegevensFactory(school=world.school_a, aanvrager=world.coordinator_a)
        make_hulpvraag(schoolgegevens=sg, door=world.coordinator_a)
    page.set_viewport_size({"width": breedte, "height": 600})
    browser_login(page, live_server, world.coordinator_a)
    menu = page.locator("header").get_by_text("Menu", exact=True)
    if menu.is_visible():  # at phone width the header's links sit behind "Menu"
        menu.click()
    page.get_by_role("link", name="Hulpvragen").first.click()
    knop = page.get_by_role("button", name="volledig scherm")
    knop.wait_for()

    def overlapt() -> list[str]:
        return page.evaluate(
            """() => {
              const k = document.querySelector('.volledig-scherm button').getBoundingClientRect();
              return [...document.querySelectorAll('#resultaten td, #resultaten th')]
                .filter(c => { const r = c.getBoundingClientRect();
                  return r.left < k.right && k.left < r.right
                    && r.top < k.bottom && k.top < r.bottom; })
                .map(c => c.textContent.trim());
            }"""
        )

    for positie in (0, 400, 100000):
        page.evaluate(f"window.scrollTo(0, {positie})")
        assert overlapt() == []
    knop.click()
    page.get_by_role("button", name="volledig scherm").wait_for()
    assert page.get_by_role("button", name="volledig scherm").get_attribute("aria-pressed") == (
        "true"
    )
    page.evaluate("window.scrollTo(0, 100000)")
    assert overlapt() == []
