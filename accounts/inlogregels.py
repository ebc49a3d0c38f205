"""Rules other apps add to the password step, without accounts importing them.

An app registers a function `regel(gebruiker) -> str | None` in its AppConfig.ready(); the login
form calls every rule after a correct password and refuses the login with the first message it
gets (the password was right, so the message may say why: "uw school logt in via …"). The
OpenID Connect app uses it for schools that require their provider's login.
"""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import User

Regel = Callable[[User], str | None]
_regels: list[Regel] = []


def wachtwoord_regel(regel: Regel) -> Regel:
    if regel not in _regels:
        _regels.append(regel)
    return regel


def wachtwoord_geweigerd(gebruiker: User) -> str | None:
    """The first refusal of a registered rule, or None when the password alone may log in."""
    for regel in _regels:
        reden = regel(gebruiker)
        if reden:
            return reden
    return None
