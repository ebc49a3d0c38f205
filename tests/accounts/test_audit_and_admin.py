"""The append-only security log; the beheerder's second-factor reset (service, admin action)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Beveiligingsgebeurtenis, Gebeurtenis
from accounts.services import beveiliging_log, reservecodes_create, tweede_factor_reset
from audit.models import AppendOnlyError
from tests.helpers import login, totp_device

pytestmark = pytest.mark.django_db


def test_security_log_is_append_only(world):
    row = beveiliging_log(gebeurtenis=Gebeurtenis.LOGIN_GELUKT, gebruiker=world.coordinator_a)
    row.toelichting = "anders"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        Beveiligingsgebeurtenis.objects.update(toelichting="x")
    with pytest.raises(AppendOnlyError):
        Beveiligingsgebeurtenis.objects.all().delete()
    assert Beveiligingsgebeurtenis.objects.get().toelichting == ""


def test_log_row_keeps_who_after_the_account_is_gone(world):
    from tests.factories import UserFactory

    user = UserFactory(organisatie=world.org, username="vertrokken")
    beveiliging_log(gebeurtenis=Gebeurtenis.LOGIN_GELUKT, gebruiker=user, ip="192.0.2.1")
    user.delete()
    row = Beveiligingsgebeurtenis.objects.get()
    assert row.gebruiker is None
    assert (row.gebruikersnaam, row.organisatie_code, row.ip) == (
        "vertrokken",
        "VO2505",
        "192.0.2.1",
    )


def test_beheerder_resets_second_factor_of_a_user_of_the_own_organisation(world):
    totp_device(world.coordinator_a)
    reservecodes_create(gebruiker=world.coordinator_a, ip=None)
    tweede_factor_reset(gebruiker=world.coordinator_a, door=world.beheerder, ip="192.0.2.5")
    assert not TOTPDevice.objects.filter(user=world.coordinator_a).exists()
    assert not StaticDevice.objects.filter(user=world.coordinator_a).exists()
    row = Beveiligingsgebeurtenis.objects.get(gebeurtenis=Gebeurtenis.TWEEDE_FACTOR_GERESET)
    assert (row.gebruiker, row.door, row.ip) == (world.coordinator_a, world.beheerder, "192.0.2.5")


@pytest.mark.parametrize("door", ["coordinator_a", "loket", "outsider"])
def test_others_may_not_reset_a_second_factor(world, door):
    device = totp_device(world.collega_b)
    with pytest.raises(PermissionDenied):
        tweede_factor_reset(gebruiker=world.collega_b, door=getattr(world, door), ip=None)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_admin_action_resets_and_reports(client, world):
    from django.contrib.auth.models import Permission

    world.beheerder.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    totp_device(world.coordinator_a)
    login(client, world.beheerder)
    changelist = reverse("admin:accounts_user_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "tweede_factor_reset_actie" in page.content.decode()
    response = client.post(
        changelist,
        {
            "action": "tweede_factor_reset_actie",
            "_selected_action": [world.coordinator_a.pk],
        },
        follow=True,
    )
    assert "Tweede factor gereset voor 1 gebruiker" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.coordinator_a).exists()


def test_device_admins_that_would_show_secrets_are_not_registered():
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_reset_action_is_offered_to_the_beheerder_only(client, world):
    changelist = reverse("admin:accounts_user_changelist")
    login(client, world.loket)
    assert client.get(changelist).status_code == 200
    assert "tweede_factor_reset_actie" not in client.get(changelist).content.decode()
    login(client, world.beheerder)
    assert "tweede_factor_reset_actie" in client.get(changelist).content.decode()


def test_beheerder_reads_the_security_log_of_the_own_organisation_only(client, world):
    beveiliging_log(gebeurtenis=Gebeurtenis.LOGIN_MISLUKT, gebruiker=world.coordinator_a)
    beveiliging_log(gebeurtenis=Gebeurtenis.LOGIN_MISLUKT, gebruiker=world.outsider)
    url = reverse("admin:accounts_beveiligingsgebeurtenis_changelist")
    login(client, world.beheerder)
    response = client.get(url)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [r.organisatie_code for r in rows] == ["VO2505"]
    other = Beveiligingsgebeurtenis.objects.get(gebruiker=world.outsider)
    change = reverse("admin:accounts_beveiligingsgebeurtenis_change", args=[other.pk])
    assert client.get(change).status_code == 404
    assert client.get(reverse("admin:accounts_beveiligingsgebeurtenis_add")).status_code == 403
    login(client, world.coordinator_a)
    assert client.get(url).status_code in (302, 403)


def test_reset_through_admin_then_the_user_enrols_again_at_next_login(client, world):
    """The whole path as people do it, with the role's own rights (no extra Django permissions):
    the beheerder resets in admin; the user's open session ends; at the next login the user is
    taken to enrolment, links a new app, and the old app's codes and backup codes are dead."""
    from django.test import Client

    from tests.accounts.conftest import password_step_only
    from tests.accounts.test_enrolment import enrol

    gebruiker = Client()
    old_secret, old_codes = enrol(gebruiker, world.coordinator_a)
    assert gebruiker.get(reverse("start")).status_code == 200

    login(client, world.beheerder)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "tweede_factor_reset_actie", "_selected_action": [world.coordinator_a.pk]},
        follow=True,
    )
    assert "Tweede factor gereset voor 1 gebruiker" in response.content.decode()

    # The open session has ended.
    assert gebruiker.get(reverse("start"))["Location"].startswith(reverse("login"))
    # The next login goes to enrolment, with a new secret.
    new_secret, new_codes = enrol(gebruiker, world.coordinator_a)
    assert new_secret != old_secret and not set(new_codes) & set(old_codes)
    assert gebruiker.get(reverse("start")).status_code == 200
    # An old backup code no longer passes the code step.
    gebruiker.post(reverse("logout"))
    password_step_only(gebruiker, world.coordinator_a)
    assert gebruiker.post(reverse("code"), {"code": old_codes[0]}).status_code == 200
    assert gebruiker.get(reverse("start")).status_code == 302
