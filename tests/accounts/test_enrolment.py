"""Enrolment after the password for a user without an app: QR code drawn by our server, secret as
text, confirmed with a code the phone computes (pyotp here); ten backup codes shown once."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Beveiligingsgebeurtenis, Gebeurtenis
from accounts.totp import secret_b32
from tests.accounts.conftest import password_step_only, post_login
from tests.helpers import login, totp_code, totp_device

pytestmark = pytest.mark.django_db


def secret_from(body: str) -> str:
    """What a person types over: the secret shown as text, spaces removed."""
    match = re.search(r'<code class="koppelen__geheim" id="geheim"[^>]*>([A-Z2-7 ]+)</code>', body)
    assert match, "secret not shown as text"
    return match.group(1).replace(" ", "")


def enrol(client, user) -> tuple[str, list[str]]:
    response = post_login(client, user)
    assert response["Location"].startswith(reverse("koppelen"))
    body = client.get(response["Location"]).content.decode()
    secret = secret_from(body)
    response = client.post(reverse("koppelen"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    return secret, codes


def test_user_without_app_is_taken_to_enrolment_with_inline_qr_and_secret(client, world):
    response = post_login(client, world.coordinator_a)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("koppelen"))
    body = client.get(response["Location"]).content.decode()
    assert "Authenticator-app koppelen" in body and "Microsoft Authenticator" in body
    # The QR code is inline SVG from our own server: no <img>, no external URL.
    assert re.search(r'<svg class="qr" role="img" aria-label="[^"]+"', body)
    assert "<img" not in body
    assert not re.search(r'(src|href)="https?://', body)
    secret = secret_from(body)
    device = TOTPDevice.objects.get(user=world.coordinator_a)
    assert not device.confirmed
    assert secret == secret_b32(device)
    # A reload shows the same secret (an app that already scanned it keeps working).
    assert secret_from(client.get(reverse("koppelen")).content.decode()) == secret


def test_enrolment_with_code_from_shown_secret_logs_in_and_shows_ten_backup_codes(client, world):
    secret, codes = enrol(client, world.coordinator_a)
    assert len(codes) == len(set(codes)) == 10
    device = TOTPDevice.objects.get(user=world.coordinator_a)
    assert device.confirmed
    assert client.get(reverse("start")).status_code == 200
    assert Beveiligingsgebeurtenis.objects.filter(
        gebeurtenis=Gebeurtenis.GEKOPPELD, gebruiker=world.coordinator_a
    ).exists()
    # Shown once: no page shows them again.
    assert codes[0] not in client.get(reverse("reservecodes")).content.decode()
    assert codes[0] not in client.get(reverse("account")).content.decode()


def test_wrong_code_does_not_confirm_enrolment(client, world):
    post_login(client, world.coordinator_a)
    body = client.get(reverse("koppelen")).content.decode()
    good = pyotp.TOTP(secret_from(body)).now()
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(reverse("koppelen"), {"code": wrong})
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.get(user=world.coordinator_a).confirmed
    assert client.get(reverse("start")).status_code == 302


def test_enrolment_is_refused_once_an_app_is_confirmed(client, world):
    # Knowing only the password must not let anyone add an app of their own.
    totp_device(world.coordinator_a)
    password_step_only(client, world.coordinator_a)
    response = client.get(reverse("koppelen"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("code"))
    assert TOTPDevice.objects.filter(user=world.coordinator_a).count() == 1


def test_backup_code_logs_in_once(client, world):
    _secret, codes = enrol(client, world.coordinator_a)
    client.post(reverse("logout"))
    password_step_only(client, world.coordinator_a)
    assert client.post(reverse("code"), {"code": codes[3].upper()}).status_code == 302
    assert client.get(reverse("start")).status_code == 200
    event = Beveiligingsgebeurtenis.objects.get(gebeurtenis=Gebeurtenis.RESERVECODE_GEBRUIKT)
    assert event.gebruiker == world.coordinator_a and codes[3] not in event.toelichting
    assert StaticToken.objects.filter(device__user=world.coordinator_a).count() == 9
    client.post(reverse("logout"))
    password_step_only(client, world.coordinator_a)
    response = client.post(reverse("code"), {"code": codes[3]})
    assert response.status_code == 200
    assert client.get(reverse("start")).status_code == 302


def test_backup_codes_can_be_regenerated_and_old_ones_stop_working(client, world, time_machine):
    from tests.factories import TEST_PASSWORD

    _secret, old = enrol(client, world.coordinator_a)
    response = client.post(reverse("reservecodes"), {"wachtwoord": TEST_PASSWORD})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert Beveiligingsgebeurtenis.objects.filter(
        gebeurtenis=Gebeurtenis.RESERVECODES_VERNIEUWD
    ).exists()
    client.post(reverse("logout"))
    password_step_only(client, world.coordinator_a)
    assert client.post(reverse("code"), {"code": old[0]}).status_code == 200
    time_machine.move_to(timezone.now() + timedelta(seconds=1.1))  # past the throttle's 1 s
    assert client.post(reverse("code"), {"code": new[0]}).status_code == 302


def test_helper_login_is_a_verified_session(client, world):
    login(client, world.coordinator_a)
    assert client.get(reverse("start")).status_code == 200
    assert client.get(reverse("account")).status_code == 200


def test_helper_code_is_fresh_even_twice_in_one_time_step(client, world):
    device = totp_device(world.coordinator_a)
    for _ in range(2):
        response = post_login(client, world.coordinator_a, code=totp_code(device))
        assert response["Location"] == reverse("start")
        client.post(reverse("logout"))


def test_user_links_a_new_phone_from_mijn_account(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    """ "Nieuwe telefoon koppelen": the current password again, then the new app's QR code and a
    code from it. The old app stops working, ten new backup codes are shown once, the session
    stays in, and it is in the security log. Without the password step no code is accepted."""
    from tests.factories import TEST_PASSWORD

    user = world.coordinator_a
    login(client, user)
    oud = totp_device(user)
    oude_code = totp_code(oud)
    url = reverse("telefoon_koppelen")
    assert "Nieuwe telefoon koppelen" in client.get(reverse("account")).content.decode()

    body = client.get(url).content.decode()
    assert "Uw huidige wachtwoord" in body and "koppelen__geheim" not in body
    # A code before the password step is not even looked at.
    client.post(url, {"code": "123456"})
    assert TOTPDevice.objects.filter(user=user, confirmed=False).count() == 0
    fout = client.post(url, {"wachtwoord": "verkeerd"}).content.decode()
    assert "Dit wachtwoord klopt niet." in fout
    response = client.post(url, {"wachtwoord": TEST_PASSWORD})
    assert response.status_code == 302
    secret = secret_from(client.get(url).content.decode())
    assert secret != secret_b32(oud)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    # The user is told by mail (no codes in it): a new app and new backup codes.
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert "nieuwe authenticator-app gekoppeld" in mailoutbox[0].body
    assert not any(code in mailoutbox[0].body for code in codes)
    assert list(TOTPDevice.objects.filter(user=user).values_list("confirmed", flat=True)) == [True]
    assert not TOTPDevice.objects.filter(pk=oud.pk).exists()
    assert client.get(reverse("start")).status_code == 200  # still logged in, on the new app
    assert Beveiligingsgebeurtenis.objects.filter(
        gebeurtenis=Gebeurtenis.GEKOPPELD, gebruiker=user
    ).exists()

    # The old phone's code no longer logs in; the new app's does.
    from django.test import Client

    # (The new phone first: a wrong code throttles the next attempt, as it should.)
    nieuwe_telefoon = Client()
    post_login(nieuwe_telefoon, user, code=totp_code(TOTPDevice.objects.get(user=user)))
    assert nieuwe_telefoon.get(reverse("start")).status_code == 200
    oude_telefoon = Client()
    post_login(oude_telefoon, user, code=oude_code)
    assert oude_telefoon.get(reverse("start")).status_code != 200


def test_new_backup_codes_ask_the_password_again_and_mail_the_user(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    """Like "Nieuwe telefoon koppelen": a session left open is not enough to make new codes.
    Made: logged in the security log, and the user gets a mail without codes or pupil data."""
    from tests.factories import TEST_PASSWORD

    user = world.coordinator_a
    login(client, user)
    url = reverse("reservecodes")
    oud = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    oud = set(oud)
    assert "Uw huidige wachtwoord" in client.get(url).content.decode()

    # Without the password, or with a wrong one: nothing changes, nothing mailed or logged.
    for data in ({}, {"wachtwoord": "verkeerd"}):
        response = client.post(url, data)
        assert response.status_code == 200
        assert not re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert "Dit wachtwoord klopt niet." in response.content.decode()
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == oud
    assert not Beveiligingsgebeurtenis.objects.filter(
        gebeurtenis=Gebeurtenis.RESERVECODES_VERNIEUWD
    ).exists()
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"wachtwoord": TEST_PASSWORD})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert (
        Beveiligingsgebeurtenis.objects.filter(
            gebeurtenis=Gebeurtenis.RESERVECODES_VERNIEUWD, gebruiker=user
        ).count()
        == 1
    )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [user.email]
    assert mail.subject == "Kindkans: nieuwe reservecodes gemaakt"
    assert "nieuwe reservecodes gemaakt" in mail.body and user.username in mail.body
    assert "/account/" in mail.body
    assert "authenticator-app gekoppeld" not in mail.body
    for code in codes:
        assert code not in mail.body
    leerling = world.hv_a_ingediend.leerling
    assert leerling.achternaam not in mail.body and leerling.roepnaam not in mail.body


def test_wrong_passwords_for_new_backup_codes_count_in_the_lockout(client, world, settings):
    """Guessing the password on "Mijn account" locks out like the login does, and the lockout
    also stops the login itself."""
    from tests.factories import TEST_PASSWORD

    user = world.coordinator_a
    login(client, user)
    url = reverse("reservecodes")
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
        assert (
            "Dit wachtwoord klopt niet."
            in client.post(url, {"wachtwoord": "verkeerd"}).content.decode()
        )
    geblokkeerd = client.post(url, {"wachtwoord": TEST_PASSWORD}).content.decode()
    assert "Te veel mislukte pogingen" in geblokkeerd
    assert "<li><code>" not in geblokkeerd
    from django.test import Client

    anders = Client()
    assert "Te veel mislukte pogingen" in post_login(anders, user).content.decode()
