"""The provider login in Chromium at phone width (320 px): the login screen's button, the real
provider's page (tests/oidc/provider.mjs), the SWV chooser and switching SWV; axe-core finds
nothing and nothing scrolls sideways on our pages."""

from __future__ import annotations

import pytest

from oidc.models import ExterneIdentiteit, Identiteitsprovider
from tests.browser.wandeling import _BREEDTE_JS, axe_schendingen
from tests.oidc.conftest import CLIENT_SECRET, _start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider_voor_browser(live_server, settings):
    settings.SITE_URL = live_server.url
    proces, basis = _start({"redirect_uris": [f"{live_server.url}/inloggen/extern/terug/"]})
    yield basis
    proces.terminate()
    proces.wait(10)


def _controleer(page, naam: str) -> None:
    meting = page.evaluate(_BREEDTE_JS)
    assert meting["breed"] <= meting["venster"], f"{naam} scrolt opzij: {meting['uit']}"
    fouten = axe_schendingen(page)
    assert not fouten, f"{naam}: {fouten}"


def _link(provider, gebruiker):
    ExterneIdentiteit.objects.create(
        user=gebruiker,
        name=provider.naam,
        confirmed=True,
        provider=provider,
        issuer=provider.issuer,
        sub="piet",
        organisatie=gebruiker.organisatie,
    )


def test_provider_login_chooser_and_switching_at_320px(
    page, live_server, world, provider_voor_browser
):
    provider = Identiteitsprovider(
        naam="Stichting Veluwe",
        discovery_url=f"{provider_voor_browser}/goed/.well-known/openid-configuration",
        client_id="kindkans",
        vertrouwde_amr="otp",
    )
    provider.client_secret_zetten(CLIENT_SECRET)
    provider.save()
    provider.organisaties.set([world.org, world.other_org])
    _link(provider, world.coordinator_a)
    _link(provider, world.outsider)

    page.set_viewport_size({"width": 320, "height": 800})
    # A link that names the organisation shows its provider's button straight away.
    page.goto(f"{live_server.url}/inloggen/?organisatie=VO2505")
    knop = page.get_by_role("link", name="Inloggen met Stichting Veluwe")
    knop.wait_for()
    _controleer(page, "inloggen met knop")

    # Without it: type the organisation, then the general button, then the provider's link.
    page.goto(f"{live_server.url}/inloggen/")
    _controleer(page, "inloggen")
    page.get_by_label("Organisatie").fill("VO25")
    page.get_by_role("button", name="Inloggen met het account van uw school").click()
    page.get_by_role("heading", name="Inloggen met het account van uw school").wait_for()
    _controleer(page, "providers van de organisatie")
    page.get_by_role("link", name="Inloggen met Stichting Veluwe").click()

    # The provider's own page.
    page.get_by_label("Account").fill("piet")
    page.get_by_label("met tweede factor").check()
    page.get_by_role("button", name="Inloggen bij de testprovider").click()

    page.get_by_role("heading", name="Kies een samenwerkingsverband").wait_for()
    _controleer(page, "kiezen")
    keuzes = page.locator("main ul.keuzelijst button").all_inner_texts()
    assert keuzes == ["PO2501 Voorbeeld", "VO2505 Apeldoorn"]
    page.get_by_role("button", name="PO2501 Voorbeeld").click()
    page.get_by_role("heading", name="Aangemeld").wait_for()
    assert "PO2501 Voorbeeld" in page.locator("main").inner_text()

    menu = page.locator("header").get_by_text("Menu", exact=True)
    if menu.is_visible():  # at phone width the header's links sit behind "Menu"
        menu.click()
    page.get_by_role("link", name="Ander samenwerkingsverband").click()
    page.get_by_role("heading", name="Kies een samenwerkingsverband").wait_for()
    _controleer(page, "wisselen")
    page.get_by_role("button", name="VO2505 Apeldoorn").click()
    page.get_by_role("heading", name="Aangemeld").wait_for()
    assert "VO2505 Apeldoorn" in page.locator("main").inner_text()
    assert "U werkt nu in VO2505 Apeldoorn" in page.content()
