"""The link from the LVS (/lvs/open/): after the login it opens the pupil's dossier when the user
may see it, the Toevoegen wizard prefilled with what the LVS sent for a school user otherwise,
and a plain "niet gevonden" for everyone else, the same whether the pupil exists elsewhere or
not. A BSN comes only in a POST and never ends up in a URL, a cookie in clear, or a log."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import Beveiligingsgebeurtenis
from audit.models import Inzage
from dossiers.models import DossierConcept
from dossiers.validators import elfproef
from tests.factories import LeerlingFactory, SchoolgegevensFactory
from tests.helpers import login
from tests.oidc.conftest import provider_login
from tests.oidc.test_inloggen import _link

LVS = "/lvs/open/"


def _onderwijsnummer(start: int) -> str:
    n = start
    while not elfproef(f"{n:09d}", bsn=False):
        n += 1
    return f"{n:09d}"


def _met_onderwijsnummer(hulpvraag, start: int) -> str:
    leerling = hulpvraag.leerling
    leerling.onderwijsnummer = _onderwijsnummer(start)
    leerling.save()
    return leerling.onderwijsnummer


def test_onderwijsnummer_opens_the_visible_dossier(client, world):
    nummer = _met_onderwijsnummer(world.hv_a_ingediend, 100_000_000)
    login(client, world.coordinator_a)
    antwoord = client.get(LVS, {"onderwijsnummer": nummer})
    assert antwoord.status_code == 302
    # The pupil's newest hulpvraag the user may open.
    nieuwste = max(
        (world.hv_a_ingediend, world.hv_a_voorlopig), key=lambda h: (h.hulpvraagdatum, h.pk)
    )
    assert antwoord["Location"] == reverse("hulpvragen:detail", args=[nieuwste.pk])
    assert Inzage.objects.filter(onderdeel="LVS-koppeling", gebruiker=world.coordinator_a).exists()


def test_link_goes_through_the_provider_login_and_comes_back(client, world, maak_provider):
    nummer = _met_onderwijsnummer(world.hv_a_ingediend, 100_000_000)
    provider = maak_provider(organisaties=[world.org], vertrouwde_amr="otp")
    _link(provider, world.coordinator_a, "piet")
    antwoord = client.get(LVS, {"onderwijsnummer": nummer})
    assert antwoord["Location"].startswith(reverse("login"))
    volgende = f"{LVS}?onderwijsnummer={nummer}"
    antwoord = provider_login(
        client, provider, world.org, account="piet", mfa=True, next_url=volgende
    )
    assert antwoord["Location"] == volgende
    assert client.get(volgende)["Location"].startswith("/hulpvragen/")


def test_bsn_in_a_post_never_in_a_url_or_in_clear(world):
    leerling = world.hv_a_ingediend.leerling
    lvs = Client(enforce_csrf_checks=True)  # the LVS's form has no CSRF token of ours
    antwoord = lvs.post(LVS, {"bsn": leerling.bsn})
    assert antwoord.status_code == 303 and antwoord["Location"] == LVS
    koekje = antwoord.cookies["kindkans_lvs"]
    assert leerling.bsn not in koekje.value and koekje["httponly"] and koekje["path"] == LVS
    # Not logged in yet: the login page, whose `next` holds no BSN.
    antwoord = lvs.get(LVS)
    assert antwoord["Location"].startswith(reverse("login"))
    assert leerling.bsn not in antwoord["Location"]
    login(lvs, world.coordinator_a)
    antwoord = lvs.get(LVS)
    assert antwoord["Location"].startswith("/hulpvragen/")
    assert antwoord.cookies["kindkans_lvs"].value == ""  # used once
    for rij in Beveiligingsgebeurtenis.objects.all():
        assert leerling.bsn not in rij.toelichting
    for rij in Inzage.objects.all():
        assert leerling.bsn not in rij.details


def test_school_user_gets_the_wizard_prefilled_with_only_what_the_lvs_sent(client, world):
    # A pupil of another school (not visible to piet) and an unknown number: the same answer,
    # the wizard with the number, nothing of the other school's pupil.
    elders = _met_onderwijsnummer(world.hv_b_ingediend, 200_000_000)
    onbekend = _onderwijsnummer(300_000_000)
    login(client, world.coordinator_a)
    for nummer in (elders, onbekend):
        antwoord = client.get(LVS, {"onderwijsnummer": nummer})
        assert antwoord.status_code == 302 and "/toevoegen/concept/" in antwoord["Location"]
        concept = DossierConcept.objects.filter(aangemaakt_door=world.coordinator_a).latest("pk")
        assert concept.gegevens["edexml"]["basisgegevens"] == {"onderwijsnummer": nummer}
        pagina = client.get(antwoord["Location"]).content.decode()
        assert nummer in pagina
        assert world.hv_b_ingediend.leerling.achternaam not in pagina


def test_others_get_a_plain_not_found_that_reveals_nothing(client, world):
    elders = _met_onderwijsnummer(world.hv_other_org, 200_000_000)
    onbekend = _onderwijsnummer(300_000_000)
    login(client, world.bestuurder_a)
    a = client.get(LVS, {"onderwijsnummer": elders})
    b = client.get(LVS, {"onderwijsnummer": onbekend})
    assert a.status_code == b.status_code == 404
    assert "Niet gevonden" in a.content.decode()

    def hoofd(antwoord):  # the page's own part (the header carries a fresh CSRF token)
        html = antwoord.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert hoofd(a) == hoofd(b)
    assert elders not in hoofd(a)


def test_known_pupil_without_hulpvraag_opens_the_wizard_for_that_pupil(client, world):
    """A pupil the school's LVS already delivered (a dossier of the school without a hulpvraag
    yet): the wizard's "Nieuwe hulpvraag toevoegen" for that pupil, with its stored data."""
    leerling = LeerlingFactory(organisatie=world.org, onderwijsnummer=_onderwijsnummer(400_000_000))
    SchoolgegevensFactory(leerling=leerling, school=world.school_a, aanvrager=world.coordinator_a)
    login(client, world.coordinator_a)
    antwoord = client.get(LVS, {"onderwijsnummer": leerling.onderwijsnummer})
    assert antwoord["Location"] == reverse("dossiers:nieuwe_hulpvraag", args=[leerling.pk])
    assert leerling.achternaam in client.get(antwoord["Location"]).content.decode()
    # The colleague of another school does not see this pupil: the wizard with the number only.
    client.post(reverse("logout"))
    login(client, world.collega_b)
    antwoord = client.get(LVS, {"onderwijsnummer": leerling.onderwijsnummer})
    assert "/toevoegen/concept/" in antwoord["Location"]


