"""The parent's session: separate from the staff login on purpose.

A parent has no account. After the link and the code, the browser gets one cookie, signed with
the project's SECRET_KEY under its own salt, holding the invitation's id and a random secret whose
SHA-256 is stored on the invitation. It is sent only to /ouder/ (the cookie's path), HttpOnly and
SameSite=Strict, and expires after OUDERS_SESSIE_MINUTEN without activity (re-signed on every
page). Every parent view reads it through `ouder_sessie` and compares the invitation with the one
in the URL; Django's own session and `request.user` are never set, so no other URL (admin, the
hulpvraag screens, another invitation) accepts it. A new code or revoking the invitation empties
the stored hash, which ends the session at once.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core import signing

COOKIE = "kindkans_ouder"
PAD = "/ouder/"
_ZOUT = "ouders.sessie"


def sessie_hash(geheim: str) -> str:
    return hashlib.sha256(geheim.encode()).hexdigest()


def nieuw_sessiegeheim() -> str:
    return secrets.token_urlsafe(32)


def sessie_cookie_zetten(response, *, uitnodiging_id: int, geheim: str) -> None:
    waarde = signing.dumps({"u": uitnodiging_id, "s": geheim}, salt=_ZOUT, compress=False)
    response.set_cookie(
        COOKIE,
        waarde,
        max_age=settings.OUDERS_SESSIE_MINUTEN * 60,
        path=PAD,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def sessie_cookie_wissen(response) -> None:
    response.delete_cookie(COOKIE, path=PAD, samesite="Strict")


def sessie_uit_cookie(request) -> tuple[int, str] | None:
    """(invitation id, secret) from a valid, unexpired cookie; None otherwise."""
    waarde = request.COOKIES.get(COOKIE)
    if not waarde:
        return None
    try:
        data = signing.loads(waarde, salt=_ZOUT, max_age=settings.OUDERS_SESSIE_MINUTEN * 60)
        return int(data["u"]), str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
