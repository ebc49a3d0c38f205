"""Validation of a process as a whole: the rules that no single row can check.

Pure functions over small specs, so that the admin can validate what the beheerder is about to
save (statuses and transitions from two inline formsets) and the loader and tests can validate
what is in the database, with the same code.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from hulpvragen.guards import guard_get
from hulpvragen.models import KiezenDoor, Proces, Trigger


@dataclass(frozen=True)
class StatusSpec:
    key: Hashable
    naam: str
    initieel: bool = False
    eindstatus: bool = False
    kiezen_door: str = KiezenDoor.SWV
    # A final status whose outgoing transitions stay possible (the FA evaluation after
    # "FA afgegeven"): allowed only when set explicitly.
    vervolg_toegestaan: bool = False


@dataclass(frozen=True)
class OvergangSpec:
    van: Hashable
    naar: Hashable
    door: str
    trigger: str = Trigger.HANDMATIG
    controles: tuple[str, ...] = field(default_factory=tuple)


PROCESSEN_DIR = Path(__file__).resolve().parent / "processen"


@cache
def vereiste_statussen(type_: str) -> tuple[str, ...]:
    """The statuses the manual prescribes for this type (`"vereist": true` in the shipped data
    file): every version of the type must have them to become active. Read from the file, not
    from the rows, so a deleted or renamed status cannot take its own requirement along."""
    for path in sorted(PROCESSEN_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["type"] == type_:
            return tuple(s["naam"] for s in data["statussen"] if s.get("vereist"))
    return ()


def proces_problems(
    statussen: Iterable[StatusSpec],
    overgangen: Iterable[OvergangSpec],
    *,
    vereist: Iterable[str] = (),
) -> list[str]:
    """Everything wrong with this process, in Dutch, as the beheerder reads it; [] when valid.
    `vereist`: status names the process must have (vereiste_statussen of its type)."""
    statussen = list(statussen)
    overgangen = list(overgangen)
    by_key = {s.key: s for s in statussen}
    problems: list[str] = []

    namen = {s.naam for s in statussen}
    for naam in vereist:
        if naam not in namen:
            problems.append(
                _(
                    "De status “%(s)s” ontbreekt. De handleiding schrijft haar voor; zonder haar "
                    "kan deze versie niet actief worden."
                )
                % {"s": naam}
            )

    initieel = [s for s in statussen if s.initieel]
    if len(initieel) != 1:
        problems.append(
            _("Een proces heeft precies één beginstatus; nu zijn het er %(n)d.")
            % {"n": len(initieel)}
        )
    if statussen and not any(s.eindstatus for s in statussen):
        problems.append(_("Het proces heeft geen eindstatus."))

    uitgaand: dict[Hashable, list[OvergangSpec]] = defaultdict(list)
    for o in overgangen:
        if o.van not in by_key or o.naar not in by_key:
            # The admin refuses removing a status that transitions use before it gets here.
            problems.append(_("Een overgang verwijst naar een status die niet in dit proces zit."))
            continue
        uitgaand[o.van].append(o)
        van, naar = by_key[o.van], by_key[o.naar]
        label = f"{van.naam} → {naar.naam}"
        if o.trigger == Trigger.HANDMATIG and o.door == KiezenDoor.SYSTEEM:
            problems.append(
                _(
                    "Overgang %(o)s: een handmatige overgang wordt door de school of het "
                    "samenwerkingsverband gekozen, niet automatisch."
                )
                % {"o": label}
            )
        if o.trigger != Trigger.HANDMATIG and o.door != KiezenDoor.SYSTEEM:
            problems.append(
                _("Overgang %(o)s: een overgang op een gebeurtenis is automatisch.") % {"o": label}
            )
        if o.trigger == Trigger.HANDMATIG and naar.kiezen_door != o.door:
            problems.append(
                _(
                    "Overgang %(o)s wordt gekozen door %(door)s, maar de status “%(naar)s” kiest "
                    "%(kiezer)s."
                )
                % {
                    "o": label,
                    "door": KiezenDoor(o.door).label,
                    "naar": naar.naam,
                    "kiezer": KiezenDoor(naar.kiezen_door).label,
                }
            )
        for naam in o.controles:
            if guard_get(naam) is None:
                problems.append(
                    _("Overgang %(o)s: de controle “%(c)s” bestaat niet.") % {"o": label, "c": naam}
                )

    for s in statussen:
        if s.eindstatus and uitgaand.get(s.key) and not s.vervolg_toegestaan:
            problems.append(
                _(
                    "De eindstatus “%(s)s” heeft uitgaande overgangen; een eindstatus beëindigt de "
                    "procedure. Zijn die overgangen de bedoeling (zoals de evaluatie na een "
                    "afgegeven arrangement), zet dan bij deze status “vervolg na eindstatus” aan."
                )
                % {"s": s.naam}
            )
        if s.vervolg_toegestaan and not s.eindstatus:
            problems.append(
                _("De status “%(s)s” heeft “vervolg na eindstatus” aan, maar is geen eindstatus.")
                % {"s": s.naam}
            )
        if s.vervolg_toegestaan and s.eindstatus and not uitgaand.get(s.key):
            problems.append(
                _(
                    "De eindstatus “%(s)s” heeft “vervolg na eindstatus” aan, maar geen uitgaande "
                    "overgang."
                )
                % {"s": s.naam}
            )
        if not s.eindstatus and not uitgaand.get(s.key):
            problems.append(
                _(
                    "De status “%(s)s” heeft geen uitgaande overgang; markeer haar als "
                    "eindstatus of voeg een overgang toe."
                )
                % {"s": s.naam}
            )
        events = [o.trigger for o in uitgaand.get(s.key, []) if o.trigger != Trigger.HANDMATIG]
        for trigger in sorted(set(events)):
            if events.count(trigger) > 1:
                problems.append(
                    _(
                        "Vanuit “%(s)s” zijn er meerdere overgangen op “%(t)s”; het is dan niet "
                        "duidelijk welke de gebeurtenis moet nemen."
                    )
                    % {"s": s.naam, "t": Trigger(trigger).label}
                )

    if len(initieel) == 1:
        bereikt = {initieel[0].key}
        todo = deque(bereikt)
        while todo:
            for o in uitgaand.get(todo.popleft(), []):
                if o.naar not in bereikt:
                    bereikt.add(o.naar)
                    todo.append(o.naar)
        for s in statussen:
            if s.key not in bereikt:
                problems.append(
                    _("De status “%(s)s” is niet bereikbaar vanuit de beginstatus.") % {"s": s.naam}
                )
    return problems


def proces_specs(proces: Proces) -> tuple[list[StatusSpec], list[OvergangSpec]]:
    statussen = [
        StatusSpec(s.pk, s.naam, s.initieel, s.eindstatus, s.kiezen_door, s.vervolg_toegestaan)
        for s in proces.statussen.all()
    ]
    overgangen = [
        OvergangSpec(o.van_id, o.naar_id, o.door, o.trigger, tuple(o.controles))
        for o in proces.overgangen.all()
    ]
    return statussen, overgangen


def proces_validate(proces: Proces) -> list[str]:
    """The problems of a process as stored."""
    return proces_problems(*proces_specs(proces), vereist=vereiste_statussen(proces.type))