def test_pupil_pushed_by_the_lvs_through_the_api_opens_prefilled(world):
    """The LVS first pushes the pupil through the API (real requests with its bearer token),
    then opens the link with the BSN in a POST: the coordinator lands on "Nieuwe hulpvraag
    toevoegen" for the pushed pupil, with what the LVS sent; a colleague of another school gets
    the empty wizard with the number only."""
    from api.models import Scope
    from tests.api.conftest import koppeling_voor, nieuwe_leerling

    lvs_api = koppeling_voor(
        world.beheerder, naam="LVS School A", scope=Scope.SCHRIJVEN, scholen=[world.school_a]
    )
    gepusht = lvs_api.post("/api/v1/leerlingen/", nieuwe_leerling(world.school_a))
    assert gepusht.status_code == 201, gepusht.content
    bsn = nieuwe_leerling(world.school_a)["bsn"]

    browser = Client(enforce_csrf_checks=True)
    assert browser.post(LVS, {"bsn": bsn}).status_code == 303
    login(browser, world.coordinator_a)
    antwoord = browser.get(LVS)
    assert "/toevoegen/leerling/" in antwoord["Location"]
    pagina = browser.get(antwoord["Location"]).content.decode()
    assert "Dalen" in pagina  # the pushed pupil's surname

    collega = Client(enforce_csrf_checks=True)
    collega.post(LVS, {"bsn": bsn})
    login(collega, world.collega_b)
    antwoord = collega.get(LVS)
    assert "/toevoegen/concept/" in antwoord["Location"]
    assert "Dalen" not in collega.get(antwoord["Location"]).content.decode()
