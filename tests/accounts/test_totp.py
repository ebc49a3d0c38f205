"""TOTP per RFC 6238 through our verification path (accounts.services.tweede_factor_verify, which
uses django-otp): the RFC's SHA-1 test vectors, an independent implementation (pyotp), one step of
drift, one use per code, throttling, and the otpauth URI an authenticator app reads."""

from __future__ import annotations

import time
from binascii import hexlify
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import tweede_factor_verify
from accounts.totp import otpauth_uri, secret_b32
from tests.accounts.conftest import password_step_only

pytestmark = pytest.mark.django_db

RFC_SECRET = b"12345678901234567890"
# RFC 6238 appendix B, SHA-1 column: (Unix time, 8-digit TOTP).
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.fixture
def rfc_device(world):
    return TOTPDevice.objects.create(
        user=world.coordinator_a, name="rfc", confirmed=True, key=hexlify(RFC_SECRET).decode()
    )


def at_time(monkeypatch, unix_time: float) -> None:
    """Set the clock django-otp reads (time.time); nothing of ours is replaced."""
    monkeypatch.setattr(time, "time", lambda: unix_time)


@pytest.mark.parametrize(("unix_time", "expected"), RFC_VECTORS)
def test_rfc6238_sha1_vectors_pass_our_verification_path(
    world, rfc_device, monkeypatch, unix_time, expected
):
    # The independent implementation agrees with the RFC (8 digits) ...
    assert pyotp.TOTP(secret_b32(rfc_device), digits=8).at(unix_time) == expected
    # ... and our 6-digit codes are the RFC's truncated to 6 digits (mod 10^6), accepted at that
    # time by the same code path the login screen uses.
    at_time(monkeypatch, unix_time)
    uitslag = tweede_factor_verify(gebruiker=world.coordinator_a, code=expected[-6:], ip=None)
    assert uitslag.gelukt
    rfc_device.refresh_from_db()
    assert rfc_device.last_t == unix_time // 30


def test_device_parameters_are_rfc6238_defaults(world, rfc_device):
    assert (rfc_device.step, rfc_device.digits, rfc_device.t0, rfc_device.tolerance) == (
        30,
        6,
        0,
        1,
    )
    assert len(rfc_device.bin_key) == 20  # 160-bit key, as RFC 4226 recommends


@pytest.mark.parametrize(("offset", "accepted"), [(-2, False), (-1, True), (1, True), (2, False)])
def test_one_step_of_clock_drift_is_allowed(world, rfc_device, monkeypatch, offset, accepted):
    now = 1_700_000_015  # mid-step
    code = pyotp.TOTP(secret_b32(rfc_device)).at(now + offset * 30)
    at_time(monkeypatch, now)
    assert (
        tweede_factor_verify(gebruiker=world.coordinator_a, code=code, ip=None).gelukt is accepted
    )


def test_drift_does_not_wander(world, rfc_device, monkeypatch):
    # Accepting an early code must not shift the window (OTP_TOTP_SYNC off).
    totp = pyotp.TOTP(secret_b32(rfc_device))
    now = 1_700_000_015
    at_time(monkeypatch, now)
    assert tweede_factor_verify(
        gebruiker=world.coordinator_a, code=totp.at(now + 30), ip=None
    ).gelukt
    rfc_device.refresh_from_db()
    assert rfc_device.drift == 0


def test_a_code_is_accepted_only_once(client, world):
    device = TOTPDevice.objects.create(user=world.coordinator_a, name="app", confirmed=True)
    code = pyotp.TOTP(secret_b32(device)).now()
    password_step_only(client, world.coordinator_a)
    assert client.post(reverse("code"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    password_step_only(client, world.coordinator_a)
    response = client.post(reverse("code"), {"code": code})
    assert response.status_code == 200
    assert "De code is onjuist of al gebruikt" in response.content.decode()
    assert client.get(reverse("start")).status_code == 302


def test_wrong_codes_are_throttled_even_a_correct_one_right_after(
    client, world, settings, time_machine
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = TOTPDevice.objects.create(user=world.coordinator_a, name="app", confirmed=True)
    totp = pyotp.TOTP(secret_b32(device))
    wrong = f"{(int(totp.now()) + 500_000) % 1_000_000:06d}"
    password_step_only(client, world.coordinator_a)
    client.post(reverse("code"), {"code": wrong})
    client.post(reverse("code"), {"code": wrong})  # refused by the throttle, not even checked
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    response = client.post(reverse("code"), {"code": totp.now()})
    assert "Te veel onjuiste codes na elkaar" in response.content.decode()
    assert client.get(reverse("start")).status_code == 302
    # Once the delay (1 s after one failure) has passed, the right code works: the clock (of the
    # server and of the phone alike) moves on instead of the test waiting for it.
    time_machine.move_to(timezone.now() + timedelta(seconds=1.1))
    assert client.post(reverse("code"), {"code": totp.now()}).status_code == 302
    assert client.get(reverse("start")).status_code == 200


def test_throttle_grows_with_each_failure(world):
    device = TOTPDevice.objects.create(user=world.coordinator_a, name="app", confirmed=True)
    device.throttle_increment()
    device.throttle_increment()
    device.throttle_increment()
    allowed, info = device.verify_is_allowed()
    assert not allowed
    assert (info["locked_until"] - device.throttling_failure_timestamp).total_seconds() == 4


def test_otpauth_uri_is_standard_and_names_the_organisation(world):
    device = TOTPDevice.objects.create(user=world.coordinator_a, name="app", confirmed=False)
    uri = otpauth_uri(device)
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert unquote(parsed.path) == "/Kindkans VO2505 Apeldoorn:piet"
    params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert params == {
        "secret": secret_b32(device),
        "issuer": "Kindkans VO2505 Apeldoorn",
        "algorithm": "SHA1",
        "digits": "6",
        "period": "30",
    }
    # pyotp (as an app would) reads the URI back into the same generator.
    parsed_totp = pyotp.parse_uri(uri)
    assert parsed_totp.issuer == "Kindkans VO2505 Apeldoorn"
    assert parsed_totp.now() == pyotp.TOTP(secret_b32(device)).now()
