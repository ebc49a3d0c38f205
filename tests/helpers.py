"""How tests log a persona in. Every test logs in through these, never with client.force_login
directly: a session must have passed both factors (password and TOTP code), and only this file
knows how."""

from __future__ import annotations

import re
import time

import pyotp
import time_machine
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.sessies import ACTIEF_OP, INGELOGD_OP
from accounts.totp import secret_b32
from tests.factories import TEST_PASSWORD


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator app, created (as if enrolled earlier) when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)
    return device


# Clocks moved forward by totp_code; tests/conftest.py puts them back after each test.
KLOKKEN_VOORUIT: list[time_machine.travel] = []


def totp_code(device: TOTPDevice) -> str:
    """A code the server will accept now, computed the way a phone does (pyotp, independent of
    django-otp). A code is accepted once, so when this time step's code was already used, the
    next step's (within the allowed drift) is used; when that one was used too, the phone would
    show a fresh code within 30 s: this process's clock (the test client's and the live server's
    alike) moves to that step instead of the test waiting for it."""
    totp = pyotp.TOTP(secret_b32(device))
    while True:
        device.refresh_from_db()
        step = int(time.time()) // device.step
        for candidate in (step, step + 1):
            if candidate > device.last_t:
                return totp.at(candidate * device.step)
        klok = time_machine.travel((device.last_t + 1) * device.step + 0.1, tick=True)
        klok.start()
        KLOKKEN_VOORUIT.append(klok)


def login(client, user) -> None:
    """Log `user` in on the Django test client as a session that has passed both factors: what
    accounts.sessies.sessie_start and sessie_verified leave behind."""
    device = totp_device(user)
    client.force_login(user, backend="accounts.backends.OrganisatieBackend")
    session = client.session
    now = time.time()
    session[INGELOGD_OP] = now
    session[ACTIEF_OP] = now
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def browser_fill_login(page, user, *, password: str = TEST_PASSWORD) -> None:
    """Fill the login screen that is open in `page` (organisation, username, password and the
    current code) and press "Aanmelden"."""
    device = totp_device(user)
    if user.organisatie is not None:
        page.get_by_label("Organisatie").fill(user.organisatie.naam)
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_label(re.compile(r"^Code:?$")).fill(totp_code(device))
    page.get_by_role("button", name="Aanmelden").click()


def browser_login(page, live_server, user, *, next_url: str = "") -> None:
    """Log `user` in through the real login page in the browser, code step included."""
    url = f"{live_server.url}/inloggen/" + (f"?next={next_url}" if next_url else "")
    page.goto(url)
    browser_fill_login(page, user)
