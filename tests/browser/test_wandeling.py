"""Accessibility and reflow of every page, per role, proven with real tools (tests/browser/
wandeling.py): one walk per role over the demo world, each page checked at 390 and 320 px for
sideways scrolling, by axe-core for any violation, for dangling aria references, and afterwards
by the Nu HTML checker for any error. Pages only a form leads to (the wizard's steps, forms
with their error messages) are walked by each role's steps below."""

from __future__ import annotations

import os
import re
import time
import warnings
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from organisaties.management.commands.demo import DEMO_PASSWORD
from tests.browser.wandeling import Wandeling, vnu_controleren, vnu_jar
from tests.helpers import browser_fill_login, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_wereld() -> dict[str, User]:
    """The demo data (`manage.py demo`: one hulpvraag of every type, some submitted, LVS data,
    labels), plus a form waiting for a signature and a deskundige with access, so every role has
    pages with content."""
    call_command("demo", stdout=StringIO())
    from besluiten.services_advies import deskundige_assign
    from formulieren.demo import formulier_demo_antwoorden
    from formulieren.selectors import ondertekenaars_for
    from formulieren.services import formulier_save
    from hulpvragen.models import Hulpvraag, HulpvraagType

    users = {u.username: u for u in User.objects.filter(organisatie__code="VO2505")}
    # Daan's TLV: the form filled in, waiting for the bevoegd gezag's signature.
    daan = Hulpvraag.objects.get(leerling__achternaam="Hendriks")
    ondertekenaar = int(next(iter(ondertekenaars_for(hulpvraag=daan))))
    for formulier in daan.formulieren.select_related("definitie"):
        formulier_save(
            formulier=formulier,
            user=daan.aangemaakt_door,
            antwoorden=formulier_demo_antwoorden(
                formulier=formulier, ondertekenaar_id=ondertekenaar
            ),
            revisie=formulier.revisie,
        )
    tlv = Hulpvraag.objects.get(type=HulpvraagType.TLV_VSO, status__naam="TLV aanvraag indienen")
    deskundige_assign(
        hulpvraag=tlv,
        door=users["loket"],
        deskundige=users["deskundige"],
        volgorde=1,
        discipline="orthopedagoog",
    )
    users["platform"] = User.objects.get(username="platform", organisatie=None)
    return users


