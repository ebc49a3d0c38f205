"""Named checks ("controles") that a transition can require, registered in code, picked by name in
the process data. No expressions in data, no eval: a process names a check, this registry holds
the function.

A check takes a GuardContext and returns the list of what is missing, in Dutch, phrased as an
instruction the user can act on; an empty list means the check passes.

Other apps register their own checks from their AppConfig.ready(), for example:

    # formulieren/guards.py, imported in FormulierenConfig.ready()
    from hulpvragen.guards import GuardContext, register_guard

    @register_guard("formulier_ondertekend", label=_("Formulier ondertekend door bevoegd gezag"))
    def formulier_ondertekend(ctx: GuardContext) -> list[str]:
        ...
        return [_("Het formulier is nog niet ondertekend door het bevoegd gezag.")]

and name it in the "controles" of a transition in hulpvragen/processen/*.json (or in admin).
A name that is in the data but not registered fails closed (see `guards_missing`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User
    from hulpvragen.models import Hulpvraag, Status


@dataclass(frozen=True)
class GuardContext:
    hulpvraag: Hulpvraag
    naar: Status
    door: User | None
    toelichting: str = ""


Check = Callable[[GuardContext], list[str]]


@dataclass(frozen=True)
class Guard:
    name: str
    label: StrOrPromise
    check: Check
    # Where the user goes to make the check pass (label, function hulpvraag -> URL), e.g. the
    # besluit form for "tlv_vastgelegd"; Status wijzigen shows it next to what is missing.
    actie: tuple[str, Callable] | None = None
    # The page where the step guarded by this check is taken (label, function hulpvraag -> URL),
    # e.g. the Besluit page for "tlv_vastgelegd": the Hulpvraag tab offers it next to Status
    # wijzigen to the party of a transition naming the check, whatever the current status.
    pagina: tuple[str, Callable] | None = None


_REGISTRY: dict[str, Guard] = {}


def register_guard(
    name: str,
    *,
    label: StrOrPromise,
    actie: tuple[str, Callable] | None = None,
    pagina: tuple[str, Callable] | None = None,
) -> Callable[[Check], Check]:
    """Decorator: register `check` under `name`. Registering a name twice is a programming error
    (two apps would silently shadow each other)."""

    def decorator(check: Check) -> Check:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.check is not check:
            raise ValueError(f"Controle {name!r} is al geregistreerd.")
        _REGISTRY[name] = Guard(name=name, label=label, check=check, actie=actie, pagina=pagina)
        return check

    return decorator


def guard_get(name: str) -> Guard | None:
    return _REGISTRY.get(name)


def guard_choices() -> list[tuple[str, str]]:
    """(name, label) of every registered check, for admin forms."""
    return sorted(((g.name, str(g.label)) for g in _REGISTRY.values()), key=lambda c: c[1])


def guard_acties(names: list[str], hulpvraag: Hulpvraag) -> list[tuple[str, str]]:
    """(label, url) of the pages where the user makes these checks pass."""
    acties = []
    for name in names:
        guard = _REGISTRY.get(name)
        if guard is not None and guard.actie is not None:
            label, url = guard.actie
            acties.append((str(label), url(hulpvraag)))
    return acties


def guard_paginas(names: list[str], hulpvraag: Hulpvraag) -> list[tuple[str, str]]:
    """(label, url) of the pages of these checks' steps (Guard.pagina), once per URL, in order."""
    paginas: dict[str, str] = {}
    for name in names:
        guard = _REGISTRY.get(name)
        if guard is not None and guard.pagina is not None:
            label, url = guard.pagina
            paginas.setdefault(url(hulpvraag), str(label))
    return [(label, url) for url, label in paginas.items()]


def guards_missing(names: list[str], ctx: GuardContext) -> list[str]:
    """Everything that is missing according to these checks, in order; an unknown name is itself
    missing (fail closed: a check whose code is not installed never lets a change through)."""
    missing: list[str] = []
    for name in names:
        guard = _REGISTRY.get(name)
        if guard is None:
            missing.append(
                _gettext(
                    "De controle “%(naam)s” is niet beschikbaar; neem contact op met de beheerder."
                )
                % {"naam": name}
            )
            continue
        missing.extend(str(m) for m in guard.check(ctx))
    return missing


# --- The engine's own checks ---------------------------------------------------------------------


@register_guard("leerling_adres_bekend", label=_("Adres van de leerling bekend"))
def leerling_adres_bekend(ctx: GuardContext) -> list[str]:
    # Decision letters go to the parents' address; an aanvraag without one cannot be handled.
    # Known: a valid address (not corrected or removed), also one that starts on a later date.
    if ctx.hulpvraag.leerling.adressen.geldig().exists():
        return []
    return [
        _gettext(
            "Het adres van de leerling ontbreekt. Voeg het toe op het tabblad Basisgegevens "
            "via “+ Adres toevoegen”."
        )
    ]


@register_guard("schoolgegevens_actueel", label=_("Leerling staat nog op deze school"))
def schoolgegevens_actueel(ctx: GuardContext) -> list[str]:
    # The manual: "Voer geen einddatum van de schoolgegevens in." A past einddatum means the
    # pupil left this school, so this school cannot file for them.
    einddatum = ctx.hulpvraag.schoolgegevens.einddatum
    if einddatum is None or einddatum >= timezone.localdate():
        return []
    return [
        _gettext(
            "De schoolgegevens hebben een einddatum (%(datum)s): de leerling staat niet meer op "
            "deze school ingeschreven. Werk de schoolgegevens bij op het tabblad Schoolgegevens."
        )
        % {"datum": einddatum.strftime("%d-%m-%Y")}
    ]


_DATUM = re.compile(r"\b(\d{1,2})-(\d{1,2})-(\d{4})\b")


def _datums_in(text: str) -> list[date]:
    found = []
    for d, m, y in _DATUM.findall(text):
        try:
            found.append(date(int(y), int(m), int(d)))
        except ValueError:
            continue
    return found


@register_guard("datum_in_toelichting", label=_("Datum van de vergadering in de toelichting"))
def datum_in_toelichting(ctx: GuardContext) -> list[str]:
    # BAG geagendeerd: the manual tells the school to read the meeting date in the omschrijving.
    if _datums_in(ctx.toelichting):
        return []
    return [_gettext("Vermeld in de toelichting de datum van de vergadering (dd-mm-jjjj).")]
