"""Writes for hulpvragen: creating a hulpvraag, the status-transition engine, notes and list
preferences (the processes and labels the engine reads are configured in services_processen.py).

`hulpvraag_change_status` is the one code path for a status change chosen by a person, and
`hulpvraag_fire_event` the one for automatic ones; both end in `_apply`, which is the only place
that changes Hulpvraag.status after creation. See docs/processes.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from dossiers.models import Schoolgegevens
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.guards import GuardContext, guards_missing
from hulpvragen.models import (
    Hulpvraag,
    HulpvraagType,
    LijstVoorkeur,
    Notitie,
    Overgang,
    Proces,
    Status,
    Statuswijziging,
    Trigger,
)
from hulpvragen.selectors import actor_for, hulpvraag_types_for_school, overgang_mogelijk_q
from hulpvragen.signals import hulpvraag_aangemaakt, status_gewijzigd


class StatusWijzigingGeweigerd(Exception):
    """A refused status change. `message` is Dutch and meant for the person who tried; `ontbrekend`
    lists exactly what is missing when checks failed. Nothing was changed."""

    code = "geweigerd"

    def __init__(self, message: str, *, ontbrekend: list[str] | None = None) -> None:
        self.message = str(message)
        self.ontbrekend = list(ontbrekend or [])
        super().__init__(self.message)


class OvergangNietToegestaan(StatusWijzigingGeweigerd):
    """This role may not take this transition from the current status (or it does not exist)."""

    code = "niet_toegestaan"


class VerouderdeStatus(StatusWijzigingGeweigerd):
    """The user chose on a page that showed an older status."""

    code = "verouderd"


class ControleMislukt(StatusWijzigingGeweigerd):
    """A guard or a required toelichting is missing."""

    code = "controle"


def type_niet_aangeboden_melding(*, type: str, school) -> str:
    label = HulpvraagType(type).label if type in HulpvraagType.values else str(type)
    return _(
        "Een hulpvraag %(type)s wordt niet aangeboden voor %(school)s (sector %(sector)s). "
        "Kies een titel uit de lijst."
    ) % {"type": label, "school": school.naam, "sector": school.get_sector_display()}


@transaction.atomic
def hulpvraag_create(
    *,
    schoolgegevens: Schoolgegevens,
    type: HulpvraagType | str,
    door: User | None,
    omschrijving: str = "",
    hulpvraagdatum: date | None = None,
) -> Hulpvraag:
    """A new hulpvraag starts in the initial status of its type's active process version; the
    history starts with that status, and its type's form is attached.

    Only a type offered to the school's sector (TypePerSector, with an active process) can be
    created, whoever asks and whatever a form posted: otherwise ValidationError (Dutch)."""
    organisatie_id = schoolgegevens.organisatie_id
    school = schoolgegevens.school
    if type not in hulpvraag_types_for_school(school=school):
        raise ValidationError(type_niet_aangeboden_melding(type=type, school=school), code="type")
    proces = Proces.objects.get(organisatie_id=organisatie_id, type=type, actief=True)
    status = proces.statussen.get(initieel=True)
    hulpvraag = Hulpvraag.objects.create(
        organisatie_id=organisatie_id,
        leerling_id=schoolgegevens.leerling_id,
        schoolgegevens=schoolgegevens,
        type=type,
        proces=proces,
        status=status,
        hulpvraagdatum=hulpvraagdatum or timezone.localdate(),
        omschrijving=omschrijving,
        aangemaakt_door=door,
    )
    Statuswijziging.objects.create(
        organisatie_id=organisatie_id,
        hulpvraag=hulpvraag,
        van=None,
        naar=status,
        door=door,
        door_naam=str(door) if door else "",
        automatisch=True,
    )
    # The forms app attaches the type's form (formulieren.apps), in this transaction.
    hulpvraag_aangemaakt.send(sender=Hulpvraag, hulpvraag=hulpvraag)
    return hulpvraag


def _status_id(value: Status | int | str | None) -> int | None:
    if value is None or value == "":
        return None
    return value.pk if isinstance(value, Status) else int(value)


@transaction.atomic
def hulpvraag_change_status(
    *,
    hulpvraag: Hulpvraag,
    naar: Status | int,
    door: User,
    toelichting: str = "",
    gezien_status: Status | int | None = None,
) -> Statuswijziging:
    """Change the status by hand (the "Status wijzigen" screen, the demo, admin). Locks the row,
    then refuses, with a Dutch message and nothing changed, when: the user may not see the
    hulpvraag; the status is no longer the one the user saw (`gezien_status`); this role may not
    take a transition from the current status to `naar`; a required toelichting or a check is
    missing (all missing items listed). Otherwise appends a Statuswijziging and the outbox rows."""
    naar_id = _status_id(naar)
    gezien_id = _status_id(gezien_status)
    toelichting = (toelichting or "").strip()

    locked = Hulpvraag.objects.select_for_update().get(pk=hulpvraag.pk)
    if not hulpvragen_visible_to(door).filter(pk=locked.pk).exists():
        raise OvergangNietToegestaan(_("U kunt de status van deze hulpvraag niet wijzigen."))
    huidig = Status.objects.get(pk=locked.status_id)
    if gezien_id is not None and gezien_id != locked.status_id:
        gezien = Status.objects.filter(pk=gezien_id).first()
        raise VerouderdeStatus(
            _(
                "De status is intussen gewijzigd: u zag “%(gezien)s”, maar de hulpvraag staat nu "
                "op “%(huidig)s”. Er is niets gewijzigd. Bekijk de nieuwe status en kies opnieuw; "
                "uw toelichting is bewaard."
            )
            % {"gezien": gezien.naam if gezien else "?", "huidig": huidig.naam}
        )

    kandidaten = list(
        Overgang.objects.filter(
            proces_id=locked.proces_id,
            van_id=locked.status_id,
            naar_id=naar_id,
            trigger=Trigger.HANDMATIG,
        )
        .filter(overgang_mogelijk_q())
        .select_related("naar")
    )
    actor = actor_for(door)
    overgang = next((o for o in kandidaten if o.door == actor), None)
    if overgang is None:
        naar_status = Status.objects.filter(pk=naar_id, proces_id=locked.proces_id).first()  # type: ignore[misc]
        if kandidaten:
            raise OvergangNietToegestaan(
                _("Alleen %(wie)s kiest de status “%(naar)s”.")
                % {"wie": _wie(kandidaten[0].door), "naar": kandidaten[0].naar.naam}
            )
        raise OvergangNietToegestaan(
            _("Vanuit de status “%(huidig)s” kan de status niet naar “%(naar)s”.")
            % {"huidig": huidig.naam, "naar": naar_status.naam if naar_status else "?"}
        )

    ontbrekend = []
    if overgang.toelichting_verplicht and not toelichting:
        ontbrekend.append(
            _("Vul een toelichting in: bij de status “%(naar)s” is die verplicht.")
            % {"naar": overgang.naar.naam}
        )
    ontbrekend += guards_missing(
        overgang.controles,
        GuardContext(hulpvraag=locked, naar=overgang.naar, door=door, toelichting=toelichting),
    )
    if ontbrekend:
        raise ControleMislukt(
            _("De status kan nog niet naar “%(naar)s”. Dit ontbreekt nog:")
            % {"naar": overgang.naar.naam},
            ontbrekend=ontbrekend,
        )
    wijziging = _apply(
        locked,
        van=huidig,
        naar=overgang.naar,
        door=door,
        toelichting=toelichting,
        automatisch=False,
    )
    hulpvraag.status = overgang.naar
    return wijziging


def _wie(door: str) -> str:
    return _("de school") if door == "school" else _("het samenwerkingsverband")


@transaction.atomic
def hulpvraag_fire_event(
    *, hulpvraag: Hulpvraag, event: Trigger | str, door: User | None
) -> Statuswijziging | None:
    """Tell the engine that something happened (an upload, a signature). When the process has an
    automatic transition on this event from the current status and its checks pass, take it and
    return the change; otherwise change nothing and return None. Firing again after the change
    does nothing, so one upload of several files moves the status once."""
    event = Trigger(event)
    if event == Trigger.HANDMATIG:
        raise ValueError("Een handmatige keuze gaat via hulpvraag_change_status.")
    locked = Hulpvraag.objects.select_for_update().get(pk=hulpvraag.pk)
    overgang = (
        Overgang.objects.filter(proces_id=locked.proces_id, van_id=locked.status_id, trigger=event)
        .filter(overgang_mogelijk_q())
        .select_related("van", "naar")
        .order_by("volgorde", "id")
        .first()
    )
    if overgang is None:
        return None
    ctx = GuardContext(hulpvraag=locked, naar=overgang.naar, door=door)
    if guards_missing(overgang.controles, ctx):
        return None
    wijziging = _apply(
        locked, van=overgang.van, naar=overgang.naar, door=door, toelichting="", automatisch=True
    )
    hulpvraag.status = overgang.naar
    return wijziging


def _apply(
    locked: Hulpvraag,
    *,
    van: Status,
    naar: Status,
    door: User | None,
    toelichting: str,
    automatisch: bool,
) -> Statuswijziging:
    """The only write of a status change: status and history row, and through `status_gewijzigd`
    the outbox rows, in the caller's transaction (so a rollback takes all of them back)."""
    locked.status = naar
    locked.save(update_fields=["status", "laatste_datum"])
    wijziging = Statuswijziging.objects.create(
        organisatie_id=locked.organisatie_id,
        hulpvraag=locked,
        van=van,
        naar=naar,
        door=door,
        door_naam=str(door) if door else "",
        toelichting=toelichting,
        automatisch=automatisch,
    )
    # Apps that keep rows in step with the status do it here, in this transaction: meldingen
    # writes the outbox rows, loket moves the decision clock.
    status_gewijzigd.send(sender=Hulpvraag, hulpvraag=locked, wijziging=wijziging)
    return wijziging


def lijstvoorkeur_save(*, user: User, **fields: Any) -> LijstVoorkeur:
    allowed = {"filters", "sortering", "kolommen", "volledig_scherm"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown preference fields: {sorted(unknown)}")
    voorkeur, _ = LijstVoorkeur.objects.update_or_create(gebruiker=user, defaults=fields)
    return voorkeur


def notitie_create(*, hulpvraag: Hulpvraag, auteur: User, tekst: str) -> Notitie:
    return Notitie.objects.create(
        organisatie_id=hulpvraag.organisatie_id, hulpvraag=hulpvraag, auteur=auteur, tekst=tekst
    )