def inloggen(page, basis: str, user: User) -> None:
    page.goto(basis + "/inloggen/")
    browser_fill_login(page, user, password=DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/inloggen" not in url)


def afronden(w: Wandeling) -> None:
    fouten = list(w.bevindingen)
    jar = vnu_jar()
    if jar is None:
        reden = "vnu.jar ontbreekt (npm ci) of java ontbreekt (default-jre-headless)"
        if os.environ.get("CI"):
            pytest.fail(f"CI: de HTML-controle kan niet draaien: {reden}")
        # Locally the walk's other checks still run; the missing checker is reported.
        warnings.warn(f"HTML-controle overgeslagen: {reden}", stacklevel=1)
    else:
        t = time.perf_counter()
        fouten += vnu_controleren(w.html_map, w.html_namen)
        w.tijden["vnu"] += time.perf_counter() - t
    print(f"\n{w.rol}: {len(w.bezocht)} pagina's: " + ", ".join(w.bezocht))
    print(f"{w.rol}: seconden " + ", ".join(f"{k} {v:.1f}" for k, v in w.tijden.items()))
    assert not fouten, "\n".join(fouten)


# --- pages only a form leads to: error states and the wizard's steps ---------------------------

FOUTMELDING = ".fout, .veld__fout, .foutsamenvatting, .errornote, .errorlist, [role=alert]"


def fout_tonen(w: Wandeling, pad: str, knop: str, *, invullen=None) -> None:
    """Open `pad`, optionally fill something wrong in, and send the form with `knop` past the
    browser's own checks (as without them: the server's messages are what we check); the page
    must show an error, and is then checked like any other."""
    page = w.page
    page.goto(w.basis + pad)
    if invullen:
        invullen(page)
    page.eval_on_selector_all("form", "fs => fs.forEach(f => f.noValidate = true)")
    page.locator("main").get_by_role("button", name=knop, exact=True).first.click()
    page.wait_for_load_state("load")
    if page.locator(FOUTMELDING).count() == 0:
        w.bevindingen.append(f"{pad} ({knop}): geen foutmelding getoond")
    w.controleer(f"{pad} ({knop}: foutmelding)")


def stappen_school(w: Wandeling, users) -> None:
    """The new-dossier wizard, each step and its error state; the form and account pages with
    their errors."""
    from dossiers.models import Leerling
    from formulieren.models import Formulier
    from tests.factories import _bsn

    page = w.page
    page.goto(w.basis + "/hulpvragen/toevoegen/")
    page.get_by_label("Leerlingnaam").fill("Hoogenboezem")
    page.get_by_role("button", name="zoeken").click()
    page.get_by_text("Deze leerling is nog niet bekend.").wait_for()
    w.controleer("toevoegen: zoeken zonder resultaat")
    page.get_by_role("button", name="Dossier toevoegen").click()
    page.get_by_label("Voornamen").wait_for()
    w.controleer("wizard stap Basisgegevens")
    page.eval_on_selector_all("form", "fs => fs.forEach(f => f.noValidate = true)")
    page.get_by_role("button", name="Opslaan").click()
    page.locator(FOUTMELDING).first.wait_for()
    w.controleer("wizard stap Basisgegevens: foutmeldingen")
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
    page.get_by_label("Contactpersoon").wait_for()
    w.controleer("wizard stap Schoolgegevens")
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.eval_on_selector_all("form", "fs => fs.forEach(f => f.noValidate = true)")
    page.get_by_role("button", name="Opslaan").click()
    page.locator(FOUTMELDING).first.wait_for()
    w.controleer("wizard stap Schoolgegevens: foutmeldingen")
    page.get_by_label("Leerjaar / groep").fill("2")
    page.get_by_label("E-mailadres").fill("zorg@school-a.example")
    page.get_by_label("Contactpersoon").fill("P. de Coördinator")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_label("Titel").wait_for()
    w.controleer("wizard stap Hulpvraag")
    page.get_by_label("Titel").select_option(label="TLV VSO")
    page.get_by_label("Omschrijving").fill("Emma heeft veel nodig")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Zet in de omschrijving geen naam").wait_for()
    w.controleer("wizard stap Hulpvraag: foutmelding")

    daan = Leerling.objects.get(achternaam="Hendriks")
    formulier = Formulier.objects.filter(hulpvraag__leerling=daan).first()
    fout_tonen(
        w,
        f"/formulieren/{formulier.pk}/bewerken/",
        "Opslaan",
        invullen=lambda p: p.locator("main input[placeholder='dd-mm-jjjj']").first.fill(
            "31-02-2026"
        ),
    )
    fout_tonen(
        w,
        "/account/wachtwoord/",
        "Wachtwoord wijzigen",
        invullen=lambda p: p.locator("input[type=password]").first.fill("verkeerd"),
    )
    fout_tonen(w, "/personeelswijziging/", "Aanvraag versturen")


def stappen_bestuurder(w: Wandeling, users) -> None:
    from formulieren.models import Formulier

    formulier = Formulier.objects.filter(hulpvraag__leerling__achternaam="Hendriks").first()
    fout_tonen(
        w,
        f"/formulieren/{formulier.pk}/ondertekenen/",
        "Ondertekenen",
        invullen=lambda p: p.get_by_label("Code", exact=False).first.fill("000000"),
    )


def stappen_loket(w: Wandeling, users) -> None:
    from hulpvragen.models import Hulpvraag, HulpvraagType

    tlv = Hulpvraag.objects.get(type=HulpvraagType.TLV_VSO, status__naam="TLV aanvraag indienen")
    fa = Hulpvraag.objects.get(type=HulpvraagType.FA, status__zichtbaar_voor_swv=True)
    fout_tonen(w, f"/hulpvragen/{tlv.pk}/status/wijzigen/", "Opslaan")
    fout_tonen(w, f"/hulpvragen/{tlv.pk}/besluit/", "TLV vastleggen")
    fout_tonen(w, f"/hulpvragen/{fa.pk}/besluit/", "Arrangement vastleggen")
    fout_tonen(w, "/swv/scholen/nieuw/", "School toevoegen")
    fout_tonen(w, "/beheer/organisaties/bestuur/add/", "Opslaan")


def stappen_deskundige(w: Wandeling, users) -> None:
    from hulpvragen.models import Hulpvraag, HulpvraagType

    tlv = Hulpvraag.objects.get(type=HulpvraagType.TLV_VSO, status__naam="TLV aanvraag indienen")
    fout_tonen(w, f"/hulpvragen/{tlv.pk}/advies/", "Advies opslaan")


def stappen_beheerder(w: Wandeling, users) -> None:
    from organisaties.models import School
    from tests.overdracht import duo_bestanden as duo

    fout_tonen(w, "/swv/gebruikers/nieuw/", "Account aanmaken")
    fout_tonen(w, "/beheer/hulpvragen/label/add/", "Opslaan")
    fout_tonen(
        w,
        "/swv/gebruikers/uitnodigen/",
        "Controleren",
        invullen=lambda p: p.get_by_label("Regels", exact=False).fill(
            "Jan Jansen;geen-mail;platform;\nAnna de Vries;anna@school.example;school;99XX00"
        ),
    )
    fout_tonen(w, "/swv/scholen/inlezen/", "Bekijken")
    fout_tonen(w, "/swv/export/", "Export starten")
    # The DUO preview with every kind of row: changed, new, no longer listed.
    school = School.objects.filter(organisatie__code="VO2505", actief=True).first()
    bestand = duo.vestigingen(
        duo.vestiging(school.brin, school.vestiging, school.naam + " College"),
        duo.vestiging("99ZZ", "00", "Nieuwe Scholengemeenschap met een heel lange naam"),
    )
    page = w.page
    page.goto(w.basis + "/swv/scholen/inlezen/")
    page.get_by_label("Code van uw samenwerkingsverband").fill("VO 25.05")
    page.get_by_label("Adressenbestand van de vestigingen", exact=False).set_input_files(
        files=[{"name": "vestigingen-vo.csv", "mimeType": "text/csv", "buffer": bestand}]
    )
    page.locator("main").get_by_role("button", name="Bekijken").click()
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
    w.controleer("scholen inlezen: voorbeeld")


STAPPEN = {
    "coordinator": stappen_school,
    "bestuurder": stappen_bestuurder,
    "loket": stappen_loket,
    "deskundige": stappen_deskundige,
    "beheerder": stappen_beheerder,
}
ROLLEN = list(STAPPEN)


@pytest.mark.parametrize("gebruikersnaam", ROLLEN)
def test_elke_pagina_per_rol(page, live_server, tmp_path, gebruikersnaam):
    t = time.perf_counter()
    users = demo_wereld()
    inloggen(page, live_server.url, users[gebruikersnaam])
    w = Wandeling(page, live_server.url, tmp_path / "html", gebruikersnaam)
    w.tijden["wereld en inloggen"] += time.perf_counter() - t
    w.loop("/")
    t = time.perf_counter()
    STAPPEN[gebruikersnaam](w, users)
    w.tijden["stappen"] += time.perf_counter() - t
    afronden(w)


def test_paginas_zonder_inloggen(page, live_server, tmp_path):
    """The login page, its error state and the pages linked from it; linking an app and the
    code step, with their errors; an invitation's pages; and the platform administrator's
    import page (the one page of that role outside the admin)."""
    users = demo_wereld()
    w = Wandeling(page, live_server.url, tmp_path / "html", "anoniem")
    w.loop("/inloggen/")

    def verkeerd_wachtwoord(p):
        p.get_by_label("Organisatie").fill(users["loket"].organisatie.naam)
        p.get_by_label("Gebruikersnaam").fill("loket")
        p.get_by_label("Wachtwoord").fill("verkeerd")

    fout_tonen(w, "/inloggen/", "Aanmelden", invullen=verkeerd_wachtwoord)
    fout_tonen(w, "/wachtwoord-vergeten/", "Verstuur e-mail")

    # The second step: a first login links an authenticator app, a later one asks the code.
    def alleen_wachtwoord(user):
        page.goto(live_server.url + "/inloggen/")
        page.get_by_label("Organisatie").fill(user.organisatie.naam)
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_url(lambda url: "/inloggen/koppelen/" in url or "/inloggen/code/" in url)

    alleen_wachtwoord(users["ib-basisschool"])
    w.controleer("koppelen")
    foute_code = lambda p: p.locator("#id_code").fill("000000")  # noqa: E731
    fout_tonen(w, "/inloggen/koppelen/", "Koppelen", invullen=foute_code)
    page.get_by_role("button", name="Afmelden").click()
    totp_device(users["collega"])
    alleen_wachtwoord(users["collega"])
    w.controleer("code")
    fout_tonen(w, "/inloggen/code/", "Aanmelden", invullen=foute_code)
    page.get_by_role("button", name="Afmelden").click()

    # An invitation's link: choosing a password, with its error; a link that no longer works.
    from overdracht.uitnodigingen import uitnodigingen_versturen

    mail.outbox.clear()
    uitnodigingen_versturen(
        door=users["beheerder"], tekst="Carla Smit;carla@swv.example;deskundige;"
    )
    link = re.search(r"https?://\S+/uitnodiging/\S+/", mail.outbox[-1].body).group(0)
    page.goto(w.basis + urlsplit(link).path)
    page.wait_for_url(lambda url: url.endswith("/uitnodiging/aannemen/"))
    w.controleer("uitnodiging: wachtwoord kiezen")

    def ongelijk(p):
        wachtwoorden = p.locator("input[type=password]")
        wachtwoorden.nth(0).fill("Een-lang-wachtwoord-1")
        wachtwoorden.nth(1).fill("Een-ander-wachtwoord-2")

    fout_tonen(w, "/uitnodiging/aannemen/", "Wachtwoord instellen", invullen=ongelijk)
    page.goto(w.basis + "/uitnodiging/verlopen-of-onbekend/")
    page.wait_for_url(lambda url: url.endswith("/uitnodiging/aannemen/"))
    w.controleer("uitnodiging: ongeldige link")

    # The platform administrator's import of another installation's export.
    inloggen(page, w.basis, users["platform"])
    page.goto(w.basis + "/platform/importeren/")
    w.controleer("platform: importeren")
    fout_tonen(w, "/platform/importeren/", "Inlezen")
    afronden(w)


def test_naar_de_inhoud_zet_de_focus_op_main(page, live_server):
    """The skip link is the first stop of the keyboard and moves the focus to <main>, so the
    next Tab continues in the content, not in the menu."""
    users = demo_wereld()
    inloggen(page, live_server.url, users["loket"])
    for pad in ("/", "/beheer/"):
        page.goto(live_server.url + pad)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") in (
            "Naar de inhoud",
            "Naar hoofdinhoud",
        )
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.tagName") == "MAIN", pad


