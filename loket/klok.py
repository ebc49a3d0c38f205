"""The decision clock (beslistermijn), as pure functions over a hulpvraag's status history.

Which phase a status is in is read from the process data, not from status names (the same reading
as beheer.kengetallen), so a beheerder's renamed or new statuses keep working:

- voorlopig: the initial status, or any status the SWV cannot see;
- ingediend: a status the school chooses that the SWV sees and that is not final ("… indienen");
- ingetrokken: a final status the school chooses;
- bij_school: a status the SWV chooses from which an upload leads on to a non-final status
  ("… incompleet", "… vragen gesteld"): the school has to act, the clock is paused;
- aangevuld: a non-final status the system chooses ("… aangevuld");
- besloten: a final status the SWV or the system chooses (FA afgegeven, final with the evaluation
  as its configured follow-up), or an SWV status that an upload closes (FA afgegeven as older
  process versions have it): the decision is taken, the clock stops;
- in_behandeling: every other SWV status (TLV aanvraag compleet, BAG geagendeerd): the SWV or its
  deskundigen are working on it.

The clock starts at the first change into an *ingediend* status, pauses while the hulpvraag is
*bij_school*, and stops at the first *besloten* or *ingetrokken*. A BAG that only reserves a date
(the manual's step 4) has no running clock; once the school completes the request the clock
starts at that moment. Deadline = start + termijn +
every closed pause; while paused the deadline moves with the pause (`deadline_op(nu)`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Fase(models.TextChoices):
    VOORLOPIG = "voorlopig", _("voorlopige aanvraag")
    INGEDIEND = "ingediend", _("nieuw")
    BIJ_SCHOOL = "bij_school", _("bij de school")
    AANGEVULD = "aangevuld", _("aangevuld")
    IN_BEHANDELING = "in_behandeling", _("wacht op advies")
    BESLOTEN = "besloten", _("besloten")
    INGETROKKEN = "ingetrokken", _("ingetrokken")


# What the SWV has to act on now (the werkvoorraad's default view).
VOOR_SWV = (Fase.INGEDIEND, Fase.AANGEVULD, Fase.IN_BEHANDELING)
GESTOPT = (Fase.BESLOTEN, Fase.INGETROKKEN)


@dataclass(frozen=True)
class StatusSpec:
    """What the classification needs of one status and its outgoing automatic transitions."""

    initieel: bool
    eindstatus: bool
    zichtbaar_voor_swv: bool
    kiezen_door: str  # "school" / "swv" / "systeem"
    # For each automatic (systeem) transition out of this status: is its target final?
    automatisch_naar_eind: tuple[bool, ...] = ()


def status_fase(spec: StatusSpec) -> Fase:
    if spec.initieel or not spec.zichtbaar_voor_swv:
        return Fase.VOORLOPIG
    if spec.kiezen_door == "school":
        return Fase.INGETROKKEN if spec.eindstatus else Fase.INGEDIEND
    if spec.eindstatus:
        return Fase.BESLOTEN
    if spec.kiezen_door == "systeem":
        return Fase.AANGEVULD
    if any(spec.automatisch_naar_eind):
        return Fase.BESLOTEN
    if spec.automatisch_naar_eind:
        return Fase.BIJ_SCHOOL
    return Fase.IN_BEHANDELING


@dataclass(frozen=True)
class Klok:
    fase: Fase
    ingediend_op: datetime | None = None
    gepauzeerd: timedelta = timedelta(0)  # closed pauses only
    pauze_sinds: datetime | None = None
    gestopt_op: datetime | None = None
    deadline: datetime | None = None  # without the open pause (what the list sorts on)

    def deadline_op(self, nu: datetime) -> datetime | None:
        """The deadline as it stands at `nu`: an open pause pushes it on by its length so far."""
        if self.deadline is None:
            return None
        if self.pauze_sinds is not None:
            return self.deadline + max(nu - self.pauze_sinds, timedelta(0))
        return self.deadline

    def te_laat(self, nu: datetime) -> bool:
        return (
            self.deadline is not None
            and self.gestopt_op is None
            and self.pauze_sinds is None
            and nu > self.deadline
        )

    def dagen_sinds_indienen(self, nu: datetime) -> int | None:
        if self.ingediend_op is None:
            return None
        return (nu - self.ingediend_op).days


def klok_bereken(
    wijzigingen: Iterable[tuple[datetime, Fase]],
    *,
    termijn: timedelta,
    alleen_reservering: bool = False,
    start_niet_voor: datetime | None = None,
) -> Klok:
    """The clock after these changes (oldest first; each the moment and the phase of the status
    it went to). A hulpvraag that only reserves a date (BAG) has no running clock at all; one
    completed after it was submitted starts its clock at `start_niet_voor` (the moment it was
    completed), not at indienen."""
    fase = Fase.VOORLOPIG
    ingediend_op = pauze_sinds = gestopt_op = None
    gepauzeerd = timedelta(0)
    for op, naar in wijzigingen:
        fase = Fase(naar)
        if ingediend_op is None:
            if fase == Fase.INGEDIEND:
                ingediend_op = op
            continue
        if gestopt_op is not None:
            continue
        if pauze_sinds is not None and fase != Fase.BIJ_SCHOOL:
            gepauzeerd += max(op - pauze_sinds, timedelta(0))
            pauze_sinds = None
        if fase in GESTOPT:
            gestopt_op = op
        elif fase == Fase.BIJ_SCHOOL and pauze_sinds is None:
            pauze_sinds = op
    if alleen_reservering:
        ingediend_op = pauze_sinds = None
        gepauzeerd = timedelta(0)
    elif ingediend_op is not None and start_niet_voor is not None:
        ingediend_op = max(ingediend_op, start_niet_voor)
    deadline = ingediend_op + termijn + gepauzeerd if ingediend_op is not None else None
    return Klok(
        fase=fase,
        ingediend_op=ingediend_op,
        gepauzeerd=gepauzeerd,
        pauze_sinds=pauze_sinds,
        gestopt_op=gestopt_op,
        deadline=deadline,
    )
