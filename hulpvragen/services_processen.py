"""What the beheerder configures for the status engine: the organisation's processes (the
shipped defaults loaded once, new versions, activation) and its labels. The engine that runs a
hulpvraag through a process is hulpvragen/services.py."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rechten import Recht, mag_in_organisatie
from hulpvragen.models import (
    Label,
    Overgang,
    Proces,
    Status,
    Trigger,
    TypePerSector,
)
from hulpvragen.process_validation import PROCESSEN_DIR, proces_validate
from organisaties.models import Organisatie


def _load_proces(*, organisatie: Organisatie, data: dict, versie: int = 1) -> Proces:
    proces = Proces.objects.create(organisatie=organisatie, type=data["type"], versie=versie)
    statussen = Status.objects.bulk_create(
        Status(proces=proces, volgorde=i, **status) for i, status in enumerate(data["statussen"])
    )
    by_naam = {s.naam: s for s in statussen}
    overgangen: list[Overgang] = []
    for o in data["overgangen"]:
        vans = o["van"] if isinstance(o["van"], list) else [o["van"]]
        for van in vans:
            overgangen.append(
                Overgang(
                    proces=proces,
                    van=by_naam[van],
                    naar=by_naam[o["naar"]],
                    door=o["door"],
                    trigger=o.get("trigger", Trigger.HANDMATIG),
                    controles=o.get("controles", []),
                    toelichting_verplicht=o.get("toelichting_verplicht", False),
                    volgorde=len(overgangen),
                )
            )
    Overgang.objects.bulk_create(overgangen)
    problems = proces_validate(proces)
    if problems:
        # A shipped data file that is not a valid process is a bug in the repository.
        raise ValueError(f"Proces {data['type']} is ongeldig: {problems}")
    return proces


def processen_default_data() -> list[dict]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(PROCESSEN_DIR.glob("*.json"))
    ]


@transaction.atomic
def processen_load_defaults(*, organisatie: Organisatie) -> list[Proces]:
    """Load the shipped default process of every type for this organisation, once: a type that
    already has a process keeps it (the beheerder may have changed it). Which school sector may
    file which type is loaded with it, also only where the organisation has none yet."""
    loaded = []
    has_sector_config = TypePerSector.objects.filter(organisatie=organisatie).exists()
    for data in processen_default_data():
        if not has_sector_config:
            TypePerSector.objects.bulk_create(
                TypePerSector(organisatie=organisatie, sector=sector, type=data["type"])
                for sector in data.get("sectoren", [])
            )
        if Proces.objects.filter(organisatie=organisatie, type=data["type"]).exists():
            continue
        loaded.append(_load_proces(organisatie=organisatie, data=data))
    return loaded


@transaction.atomic
def proces_new_version(*, proces: Proces) -> Proces:
    """A copy of `proces` as the next, inactive version: how a beheerder changes a process that
    hulpvragen already use (those keep the version they started with)."""
    nieuw = Proces.objects.create(
        organisatie_id=proces.organisatie_id,
        type=proces.type,
        versie=proces.volgende_versie(),
        actief=False,
    )
    copies = {}
    for status in proces.statussen.all():
        old_pk = status.pk
        status.pk = None
        status.proces = nieuw
        status._state.adding = True
        status.save()
        copies[old_pk] = status
    Overgang.objects.bulk_create(
        Overgang(
            proces=nieuw,
            van=copies[o.van_id],
            naar=copies[o.naar_id],
            door=o.door,
            trigger=o.trigger,
            controles=list(o.controles),
            toelichting_verplicht=o.toelichting_verplicht,
            volgorde=o.volgorde,
        )
        for o in proces.overgangen.all()
    )
    return nieuw


def proces_check_beheer(*, door: User, organisatie_id: int | None) -> None:
    if not mag_in_organisatie(door, Recht.PROCESSEN_BEHEREN, organisatie_id):
        raise ValidationError(_("Alleen de beheerder wijzigt processen."))


@transaction.atomic
def proces_create(*, door: User, organisatie: Organisatie, type: str) -> Proces:
    """A new, empty process: a draft (inactive) version of its type in the organisation. Its
    statuses and transitions are added next; activating it is a separate step."""
    proces_check_beheer(door=door, organisatie_id=organisatie.pk)
    proces = Proces(organisatie=organisatie, type=type, actief=False)
    proces.versie = proces.volgende_versie()
    proces.save()
    return proces


def label_check(*, door: User, label: Label) -> None:
    """The checks of every label write, also run by the admin form's clean."""
    if not mag_in_organisatie(door, Recht.LABELS_BEHEREN, label.organisatie_id):
        raise ValidationError(_("U mag de labels van deze organisatie niet wijzigen."))
    naam = (label.naam or "").strip()
    if not naam:
        raise ValidationError({"naam": _("Geef het label een naam.")})
    zelfde = Label.objects.filter(organisatie_id=label.organisatie_id, naam__iexact=naam)
    if label.pk:
        zelfde = zelfde.exclude(pk=label.pk)
    if zelfde.exists():
        raise ValidationError({"naam": _("Dit label bestaat al.")})


@transaction.atomic
def label_save(*, door: User, label: Label) -> Label:
    """Create or rename a label of the organisation (hulpvragen keep it by key)."""
    label.naam = (label.naam or "").strip()
    label_check(door=door, label=label)
    label.full_clean()
    label.save()
    return label


@transaction.atomic
def label_delete(*, door: User, label: Label) -> None:
    """A label goes from every hulpvraag that has it (the link rows only)."""
    label_check(door=door, label=label)
    label.delete()


@transaction.atomic
def proces_activate(*, proces: Proces) -> Proces:
    """Make this version the one new hulpvragen start in. Refused when the process is not valid."""
    problems = proces_validate(proces)
    if problems:
        raise ValidationError(problems)
    proces.activeren()
    return proces
