"""The logged-in user and second-factor device from the shared cache (accounts/sessiecache.py):
two queries fewer per request, and every way an account loses its access still works at the
next request — deactivation, a new password, a second-factor reset, "end all sessions", the
organisation switched off."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.services import sessies_end, tweede_factor_reset
from accounts.services_gebruikers import gebruiker_set_actief
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_gedeelde_cache")]
PAGINA = reverse("account")


@pytest.fixture
def _gedeelde_cache():
    # The tests' cache is one process's memory: as shared as Redis is between workers.
    with override_settings(GEBRUIKER_CACHE_SECONDEN=60):
        yield


def queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(PAGINA).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_user_and_device_come_from_the_cache_after_the_first_request(client, world):
    login(client, world.loket)
    eerste = queries(client)
    tweede = queries(client)
    assert len(tweede) == len(eerste) - 2
    assert not any('FROM "accounts_user"' in q and "WHERE" in q for q in tweede[:3])
    assert not any("otp_totp_totpdevice" in q for q in tweede)
    with override_settings(GEBRUIKER_CACHE_SECONDEN=0):
        assert len(queries(client)) == len(eerste)


def _uitgelogd(client) -> bool:
    response = client.get(PAGINA)
    return response.status_code == 302 and reverse("login") in response["Location"]


def test_a_deactivated_account_is_logged_out_at_the_next_request(client, world):
    login(client, world.loket)
    queries(client)  # cached now
    gebruiker_set_actief(door=world.beheerder, gebruiker=world.loket, actief=False)
    assert _uitgelogd(client)


def test_a_new_password_ends_the_session(client, world):
    login(client, world.loket)
    queries(client)
    world.loket.set_password("Een-heel-ander-wachtwoord-2026")
    world.loket.save()
    assert _uitgelogd(client)


def test_end_all_sessions_takes_effect_although_it_updates_past_save(client, world):
    login(client, world.loket)
    queries(client)
    sessies_end(gebruiker=world.loket)
    assert _uitgelogd(client)


def test_a_switched_off_organisation_logs_its_users_out(client, world):
    login(client, world.loket)
    queries(client)
    world.org.actief = False
    world.org.save()
    assert _uitgelogd(client)


def test_a_second_factor_reset_stops_the_cached_device(client, world):
    login(client, world.loket)
    queries(client)
    tweede_factor_reset(gebruiker=world.loket, door=world.beheerder, ip=None)
    response = client.get(PAGINA)
    assert response.status_code == 302


def test_a_deleted_device_alone_no_longer_verifies_the_session(client, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    login(client, world.loket)
    queries(client)
    TOTPDevice.objects.filter(user=world.loket).delete()
    response = client.get(PAGINA)
    # Still logged in with the password, but no longer past the second factor.
    assert response.status_code == 302
    assert reverse("koppelen") in response["Location"]


def test_changing_the_own_password_keeps_this_session_and_ends_the_others(client, world):
    from django.test import Client

    other = Client()
    login(other, world.coordinator_a)
    login(client, world.coordinator_a)
    for c in (client, other):  # both have the user cached now
        assert c.get(PAGINA).status_code == 200
    response = client.post(
        reverse("wachtwoord_wijzigen"),
        {
            "old_password": "Testwachtwoord-123",
            "new_password1": "Nieuw-wachtwoord-2026",
            "new_password2": "Nieuw-wachtwoord-2026",
        },
    )
    assert response["Location"] == reverse("account")
    assert client.get(PAGINA).status_code == 200  # this session stays
    assert client.get(PAGINA).status_code == 200  # also once the user is cached again
    assert other.get(PAGINA).status_code == 302  # the other one ends
