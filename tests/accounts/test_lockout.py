"""Password lockout per organisation + username + IP address, checked before the password hash is
computed, with a clear Dutch message; the same user from another address can still log in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Beveiligingsgebeurtenis, Gebeurtenis, InlogTeller
from tests.accounts.conftest import post_login
from tests.helpers import totp_code, totp_device

pytestmark = pytest.mark.django_db

LOCKED = "Te veel mislukte pogingen om in te loggen"
IP_A, IP_B = "192.0.2.10", "198.51.100.20"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    settings.LOGIN_LOCKOUT_SECONDS = 900


def fail(client, user, ip, n):
    for _ in range(n):
        response = post_login(client, user, password="fout-wachtwoord", ip=ip)
        assert response.status_code == 200


def test_wrong_passwords_lock_out_that_address_with_a_dutch_message(client, world):
    user = world.coordinator_a
    fail(client, user, IP_A, 3)
    device = totp_device(user)
    # Even the right password and code are refused now, from this address.
    response = post_login(client, user, code=totp_code(device), ip=IP_A)
    assert response.status_code == 200
    assert LOCKED in response.content.decode() and "15 minuten" in response.content.decode()
    assert client.get(reverse("start")).status_code == 302
    assert Beveiligingsgebeurtenis.objects.filter(
        gebeurtenis=Gebeurtenis.GEBLOKKEERD, gebruikersnaam="piet", ip=IP_A
    ).exists()


def test_lockout_of_one_address_does_not_block_another(client, world):
    user = world.coordinator_a
    fail(client, user, IP_A, 3)
    assert LOCKED in post_login(client, user, ip=IP_A).content.decode()
    device = totp_device(user)
    response = post_login(client, user, code=totp_code(device), ip=IP_B)
    assert response.status_code == 302
    assert client.get(reverse("start")).status_code == 200


def test_lockout_is_per_organisation(client, world):
    # "piet" at VO2505 locked out does not lock "piet" at PO2501 (another account).
    fail(client, world.coordinator_a, IP_A, 3)
    device = totp_device(world.outsider)
    response = post_login(client, world.outsider, code=totp_code(device), ip=IP_A)
    assert response.status_code == 302


def test_limit_is_checked_before_the_password_hash(client, world, counting_hasher):
    fail(client, world.coordinator_a, IP_A, 3)
    assert counting_hasher.calls == 3
    counting_hasher.calls = 0
    post_login(client, world.coordinator_a, ip=IP_A)
    post_login(client, world.coordinator_a, password="nog-een-poging", ip=IP_A)
    assert counting_hasher.calls == 0


def test_unknown_username_is_locked_out_the_same_way(client, world, counting_hasher):
    data = {"organisatie": "VO2505", "username": "bestaat-niet", "password": "x"}
    for _ in range(3):
        client.post(reverse("login"), data, REMOTE_ADDR=IP_A)
    response = client.post(reverse("login"), data, REMOTE_ADDR=IP_A)
    assert LOCKED in response.content.decode()
    assert counting_hasher.calls == 3


def test_a_correct_password_resets_the_count(client, world):
    user = world.coordinator_a
    fail(client, user, IP_A, 2)
    post_login(client, user, ip=IP_A)  # right password (code step follows)
    client.post(reverse("logout"))
    fail(client, user, IP_A, 2)
    assert LOCKED not in post_login(client, user, password="fout", ip=IP_A).content.decode()


def test_lockout_ends_after_the_period(client, world):
    user = world.coordinator_a
    fail(client, user, IP_A, 3)
    InlogTeller.objects.filter(ip=IP_A).update(laatste=timezone.now() - dt.timedelta(seconds=901))
    device = totp_device(user)
    assert post_login(client, user, code=totp_code(device), ip=IP_A).status_code == 302


def test_address_behind_trusted_proxy_is_taken_from_forwarded_for(client, world, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.TRUSTED_PROXY_IPS = ["10.0.0.0/8"]
    user = world.coordinator_a
    for _ in range(3):
        post_login(
            client,
            user,
            password="fout",
            ip="10.0.0.1",
            headers={"X-Forwarded-For": f"1.1.1.1, {IP_A}"},
        )
    assert InlogTeller.objects.get().ip == IP_A
    # Another client behind the same proxy is not locked out.
    device = totp_device(user)
    response = post_login(
        client, user, code=totp_code(device), ip="10.0.0.1", headers={"X-Forwarded-For": IP_B}
    )
    assert response.status_code == 302


def test_expired_counters_are_cleaned_up_at_a_successful_login(client, world):
    fail(client, world.coordinator_a, IP_A, 2)
    InlogTeller.objects.update(laatste=timezone.now() - dt.timedelta(seconds=901))
    post_login(client, world.collega_b, ip=IP_B)
    assert not InlogTeller.objects.exists()


def test_loket_sees_lockouts_of_the_own_organisation_in_admin(client, world):
    """ "Ik kan niet inloggen" reaches the loket (the manual's "Wat te doen bij
    inlogproblemen?"): the lockout counters are in admin, read-only, for the own SWV only."""
    from django.test import Client

    from tests.helpers import login

    fail(Client(), world.coordinator_a, IP_A, 3)  # "piet" at VO2505: locked out from IP_A
    fail(Client(), world.outsider, IP_B, 1)  # "piet" at PO2501
    login(client, world.loket)
    changelist = reverse("admin:accounts_inlogteller_changelist")
    response = client.get(changelist)
    assert response.status_code == 200
    rows = list(response.context["cl"].queryset)
    assert [(r.organisatie_code, r.ip, r.mislukt) for r in rows] == [("VO2505", IP_A, 3)]
    body = response.content.decode()
    assert IP_A in body and IP_B not in body
    assert 'alt="True"' in body  # the "geblokkeerd" column
    other = InlogTeller.objects.get(organisatie_code="PO2501")
    assert (
        client.get(reverse("admin:accounts_inlogteller_change", args=[other.pk])).status_code == 404
    )
    # Read-only: no add, no delete.
    assert client.get(reverse("admin:accounts_inlogteller_add")).status_code == 403
    mine = rows[0]
    url = reverse("admin:accounts_inlogteller_delete", args=[mine.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert InlogTeller.objects.filter(pk=mine.pk).exists()


def test_loket_lifts_a_lockout_in_admin_and_it_is_logged(client, world):
    """A user who is locked out phones the loket: "Blokkering opheffen" on the counter lets them
    log in at once from that address; the security log says who lifted it. A counter of another
    SWV cannot be lifted (it is not in the loket's list, a crafted id changes nothing)."""
    from django.test import Client

    from tests.helpers import login

    user = world.coordinator_a
    fail(Client(), user, IP_A, 3)
    fail(Client(), world.outsider, IP_B, 3)
    mine = InlogTeller.objects.get(organisatie_code="VO2505")
    other = InlogTeller.objects.get(organisatie_code="PO2501")
    login(client, world.loket)
    changelist = reverse("admin:accounts_inlogteller_changelist")
    assert "Blokkering opheffen" in client.get(changelist).content.decode()
    response = client.post(
        changelist,
        {"action": "blokkering_opheffen_actie", "_selected_action": [mine.pk, other.pk]},
        follow=True,
    )
    assert "Blokkering opgeheven voor 1 inlogteller(s)" in response.content.decode()
    assert not InlogTeller.objects.filter(pk=mine.pk).exists()
    assert InlogTeller.objects.filter(pk=other.pk, mislukt=3).exists()
    log = Beveiligingsgebeurtenis.objects.get(gebeurtenis=Gebeurtenis.BLOKKERING_OPGEHEVEN)
    assert (log.gebruikersnaam, log.organisatie_code, log.door) == (
        user.username,
        "VO2505",
        world.loket,
    )
    assert IP_A in log.toelichting

    device = totp_device(user)
    response = post_login(Client(), user, code=totp_code(device), ip=IP_A)
    assert response.status_code == 302  # in at once, from the address that was locked out


def test_only_loket_and_beheerder_of_the_swv_may_lift_a_lockout(client, world):
    from django.core.exceptions import PermissionDenied

    from accounts.services import blokkering_lift

    fail(client, world.coordinator_a, IP_A, 3)
    teller = InlogTeller.objects.get()
    for wie in (world.deskundige, world.collega_b, world.outsider):
        with pytest.raises(PermissionDenied):
            blokkering_lift(teller=teller, door=wie, ip=IP_B)
    assert InlogTeller.objects.filter(pk=teller.pk, mislukt=3).exists()
    blokkering_lift(teller=teller, door=world.beheerder, ip=IP_B)
    assert not InlogTeller.objects.exists()
