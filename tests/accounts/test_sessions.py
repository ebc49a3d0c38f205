"""Sessions: key rotation at login and after the code step (no fixation), idle timeout with the
way back to the same page, absolute cap, "Blijf ingelogd", and sessions ended by deactivation,
password reset and 2FA reset."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from accounts.services import tweede_factor_reset
from accounts.sessies import ACTIEF_OP, INGELOGD_OP
from tests.accounts.conftest import password_step_only
from tests.helpers import login, totp_code, totp_device

pytestmark = pytest.mark.django_db


def session_key(client) -> str | None:
    cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def age_session(client, *, idle: float = 0, since_login: float = 0) -> None:
    session = client.session
    session[ACTIEF_OP] = session[ACTIEF_OP] - idle
    session[INGELOGD_OP] = session[INGELOGD_OP] - since_login
    session.save()


def test_session_key_rotates_at_login_and_after_the_code_step(client, world):
    # An attacker plants a session key before the victim logs in (fixation).
    client.get(reverse("login"))
    session = client.session
    session["geplant"] = True
    session.save()
    planted = session.session_key
    client.cookies[django_settings.SESSION_COOKIE_NAME] = planted

    device = totp_device(world.coordinator_a)
    password_step_only(client, world.coordinator_a)
    after_password = session_key(client)
    assert after_password and after_password != planted
    client.post(reverse("code"), {"code": totp_code(device)})
    after_code = session_key(client)
    assert after_code and after_code not in (planted, after_password)
    assert client.get(reverse("start")).status_code == 200

    # The planted and the intermediate key are worth nothing.
    from django.test import Client

    for key in (planted, after_password):
        other = Client()
        other.cookies[django_settings.SESSION_COOKIE_NAME] = key
        assert other.get(reverse("start")).status_code == 302


def test_idle_session_ends_and_login_returns_to_the_same_page(client, world):
    detail = reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk])
    login(client, world.coordinator_a)
    assert client.get(detail).status_code == 200
    age_session(client, idle=django_settings.SESSION_IDLE_SECONDS + 1)
    response = client.get(detail)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={detail}"
    page = client.get(response["Location"])
    assert "automatisch afgemeld" in page.content.decode()
    assert "_auth_user_id" not in client.session
    # Logging in again (password and code on the one screen) lands on that page.
    device = totp_device(world.coordinator_a)
    response = client.post(
        reverse("login"),
        {
            "organisatie": "VO2505 Apeldoorn",
            "username": "piet",
            "password": "Testwachtwoord-123",
            "code": totp_code(device),
            "next": detail,
        },
    )
    assert response["Location"] == detail


def test_activity_keeps_the_session_alive(client, world, settings, time_machine):
    settings.SESSION_IDLE_SECONDS = 2
    login(client, world.coordinator_a)
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(3):
        time_machine.shift(1.5)  # longer than 2 s in all, never 2 s without a request
        assert client.get(reverse("start")).status_code == 200


def test_idle_timeout_is_configurable(client, world, settings):
    settings.SESSION_IDLE_SECONDS = 60
    login(client, world.coordinator_a)
    age_session(client, idle=61)
    assert client.get(reverse("start")).status_code == 302


def test_absolute_cap_ends_even_an_active_session(client, world):
    login(client, world.coordinator_a)
    age_session(client, since_login=django_settings.SESSION_COOKIE_AGE + 1)
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert "maximale duur" in client.get(response["Location"]).content.decode()


def test_blijf_ingelogd_counts_as_activity(client, world, settings):
    settings.SESSION_IDLE_SECONDS = 600
    login(client, world.coordinator_a)
    body = client.get(reverse("start")).content.decode()
    assert "Blijf ingelogd" in body and 'id="sessie-waarschuwing"' in body
    age_session(client, idle=590)
    response = client.post(
        reverse("sessie_verlengen"), {"next": "/"}, HTTP_ACCEPT="application/json"
    )
    assert response.json()["resterend"] >= 599
    # Without JavaScript the same form returns to the page.
    response = client.post(reverse("sessie_verlengen"), {"next": "/hulpvragen/"})
    assert response["Location"] == "/hulpvragen/"


def test_status_poll_neither_extends_nor_ends_the_session(client, world, settings):
    settings.SESSION_IDLE_SECONDS = 600
    login(client, world.coordinator_a)
    age_session(client, idle=300)
    resterend = client.get(reverse("sessie_status")).json()["resterend"]
    assert 295 <= resterend <= 300
    assert client.get(reverse("sessie_status")).json()["resterend"] <= resterend
    age_session(client, idle=301)
    assert client.get(reverse("sessie_status")).json()["resterend"] == 0
    assert "_auth_user_id" in client.session  # the next page view ends it, with the message
    assert client.get(reverse("start")).status_code == 302


def test_deactivation_ends_the_session_at_the_next_request(client, world):
    login(client, world.coordinator_a)
    world.coordinator_a.is_active = False
    world.coordinator_a.save()
    assert client.get(reverse("start")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_two_factor_reset_ends_the_users_sessions(client, world):
    login(client, world.coordinator_a)
    tweede_factor_reset(gebruiker=world.coordinator_a, door=world.beheerder, ip=None)
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    # At the next login the user enrols again.
    response = password_step_only(client, world.coordinator_a)
    assert response["Location"].startswith(reverse("koppelen"))


def test_password_change_asks_the_current_password_and_ends_other_sessions(client, world):
    from django.test import Client

    other = Client()
    login(other, world.coordinator_a)
    login(client, world.coordinator_a)
    response = client.post(
        reverse("wachtwoord_wijzigen"),
        {
            "old_password": "fout",
            "new_password1": "Nieuw-wachtwoord-2026",
            "new_password2": "Nieuw-wachtwoord-2026",
        },
    )
    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    response = client.post(
        reverse("wachtwoord_wijzigen"),
        {
            "old_password": "Testwachtwoord-123",
            "new_password1": "Nieuw-wachtwoord-2026",
            "new_password2": "Nieuw-wachtwoord-2026",
        },
    )
    assert response["Location"] == reverse("account")
    assert client.get(reverse("start")).status_code == 200  # this session stays
    assert other.get(reverse("start")).status_code == 302  # the other one ends
    # In the security log, without either password.
    from accounts.models import Beveiligingsgebeurtenis, Gebeurtenis

    row = Beveiligingsgebeurtenis.objects.get(gebeurtenis=Gebeurtenis.WACHTWOORD_GEWIJZIGD)
    assert row.gebruiker == world.coordinator_a and row.ip == "127.0.0.1"
    for value in Beveiligingsgebeurtenis.objects.values_list("toelichting", "gebruikersnaam"):
        assert not any("wachtwoord-" in v.lower() for v in value), value


def test_logout_works_halfway_through_the_login(client, world):
    password_step_only(client, world.coordinator_a)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
