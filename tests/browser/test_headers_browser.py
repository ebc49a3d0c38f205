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


CSP_LUISTERAAR = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _bezoek_zonder_csp_schending(page, live_server, paden):
    """Open each page; the browser must report no CSP violation (event or console error)."""
    fouten: list[str] = []
    page.on(
        "console",
        lambda m: (
            fouten.append(f"{page.url}: {m.text}")
            if m.type == "error" and ("Content Security Policy" in m.text or "CSP" in m.text)
            else None
        ),
    )
    page.add_init_script(CSP_LUISTERAAR)
    bezocht = 0
    for pad in paden:
        response = page.goto(f"{live_server.url}{pad}")
        assert response is not None and response.status == 200, (pad, response and response.status)
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # scripts that run after load (deferred, timers)
        schendingen = page.evaluate("window.__csp")
        assert schendingen == [], (pad, schendingen)
        bezocht += 1
    assert fouten == []
    return bezocht


def test_school_pages_report_no_csp_violation(page, live_server, world):
    hv = world.hv_a_ingediend
    browser_login(page, live_server, world.coordinator_a)
    page.get_by_role("heading", name="Aangemeld").wait_for()
    page.goto(f"{live_server.url}/hulpvragen/{hv.pk}/")
    tabs = sorted(
        {
            href
            for href in page.eval_on_selector_all(
                "a[href]", "els => els.map(e => e.getAttribute('href'))"
            )
            if href.startswith(f"/hulpvragen/{hv.pk}/") and "download" not in href
        }
    )
    assert len(tabs) >= 5, tabs
    paden = ["/", "/hulpvragen/", f"/hulpvragen/{hv.pk}/", *tabs, "/account/", "/account/telefoon/"]
    assert _bezoek_zonder_csp_schending(page, live_server, paden) >= 10


def test_loket_and_admin_pages_report_no_csp_violation(page, live_server, world):
    from django.urls import reverse

    browser_login(page, live_server, world.loket)
    page.get_by_role("heading", name="Aangemeld").wait_for()
    paden = [
        reverse("loket:werkvoorraad"),
        reverse("beheer:kengetallen"),
        "/beheer/",
        "/beheer/accounts/user/",
        "/beheer/organisaties/school/add/",
        f"/beheer/organisaties/school/{world.school_a.pk}/change/",
        f"/beheer/accounts/user/{world.coordinator_a.pk}/change/",
        "/beheer/hulpvragen/hulpvraag/",
        f"/beheer/hulpvragen/hulpvraag/{world.hv_a_ingediend.pk}/change/",
        "/beheer/organisaties/school/",
    ]
    assert _bezoek_zonder_csp_schending(page, live_server, paden) == len(paden)
    # The listener does hear the browser: an inline style put into the page is blocked and
    # reported.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    assert any("style-src" in s for s in page.evaluate("window.__csp"))


def test_process_diagram_page_reports_no_csp_violation(page, live_server, world):
    """The process change page: the diagram (SVG drawn from Graphviz's layout) and its list of
    transitions, for the beheerder who edits and the loket who looks."""
    proces = world.hv_a_ingediend.proces
    for persona in (world.beheerder, world.loket):
        page.context.clear_cookies()
        browser_login(page, live_server, persona)
        page.get_by_role("heading", name="Aangemeld").wait_for()
        pad = f"/beheer/hulpvragen/proces/{proces.pk}/change/"
        assert _bezoek_zonder_csp_schending(page, live_server, [pad]) == 1
        page.get_by_role("img", name=f"Procesdiagram {proces}").wait_for()
        assert page.get_by_role("list").filter(has_text="Van “").count() == 1