def test_het_menu_klapt_in_en_werkt_zonder_javascript(browser, live_server):
    """At phone width the header menu is one "Menu" button (a <details>), which opens without
    JavaScript and holds every link of the wide menu."""
    users = demo_wereld()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    inloggen(page, live_server.url, users["loket"])
    page.goto(live_server.url + "/hulpvragen/")
    menu = page.locator("header").get_by_text("Menu", exact=True)
    assert menu.is_visible()
    hulpvragen = page.locator("header").get_by_role("link", name="Werkvoorraad")
    assert not hulpvragen.is_visible()
    menu.click()
    assert hulpvragen.is_visible()
    assert page.locator("header").get_by_role("button", name="Afmelden").is_visible()
    hulpvragen.click()
    assert page.url.endswith("/loket/werkvoorraad/")
    # Wide: the same links in the bar, no "Menu".
    page.set_viewport_size({"width": 1200, "height": 800})
    assert not page.locator("header").get_by_text("Menu", exact=True).is_visible()
    assert page.locator("header").get_by_role("link", name="Hulpvragen").is_visible()
    context.close()


def test_hulpvraagpagina_op_de_telefoon(page, live_server):
    """At 390 px the pupil's hulpvragen stack above the tab panel (both on screen, nothing beside
    the window); at desktop width they stand side by side."""
    from hulpvragen.models import Hulpvraag, HulpvraagType

    users = demo_wereld()
    tlv = Hulpvraag.objects.get(type=HulpvraagType.TLV_VSO, status__naam="TLV aanvraag indienen")
    inloggen(page, live_server.url, users["loket"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/hulpvragen/{tlv.pk}/formulier/")
    lijst = page.locator(".dossier__hulpvragen").bounding_box()
    paneel = page.locator(".dossier__inhoud").bounding_box()
    assert lijst["y"] + lijst["height"] <= paneel["y"]
    assert paneel["x"] >= 0 and paneel["x"] + paneel["width"] <= 390
    page.set_viewport_size({"width": 1280, "height": 800})
    lijst = page.locator(".dossier__hulpvragen").bounding_box()
    paneel = page.locator(".dossier__inhoud").bounding_box()
    assert lijst["x"] + lijst["width"] <= paneel["x"]


def test_beheer_in_de_stijl_van_de_applicatie(page, live_server):
    """The admin shows the application's header (menu, Mijn account, Afmelden) in the
    application's colours and font, with the Beheer tab marked."""
    users = demo_wereld()
    inloggen(page, live_server.url, users["loket"])
    page.set_viewport_size({"width": 1280, "height": 800})

    def kop(pad):
        page.goto(live_server.url + pad)
        return page.evaluate(
            """() => {
              const k = document.querySelector('header.kop');
              const s = getComputedStyle(k);
              return {achtergrond: s.backgroundColor, letter: s.fontFamily,
                      hoogte: Math.round(k.getBoundingClientRect().height),
                      tekst: k.innerText};
            }"""
        )

    app, beheer = kop("/hulpvragen/"), kop("/beheer/")
    assert beheer == {**app, "tekst": beheer["tekst"]}
    for woord in ("Kindkans", "Hulpvragen", "Werkvoorraad", "Beheer", "Mijn account", "Afmelden"):
        assert woord in beheer["tekst"]
    actief = page.locator("header.kop .kop__nav [aria-current=page]")
    assert actief.inner_text() == "Beheer"
    # The admin's own blue is gone: module captions and buttons in the application's red.
    rood = page.evaluate(
        "getComputedStyle(document.querySelector('.module caption, .module h2')).backgroundColor"
    )
    assert rood == app["achtergrond"]
    assert page.locator("html").get_attribute("lang") == "nl"
