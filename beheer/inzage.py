"""AVG art. 15 inzage: everything the system holds about one pupil, as a ZIP with a readable
summary (samenvatting.html), the complete data (gegevens.json) and the files of the bijlagen.

Completeness does not depend on this module knowing every model: `inzage_verzamelen` starts at
the Leerling and follows every foreign key that points at a row already collected (addresses,
Schoolgegevens, hulpvragen, then their history, outbox, toegang, bijlagen, download records, and
whatever other apps add later). The pupil is found through hulpvragen.access."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from audit.models import BijlageInzage
from audit.models import Inzage as InzageRecord
from bijlagen.models import Bijlage
from dossiers.models import Leerling
from hulpvragen.models import Hulpvraag

# Rows of these models are context, not data about the pupil: never walked into.
_NIET_VOLGEN = {"organisaties", "accounts", "auth", "contenttypes", "sessions", "admin"}
# Storage keys are internal; the file itself is in the ZIP.
_WEGLATEN = {("bijlagen", "bijlage", "sleutel"), ("bijlagen", "bijlageconcept", "sleutel")}
MAX_DIEPTE = 4


@dataclass
class Inzage:
    leerling: Leerling
    # "app.model" -> list of rows (field name -> value), every object held about the pupil.
    rijen: dict[str, list[dict]] = field(default_factory=dict)
    hulpvragen: list[Hulpvraag] = field(default_factory=list)
    bijlagen: list[Bijlage] = field(default_factory=list)
    downloads: list[BijlageInzage] = field(default_factory=list)
    # Rows of the access audit log about this pupil (who viewed or changed what).
    audit: list = field(default_factory=list)


def _waarde(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rij(obj: models.Model) -> dict:
    label = (obj._meta.app_label, obj._meta.model_name)
    return {
        f.attname: _waarde(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if (*label, f.name) not in _WEGLATEN
    }


def inzage_verzamelen(*, leerling: Leerling) -> Inzage:
    """Every row that hangs off the pupil, found by walking foreign keys (breadth first)."""
    verzameld: dict[type[models.Model], set] = {Leerling: {leerling.pk}}
    objecten: dict[type[models.Model], list[models.Model]] = {Leerling: [leerling]}
    grens = [Leerling]
    for _diepte in range(MAX_DIEPTE):
        nieuw_grens = []
        for model in apps.get_models():
            if model._meta.app_label in _NIET_VOLGEN:
                continue
            for veld in model._meta.concrete_fields:
                doel = getattr(veld, "related_model", None)
                if not isinstance(veld, models.ForeignKey) or doel not in grens:
                    continue
                rows = list(
                    model._base_manager.filter(**{f"{veld.name}__in": verzameld[doel]}).exclude(
                        pk__in=verzameld.get(model, set())
                    )
                )
                if rows:
                    verzameld.setdefault(model, set()).update(r.pk for r in rows)
                    objecten.setdefault(model, []).extend(rows)
                    nieuw_grens.append(model)
        if not nieuw_grens:
            break
        grens = nieuw_grens
    inzage = Inzage(leerling=leerling)
    for model, rows in objecten.items():
        inzage.rijen[model._meta.label_lower] = [_rij(r) for r in sorted(rows, key=lambda r: r.pk)]
    inzage.hulpvragen = list(
        Hulpvraag.objects.filter(leerling=leerling)
        .select_related("status", "schoolgegevens__school")
        .prefetch_related("statuswijzigingen__van", "statuswijzigingen__naar", "toegangen")
        .order_by("hulpvraagdatum", "pk")
    )
    inzage.bijlagen = list(
        Bijlage.objects.filter(hulpvraag__leerling=leerling).select_related("geupload_door")
    )
    inzage.downloads = list(
        BijlageInzage.objects.filter(bijlage__hulpvraag__leerling=leerling).select_related(
            "bijlage", "gebruiker"
        )
    )
    # Who viewed or changed the dossier: the access audit log (plain ids, so not found by the walk).
    inzage.audit = list(
        InzageRecord.objects.filter(organisatie_id=leerling.organisatie_id, leerling_id=leerling.pk)
        .select_related("gebruiker")
        .order_by("op", "id")
    )
    inzage.rijen[InzageRecord._meta.label_lower] = [_rij(r) for r in inzage.audit]
    return inzage


def inzage_zip(*, inzage: Inzage, door: User):
    """The ZIP as a temporary file (files are streamed in, never all in memory)."""
    # Returned open: FileResponse closes it after streaming.
    uit = tempfile.TemporaryFile()  # noqa: SIM115
    with zipfile.ZipFile(uit, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "samenvatting.html",
            render_to_string(
                "beheer/inzage_samenvatting.html",
                {
                    "inzage": inzage,
                    "leerling": inzage.leerling,
                    "door": door,
                    "op": timezone.now(),
                    "tellingen": {k: len(v) for k, v in inzage.rijen.items()},
                },
            ),
        )
        z.writestr(
            "gegevens.json",
            json.dumps(inzage.rijen, ensure_ascii=False, indent=2, default=str),
        )
        for b in inzage.bijlagen:
            if not b.downloadbaar:  # waiting for the virus scan, or in quarantine
                continue
            with (
                default_storage.open(b.sleutel, "rb") as bron,
                z.open(f"bijlagen/{b.pk}-{b.naam}", "w") as doel,
            ):
                for chunk in iter(lambda bron=bron: bron.read(1024 * 1024), b""):
                    doel.write(chunk)
    uit.seek(0)
    return uit
