"""Users by invitation: rows typed or uploaded, a preview with errors per row before anything is
made, one account per new e-mail address (through gebruiker_create), an invitation mail with a
one-time link valid seven days to choose a password, then the login's own enrolment of an
authenticator app; the list of who has not accepted, and resending."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.eenmalig import eenmalig_token
from accounts.models import Rol, User
from overdracht.models import Uitnodiging
from tests.helpers import login

pytestmark = pytest.mark.django_db

URL = reverse("overdracht:uitnodigen")
WACHTWOORD = "Een-lang-nieuw-wachtwoord-2026"


def regels(world) -> str:
    a, b = world.school_a, world.school_b
    return (
        "naam;e-mailadres;rol;scholen\n"
        f"Anna de Vries;anna@school.example;school;{a.brin_vestiging}|{b.naam}\n"
        f"Bert Bakker;bert@bestuur.example;bevoegd gezag;{world.bestuur_a.naam}\n"
        "Carla Smit;carla@swv.example;Deskundige;\n"
    )


def controleren(client, tekst: str = "", bestand: bytes | None = None):
    data = {"regels": tekst, "actie": "controleren", "eenmalig": eenmalig_token()}
    if bestand is not None:
        data["bestand"] = SimpleUploadedFile("gebruikers.csv", bestand)
    return client.post(URL, data)


def versturen(client, tekst: str, token: str | None = None):
    return client.post(
        URL, {"regels": tekst, "actie": "versturen", "eenmalig": token or eenmalig_token()}
    )


def link_uit(bericht) -> str:
    return re.search(r"https?://\S+/uitnodiging/\S+/", bericht.body).group(0)


def test_the_preview_shows_errors_per_row_and_makes_nothing(client, world):
    login(client, world.beheerder)
    tekst = (
        "Anna de Vries;anna@school.example;school;99XX00\n"
        "Anna Dubbel;anna@school.example;deskundige;\n"
        "Piet Platform;piet@example.org;platformbeheerder;\n"
        "Geen Mail;geen-mail;loket;\n"
        f"Bestaande Piet;{world.coordinator_a.email};school;{world.school_a.naam}\n"
    )
    voor = User.objects.count()
    response = controleren(client, tekst)
    html = response.content.decode()
    assert "Onbekende school: “99XX00”" in html
    assert "Dit e-mailadres staat al eerder in de lijst." in html
    assert "kan niet via een uitnodiging worden gegeven" in html
    assert "Geen geldig e-mailadres." in html
    assert "Bestaat al (piet)" in html
    assert "4 regels hebben een fout" in html
    assert 'value="versturen"' not in html
    # Sending anyway is refused as a whole.
    assert "Verbeter eerst de regels" in versturen(client, tekst).content.decode()
    assert User.objects.count() == voor and not Uitnodiging.objects.exists()


def test_invite_accept_choose_password_and_link_the_app(
    client, world, django_capture_on_commit_callbacks
):
    login(client, world.beheerder)
    tekst = regels(world)
    html = controleren(client, tekst).content.decode()
    assert "3 nieuwe gebruikers worden uitgenodigd" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = versturen(client, tekst)
    assert response.status_code == 302

    anna = User.objects.get(organisatie=world.org, email="anna@school.example")
    assert anna.rol == Rol.SCHOOL and set(anna.scholen.all()) == {world.school_a, world.school_b}
    assert not anna.has_usable_password()
    bert = User.objects.get(email="bert@bestuur.example")
    assert (bert.rol, bert.bestuur) == (Rol.BEVOEGD_GEZAG, world.bestuur_a)
    assert User.objects.get(email="carla@swv.example").rol == Rol.DESKUNDIGE

    assert len(mail.outbox) == 3
    bericht = next(m for m in mail.outbox if m.to == ["anna@school.example"])
    assert anna.username in bericht.body and world.org.naam in bericht.body
    # No pupil data: nothing but the person, the organisation and the link.
    assert world.hv_a_ingediend.leerling.achternaam not in bericht.body
    link = link_uit(bericht)

    # The open list shows all three until they accept.
    lijst = client.get(reverse("overdracht:uitnodigingen")).content.decode()
    assert "anna@school.example" in lijst and "carla@swv.example" in lijst

    client.logout()
    pad = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + pad)
    assert response.status_code == 302  # the token moves into the session
    assert "uitnodiging/aannemen" in response["Location"]
    pagina = client.get(response["Location"]).content.decode()
    assert anna.username in pagina
    response = client.post(
        reverse("overdracht:aannemen_wachtwoord"),
        {"new_password1": WACHTWOORD, "new_password2": WACHTWOORD},
    )
    assert response["Location"].startswith(reverse("koppelen"))
    anna.refresh_from_db()
    assert anna.check_password(WACHTWOORD)

    # The login's enrolment: QR code and key, confirmed with a code from the phone.
    body = client.get(reverse("koppelen")).content.decode()
    geheim = re.search(r'id="geheim"[^>]*>([A-Z2-7 ]+)</code>', body).group(1).replace(" ", "")
    response = client.post(reverse("koppelen"), {"code": pyotp.TOTP(geheim).now()})
    assert response.status_code == 200 and "reservecodes" in response.content.decode().lower()
    assert client.get(reverse("start")).status_code == 200

    # The link works once.
    client.logout()
    client.get("/" + pad)
    assert (
        "werkt niet meer" in client.get(reverse("overdracht:aannemen_wachtwoord")).content.decode()
    )

    login(client, world.beheerder)
    lijst = client.get(reverse("overdracht:uitnodigingen")).content.decode()
    assert "anna@school.example" not in lijst and "carla@swv.example" in lijst


def test_a_csv_file_is_read_like_typed_rows(client, world):
    login(client, world.beheerder)
    bestand = regels(world).replace(";", ",").encode("utf-8-sig")
    html = controleren(client, bestand=bestand).content.decode()
    assert "3 nieuwe gebruikers worden uitgenodigd" in html


def test_existing_users_are_not_made_twice(client, world, django_capture_on_commit_callbacks):
    login(client, world.beheerder)
    tekst = (
        regels(world) + f"Piet;{world.coordinator_a.email.upper()};school;{world.school_a.naam}\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        versturen(client, tekst)
    with django_capture_on_commit_callbacks(execute=True):
        versturen(client, tekst)
    assert User.objects.filter(email="anna@school.example").count() == 1
    eigen = User.objects.filter(organisatie=world.org)
    assert eigen.filter(email__iexact=world.coordinator_a.email).count() == 1
    assert len(mail.outbox) == 3


def test_the_link_expires_after_seven_days_and_resending_replaces_it(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    login(client, world.beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        versturen(client, "Carla Smit;carla@swv.example;deskundige;")
    eerste = link_uit(mail.outbox[0]).split("/uitnodiging/")[1]
    uitnodiging = Uitnodiging.objects.get()

    echt = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: echt() + dt.timedelta(days=7, minutes=1))
    anoniem = client.__class__()
    anoniem.get(f"/uitnodiging/{eerste}")
    assert anoniem.get(reverse("overdracht:aannemen_wachtwoord")).status_code == 404
    monkeypatch.setattr(timezone, "now", echt)

    login(client, world.beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("overdracht:uitnodiging_opnieuw", args=[uitnodiging.pk]),
            {"eenmalig": eenmalig_token()},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    tweede = link_uit(mail.outbox[1]).split("/uitnodiging/")[1]
    assert tweede != eerste
    anoniem = client.__class__()
    anoniem.get(f"/uitnodiging/{eerste}")
    assert anoniem.get(reverse("overdracht:aannemen_wachtwoord")).status_code == 404
    anoniem.get(f"/uitnodiging/{tweede}")
    assert anoniem.get(reverse("overdracht:aannemen_wachtwoord")).status_code == 200
    uitnodiging.refresh_from_db()
    assert uitnodiging.keer_verstuurd == 2


def test_a_double_post_invites_once(client, world, django_capture_on_commit_callbacks):
    login(client, world.beheerder)
    token = eenmalig_token()
    with django_capture_on_commit_callbacks(execute=True):
        versturen(client, regels(world), token)
        response = versturen(client, regels(world), token)
    assert response.status_code == 302
    assert Uitnodiging.objects.count() == 3 and len(mail.outbox) == 3


@pytest.mark.parametrize("persona", ["loket", "coordinator_a", "deskundige"])
def test_only_the_beheerder_invites(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(URL).status_code == 404
    assert controleren(client, regels(world)).status_code == 404
    assert client.get(reverse("overdracht:uitnodigingen")).status_code == 404
