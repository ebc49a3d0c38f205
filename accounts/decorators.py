"""Markers the two-factor middleware reads from a view (everything unmarked needs both factors).

- `openbaar`: open to anyone (the login page, password reset).
- `na_wachtwoord`: open after the password step, before the code (code step, enrolment, logout).
- `sessie_passief`: does not count as activity (the page's own "how long have I got" poll).
"""

from __future__ import annotations

from collections.abc import Callable

Fn = Callable


def openbaar(view: Fn) -> Fn:
    view.kindkans_openbaar = True
    return view


def na_wachtwoord(view: Fn) -> Fn:
    view.kindkans_na_wachtwoord = True
    return view


def sessie_passief(view: Fn) -> Fn:
    view.kindkans_sessie_passief = True
    return view
