from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from organisaties.models import Nieuwsbericht
from tests.factories import TEST_PASSWORD
from tests.helpers import login, totp_code, totp_device

pytestmark = pytest.mark.django_db


def test_login_needs_organisation_and_opens_only_that_account(client, world):
    response = client.post(
        reverse("login"),
        {
            "organisatie": "PO2501",
            "username": "piet",
            "password": TEST_PASSWORD,
            "code": totp_code(totp_device(world.outsider)),
        },
    )
    assert response.status_code == 302
    start = client.get(reverse("start"))
    assert start.context["user"] == world.outsider
    assert "PO2501 Voorbeeld" in start.content.decode()


def test_login_with_wrong_password_gives_dutch_message(client, world):
    response = client.post(
        reverse("login"),
        {
            "organisatie": "VO2505 Apeldoorn",
            "username": "piet",
            "password": "fout",
        },
    )
    assert response.status_code == 200
    assert "organisatie, gebruikersnaam en wachtwoord is onjuist" in response.content.decode()


def test_start_page_has_aangemeld_panel_information_and_news(client, world):
    world.org.informatie = "Vragen? Mail het loket."
    world.org.save()
    Nieuwsbericht.objects.create(
        titel="Nieuwe versie", tekst="Uitleg", gepubliceerd_op=timezone.now()
    )
    Nieuwsbericht.objects.create(
        titel="Verborgen", tekst="x", gepubliceerd_op=timezone.now(), zichtbaar=False
    )
    login(client, world.coordinator_a)
    body = client.get(reverse("start")).content.decode()
    assert "Aangemeld" in body and "piet" in body and "VO2505 Apeldoorn" in body
    assert "Vragen? Mail het loket." in body
    assert "Algemeen nieuws" in body and "Nieuwe versie" in body
    assert "Verborgen" not in body


@pytest.mark.parametrize(
    ("persona", "tabs", "absent"),
    [
        ("coordinator_a", ["Hulpvragen"], ["Beheer"]),
        ("loket", ["Hulpvragen", "Beheer"], []),
        ("beheerder", ["Beheer"], ["Hulpvragen"]),
    ],
)
def test_navigation_shows_only_the_tabs_of_the_role(client, world, persona, tabs, absent):
    login(client, getattr(world, persona))
    nav = [t["label"] for t in client.get(reverse("start")).context["navigatie"]]
    assert all(t in nav for t in tabs)
    assert not any(t in nav for t in absent)


def test_dates_are_shown_dd_mm_jjjj(client, world):
    login(client, world.coordinator_a)
    body = client.get(reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk])).content.decode()
    assert world.hv_a_ingediend.hulpvraagdatum.strftime("%d-%m-%Y") in body
