from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from dossiers.models import Schoolgegevens
from hulpvragen.models import Hulpvraag, HulpvraagType, Proces, Status
from organisaties.models import Organisatie

PROCESSEN_DIR = Path(__file__).resolve().parent / "processen"


@transaction.atomic
def processen_load_defaults(*, organisatie: Organisatie) -> list[Proces]:
    """Load the shipped default process of every type for this organisation, once: a type that
    already has a process keeps it (the beheerder may have changed it)."""
    loaded = []
    for path in sorted(PROCESSEN_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if Proces.objects.filter(organisatie=organisatie, type=data["type"]).exists():
            continue
        proces = Proces.objects.create(organisatie=organisatie, type=data["type"], versie=1)
        Status.objects.bulk_create(
            Status(proces=proces, volgorde=i, **status)
            for i, status in enumerate(data["statussen"])
        )
        loaded.append(proces)
    return loaded


@transaction.atomic
def hulpvraag_create(
    *,
    schoolgegevens: Schoolgegevens,
    type: HulpvraagType | str,
    door: User,
    omschrijving: str = "",
    hulpvraagdatum: date | None = None,
) -> Hulpvraag:
    """A new hulpvraag starts in the initial status of its type's active process version."""
    organisatie_id = schoolgegevens.organisatie_id
    proces = Proces.objects.get(organisatie_id=organisatie_id, type=type, actief=True)
    return Hulpvraag.objects.create(
        organisatie_id=organisatie_id,
        leerling_id=schoolgegevens.leerling_id,
        schoolgegevens=schoolgegevens,
        type=type,
        proces=proces,
        status=proces.statussen.get(initieel=True),
        hulpvraagdatum=hulpvraagdatum or timezone.localdate(),
        omschrijving=omschrijving,
        aangemaakt_door=door,
    )
