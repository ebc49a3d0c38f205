"""Parents online in Chromium at phone size: the school invites, the parent opens the mail's
link in a browser of their own, types the code, reads, proposes a correction, gives a
zienswijze and signs "voor gezien" (keyboard only); the signed form appears as a bijlage and the
school takes the correction over. Every page on the way is checked like the page walk does
(tests/browser/wandeling.py: reflow at 390 and 320 px, axe-core, aria references, the Nu HTML
checker)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_wandeling import afronden
from tests.browser.wandeling import Wandeling
from tests.helpers import browser_login
from tests.ouders.conftest import aanvraag_klaar, link_uit_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TELEFOON = {"width": 360, "height": 740}


def test_parents_do_step_6_on_their_phone(browser, page, live_server, world, mailoutbox, tmp_path):
    from audit.models import Inzage
    from bijlagen.models import Bijlage
    from formulieren.models import Formulier
    from ouders.models import VoorGezien

    aanvraag = aanvraag_klaar(world)
    hv = aanvraag.hulpvraag
    tab = reverse("hulpvragen:tab", args=[hv.pk, "formulier"])

    # The school, on a phone too.
    page.set_viewport_size(TELEFOON)
    browser_login(page, live_server, world.coordinator_a, next_url=tab)
    school = Wandeling(page, live_server.url, tmp_path / "html", "school-ouders")
    page.get_by_role("link", name="Ouders uitnodigen").click()
    page.get_by_role("heading", name="Ouders uitnodigen").wait_for()
    school.controleer("ouders uitnodigen")
    page.get_by_label("M. (Marieke) de Boer (m.deboer@example.nl)").check()
    page.get_by_label("OPP Sanne.pdf", exact=False).check()
    expect(page.get_by_label("Verslag psycholoog.pdf", exact=False)).not_to_be_checked()
    page.get_by_role("button", name="Uitnodigen").click()
    code = page.locator("[data-code]").inner_text()
    school.controleer("code voor de ouders")

    (mail,) = mailoutbox
    assert hv.leerling.achternaam not in mail.body
    # The mail links to SITE_URL; the test server has its own address.
    link = live_server.url + urlsplit(link_uit_mail(mail)).path

    # The parent: a browser of their own, no staff session, keyboard only.
    context = browser.new_context(viewport=TELEFOON)
    ouder = context.new_page()
    w = Wandeling(ouder, live_server.url, tmp_path / "html", "ouder")
    ouder.goto(link)
    w.controleer("code")
    ouder.keyboard.press("Tab")  # the skip link first
    ouder.get_by_label("Code van de school").focus()
    ouder.keyboard.type("ZZZZ-ZZZZ")
    ouder.keyboard.press("Enter")
    ouder.get_by_text("De code klopt niet.").wait_for()
    w.controleer("code (foutmelding)")
    ouder.get_by_label("Code van de school").fill("")
    ouder.get_by_label("Code van de school").focus()
    ouder.keyboard.type(code)
    ouder.keyboard.press("Enter")
    ouder.get_by_role("heading", name="Aanvraag TLV VSO").wait_for()
    expect(ouder.get_by_text("M. (Marieke) de Boer").first).to_be_visible()
    expect(ouder.get_by_role("link", name="OPP Sanne.pdf")).to_be_visible()
    expect(ouder.get_by_text("Verslag psycholoog.pdf")).to_have_count(0)
    w.controleer("aanvraag")
    with ouder.expect_download() as download:
        ouder.get_by_role("link", name="OPP Sanne.pdf").click()
    assert download.value.suggested_filename == "OPP Sanne.pdf"

    # A correction to the phone number.
    ouder.get_by_role("link", name="Uw gegevens controleren").click()
    w.controleer("gegevens")
    veld = ouder.get_by_label("Telefoon ouder/verzorger 1", exact=True)
    veld.fill("06-11112222")
    veld.press("Enter")
    ouder.get_by_text("Uw verbetering is naar de school gestuurd.").wait_for()
    w.controleer("aanvraag na verbetering")

    # The zienswijze, "wij zijn het niet eens".
    ouder.get_by_role("link", name="Uw zienswijze geven").click()
    w.controleer("zienswijze")
    ouder.get_by_label("Uw zienswijze").fill("Wij willen eerst een gesprek met de school.")
    ouder.get_by_label("Wij zijn het niet eens met de aanvraag").focus()
    ouder.keyboard.press("Space")
    ouder.keyboard.press("Tab")
    ouder.keyboard.press("Enter")
    ouder.get_by_text("Uw zienswijze is bewaard.").wait_for()

    # Sign "voor gezien".
    ouder.get_by_role("link", name="Tekenen voor gezien").click()
    w.controleer("tekenen")
    ouder.get_by_label("Uw naam").focus()
    ouder.keyboard.type("Marieke de Boer")
    ouder.keyboard.press("Tab")
    ouder.keyboard.press("Enter")
    ouder.get_by_text("U hebt getekend voor gezien.").wait_for()
    w.controleer("aanvraag na tekenen")
    ouder.get_by_role("button", name="Afmelden").click()
    ouder.get_by_role("heading", name="U bent afgemeld").wait_for()
    w.controleer("afgemeld")
    ouder.goto(link + "aanvraag/")
    ouder.get_by_label("Code van de school").wait_for()  # the session is gone
    ouder.goto(live_server.url + "/ouder/bestaat-niet-0123456789abcdef/")
    ouder.get_by_role("heading", name="Deze link werkt niet (meer)").wait_for()
    w.controleer("link werkt niet")
    context.close()

    vg = VoorGezien.objects.get()
    assert vg.naam == "Marieke de Boer"
    # The bijlage appears on the school's Bijlagen page.
    page.goto(live_server.url + reverse("bijlagen:lijst", args=[hv.pk]))
    rij = page.locator("table.bijlagen tbody tr").filter(
        has_text="voor gezien getekend door ouder 1.docx"
    )
    expect(rij).to_have_count(1)
    assert Bijlage.objects.get(pk=vg.bijlage_id).documentsoort == "ouderformulier_online"

    # The school sees it all on the Formulier tab and takes the correction over.
    page.goto(live_server.url + tab)
    deel = page.locator(".ouders-deel")
    expect(deel.get_by_text("Wij zijn het niet eens")).to_be_visible()
    expect(deel.get_by_text("06-11112222")).to_be_visible()
    expect(deel.get_by_text("Voor gezien getekend door “Marieke de Boer”")).to_be_visible()
    school.controleer("formulier met ouders")
    deel.get_by_role("button", name="Overnemen", exact=True).click()
    page.get_by_text("Het voorstel is overgenomen in het formulier.").wait_for()
    formulier = Formulier.objects.get(pk=aanvraag.formulier.pk)
    assert formulier.antwoorden["ouder1_telefoon"] == "06-11112222"

    rollen = set(
        Inzage.objects.filter(hulpvraag_id=hv.pk, gebruiker__isnull=True).values_list(
            "onderdeel", flat=True
        )
    )
    assert {"ouder: code", "ouder: aanvraag", "bijlage", "ouder: voor gezien"} <= rollen
    afronden(w)
    afronden(school)
