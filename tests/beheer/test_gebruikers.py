"""The beheerder's Gebruikers screen, through the pages the beheerder uses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Rol, User
from tests.factories import UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db

LIJST = reverse("beheer:gebruikers")
NIEUW = reverse("beheer:gebruiker_nieuw")


def _nieuw(world, **extra):
    data = {
        "first_name": "Piet",
        "last_name": "Jansen",
        "email": "p.jansen@school-b.example",
        "username": "",
        "rol": Rol.SCHOOL,
        "scholen": [world.school_b.pk],
        "functie": "",
    }
    data.update(extra)
    return data


def test_create_with_the_suggested_username(client, world):
    login(client, world.beheerder)
    response = client.post(NIEUW, _nieuw(world))
    gebruiker = User.objects.get(email="p.jansen@school-b.example")
    assert response.status_code == 302
    assert gebruiker.username == "Piet Jansen VO2505"
    assert gebruiker.organisatie == world.org
    assert list(gebruiker.scholen.all()) == [world.school_b]
    assert not gebruiker.has_usable_password()
    assert not gebruiker.is_staff
    # A second Piet Jansen gets a number, still with the organisation suffix.
    client.post(NIEUW, _nieuw(world, email="piet.jansen2@school-b.example"))
    assert User.objects.filter(username="Piet Jansen 2 VO2505", organisatie=world.org).exists()


def test_shared_email_and_duplicate_username_are_refused(client, world):
    login(client, world.beheerder)
    response = client.post(NIEUW, _nieuw(world, email=world.collega_b.email))
    assert "eigen account met een eigen e-mailadres" in response.content.decode()
    response = client.post(NIEUW, _nieuw(world, username="PIET"))
    assert "bestaat al in deze organisatie" in response.content.decode()
    # The same username at another SWV is no conflict: "piet" there is the outsider.
    assert User.objects.filter(username__iexact="piet").count() == 2


def test_role_needs_its_links_and_drops_the_others(client, world):
    login(client, world.beheerder)
    response = client.post(NIEUW, _nieuw(world, rol=Rol.BEVOEGD_GEZAG, scholen=[]))
    assert "Kies het bestuur." in response.content.decode()
    client.post(NIEUW, _nieuw(world, rol=Rol.BEVOEGD_GEZAG, bestuur=world.bestuur_a.pk))
    bestuurder = User.objects.get(email="p.jansen@school-b.example")
    assert bestuurder.bestuur == world.bestuur_a
    assert bestuurder.scholen.count() == 0
    # Becoming loket: no bestuur left, staff for the admin tables.
    url = reverse("beheer:gebruiker", args=[bestuurder.pk])
    data = _nieuw(world, rol=Rol.SWV_LOKET, username=bestuurder.username, scholen=[])
    data["bestuur"] = world.bestuur_a.pk
    assert client.post(url, data).status_code == 302
    bestuurder.refresh_from_db()
    assert (bestuurder.rol, bestuurder.bestuur, bestuurder.is_staff) == (Rol.SWV_LOKET, None, True)


def test_platform_role_cannot_be_chosen(client, world):
    login(client, world.beheerder)
    response = client.post(NIEUW, _nieuw(world, rol=Rol.PLATFORM))
    assert response.status_code == 200
    assert not User.objects.filter(email="p.jansen@school-b.example").exists()


def test_deactivate_and_reactivate(client, world):
    login(client, world.beheerder)
    url = reverse("beheer:gebruiker_actief", args=[world.coordinator_a.pk])
    client.post(url, {"actief": "nee"})
    world.coordinator_a.refresh_from_db()
    assert not world.coordinator_a.is_active
    html = client.get(LIJST + "?actief=nee").content.decode()
    assert "piet" in html and "collega-b" not in html
    client.post(url, {"actief": "ja"})
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.is_active


def test_beheerder_cannot_deactivate_themself(client, world):
    login(client, world.beheerder)
    client.post(reverse("beheer:gebruiker_actief", args=[world.beheerder.pk]), {"actief": "nee"})
    world.beheerder.refresh_from_db()
    assert world.beheerder.is_active


def test_list_shows_role_school_and_last_login(client, world, django_assert_max_num_queries):
    for _i in range(50):
        UserFactory(organisatie=world.org, rol=Rol.SCHOOL, scholen=[world.school_a, world.school_b])
    User.objects.filter(pk=world.coordinator_a.pk).update(last_login="2026-03-02T09:15:00+01:00")
    login(client, world.beheerder)
    with django_assert_max_num_queries(10):
        response = client.get(LIJST)
    html = response.content.decode()
    assert html.count("School A, School B") >= 40
    assert "Volgende" in html  # 57 accounts: two pages
    # Never another SWV's accounts.
    assert reverse("beheer:gebruiker", args=[world.outsider.pk]) not in html
    assert "02-03-2026 09:15" in client.get(LIJST + "?zoek=piet").content.decode()
    # The bestuurder's bestuur is shown.
    assert "Stichting A" in client.get(LIJST + "?zoek=bestuurder").content.decode()


@pytest.mark.parametrize("persona", ["loket", "coordinator_a", "deskundige", "outsider"])
def test_only_the_beheerder_of_the_organisation(client, world, persona):
    login(client, getattr(world, persona))
    for url in (LIJST, NIEUW, reverse("beheer:gebruiker", args=[world.collega_b.pk])):
        assert client.get(url).status_code == 404, url


def test_another_organisations_account_is_404(client, world):
    login(client, world.beheerder)
    url = reverse("beheer:gebruiker", args=[world.outsider.pk])
    assert client.get(url).status_code == 404
    response = client.post(reverse("beheer:gebruiker_actief", args=[world.outsider.pk]))
    assert response.status_code == 404
    world.outsider.refresh_from_db()
    assert world.outsider.is_active


def test_reset_second_factor_through_the_login_service(client, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Beveiligingsgebeurtenis, Gebeurtenis

    TOTPDevice.objects.create(user=world.coordinator_a, name="telefoon", confirmed=True)
    login(client, world.beheerder)
    url = reverse("beheer:gebruiker_tweede_factor", args=[world.coordinator_a.pk])
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.coordinator_a).exists()
    event = Beveiligingsgebeurtenis.objects.get(gebeurtenis=Gebeurtenis.TWEEDE_FACTOR_GERESET)
    assert (event.gebruiker, event.door) == (world.coordinator_a, world.beheerder)
    # Another SWV's account: 404, nothing reset.
    assert (
        client.post(reverse("beheer:gebruiker_tweede_factor", args=[world.outsider.pk])).status_code
        == 404
    )


def test_deactivating_ends_the_users_sessions(client, world):
    login(client, world.beheerder)
    client.post(reverse("beheer:gebruiker_actief", args=[world.collega_b.pk]), {"actief": "nee"})
    world.collega_b.refresh_from_db()
    assert world.collega_b.sessies_geldig_vanaf is not None
