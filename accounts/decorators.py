"""Markers the two-factor middleware reads from a view (everything unmarked needs both factors).

- `openbaar`: open to anyone (the login page, password reset).
- `na_wachtwoord`: open after the password step, before the code (code step, enrolment, logout).
- `sessie_passief`: does not count as activity (the page's own "how long have I got" poll).
- `post_bewaren`: a form posted after the session expired is kept (encrypted, one hour, bound
  to the user) and given back after logging in again (accounts/bewaren.py); for the pages
  where people type a lot without JavaScript's autosave (Formulier bewerken).
- `bewaren_na_verlopen`: an autosave arriving just after the idle timeout (the page's last save
  when the countdown ends, or its `pagehide` beacon) is still accepted, for GRACE seconds,
  without extending the session.
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


def post_bewaren(view: Fn) -> Fn:
    view.kindkans_post_bewaren = True
    return view


def bewaren_na_verlopen(view: Fn) -> Fn:
    view.kindkans_bewaren_na_verlopen = True
    return view
