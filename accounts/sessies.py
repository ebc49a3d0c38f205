"""Session state of a login: when it started, when the user was last active, whether the second
factor was passed. The middleware reads it on every request; the login views write it.

Times are Unix seconds (floats): the session serializer is JSON.
"""

from __future__ import annotations

import math
import time

import django_otp
from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest
from django_otp.models import Device

from accounts.models import User

INGELOGD_OP = "kindkans_ingelogd_op"
ACTIEF_OP = "kindkans_actief_op"
# How long after the idle timeout a page's last autosave is still accepted (views marked
# `bewaren_na_verlopen`): the countdown ends, the page saves, then it leaves.
GRACE_SECONDEN = 120


class Verlopen:
    """Why a session ended (the message the login page shows)."""

    INACTIEF = "inactief"
    MAXIMUM = "maximum"
    BEEINDIGD = "beeindigd"


def sessie_start(request: HttpRequest, gebruiker: User) -> None:
    """The password step: Django's login() gives the session a new key (no fixation) and marks
    it authenticated, but not verified: the middleware then allows only the code step."""
    auth.login(request, gebruiker, backend="accounts.backends.OrganisatieBackend")
    nu = time.time()
    request.session[INGELOGD_OP] = nu
    request.session[ACTIEF_OP] = nu


def sessie_verified(request: HttpRequest, device: Device) -> None:
    """The code step passed: mark the session verified the way django_otp.login does, and rotate
    the key once more so a key seen before the second factor is worth nothing after it."""
    django_otp.login(request, device)
    request.session.cycle_key()
    request.session[ACTIEF_OP] = time.time()


def sessie_verlopen(request: HttpRequest) -> str | None:
    """Why this authenticated session must end now, or None."""
    session = request.session
    ingelogd_op = session.get(INGELOGD_OP)
    actief_op = session.get(ACTIEF_OP)
    if not isinstance(ingelogd_op, int | float) or not isinstance(actief_op, int | float):
        # Not made by our login views: not trusted.
        return Verlopen.BEEINDIGD
    nu = time.time()
    if nu - ingelogd_op > settings.SESSION_COOKIE_AGE:
        return Verlopen.MAXIMUM
    if nu - actief_op > settings.SESSION_IDLE_SECONDS:
        return Verlopen.INACTIEF
    geldig_vanaf = getattr(request.user, "sessies_geldig_vanaf", None)
    if geldig_vanaf is not None and ingelogd_op < geldig_vanaf.timestamp():
        return Verlopen.BEEINDIGD
    return None


def sessie_net_verlopen(request: HttpRequest) -> bool:
    """Idle-expired less than GRACE_SECONDEN ago (and not past the absolute cap)."""
    nu = time.time()
    actief_op = request.session.get(ACTIEF_OP, 0)
    ingelogd_op = request.session.get(INGELOGD_OP, 0)
    geldig_vanaf = getattr(request.user, "sessies_geldig_vanaf", None)
    return (
        nu - actief_op <= settings.SESSION_IDLE_SECONDS + GRACE_SECONDEN
        and nu - ingelogd_op <= settings.SESSION_COOKIE_AGE
        and (geldig_vanaf is None or ingelogd_op >= geldig_vanaf.timestamp())
    )


def sessie_actief(request: HttpRequest, *, altijd: bool = False) -> None:
    """Record activity. Only when the stamp is older than a small fraction of the idle timeout,
    so an ordinary page view does not write the session row every time."""
    nu = time.time()
    vorige = request.session.get(ACTIEF_OP, 0)
    korrel = min(60.0, settings.SESSION_IDLE_SECONDS / 20)
    if altijd or nu - vorige > korrel:
        request.session[ACTIEF_OP] = nu


def sessie_resterend(request: HttpRequest) -> int:
    """Seconds until the idle timeout or the absolute cap, whichever comes first."""
    nu = time.time()
    idle = settings.SESSION_IDLE_SECONDS - (nu - request.session.get(ACTIEF_OP, 0))
    absoluut = settings.SESSION_COOKIE_AGE - (nu - request.session.get(INGELOGD_OP, 0))
    # Rounded up: "0" must mean the session has really ended, or the page would reload a moment
    # too early and count as activity.
    return max(0, math.ceil(min(idle, absoluut)))
