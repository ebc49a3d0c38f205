"""Reads of bijlagen. Callers pass a hulpvraag they obtained through hulpvragen.access, so the
access rules are applied once, in that module; a bijlage is only ever looked up within it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Rol, User
from bijlagen.models import Bijlage, BijlageConcept, Bijlagevereiste, Documentsoort, ScanStatus
from hulpvragen.models import Hulpvraag


def bijlagen_list_for(*, hulpvraag: Hulpvraag) -> QuerySet[Bijlage]:
    return (
        Bijlage.objects.filter(hulpvraag=hulpvraag, organisatie_id=hulpvraag.organisatie_id)
        .select_related("geupload_door", "ingetrokken_door")
        .order_by("-geupload_op", "-id")
    )


def bijlagen_count_for(*, hulpvraag: Hulpvraag) -> int:
    return Bijlage.objects.filter(hulpvraag=hulpvraag, ingetrokken_op__isnull=True).count()


def bijlage_get_in(*, hulpvraag: Hulpvraag, pk: int | str) -> Bijlage:
    """A bijlage of this (already access-checked) hulpvraag, else 404."""
    try:
        bijlage = bijlagen_list_for(hulpvraag=hulpvraag).get(pk=int(pk))
    except (Bijlage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    bijlage.hulpvraag = hulpvraag  # already loaded (and access-checked): no second query
    return bijlage


def bijlage_concepten_for(
    *, hulpvraag: Hulpvraag, gebruiker: User, ids: list[str] | None = None
) -> QuerySet[BijlageConcept]:
    """Files this user staged for this hulpvraag in a refused upload (only their own)."""
    qs = BijlageConcept.objects.filter(hulpvraag=hulpvraag, gebruiker=gebruiker).order_by("id")
    if ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
    return qs


def bijlage_upload_allowed(*, user: User, hulpvraag: Hulpvraag) -> bool:
    """The school (and its board) uploads until a final status, or in a final status configured
    for a follow-up (the FA evaluation after "FA afgegeven"); the SWV loket uploads too (the
    questions document, letters), also after the decision. Deskundigen read only."""
    if user.rol in (Rol.SCHOOL, Rol.BEVOEGD_GEZAG):
        return hulpvraag.status.open
    return user.rol == Rol.SWV_LOKET


def bijlage_remove_allowed(*, user: User, bijlage: Bijlage) -> bool:
    """Only one's own bijlage, once. While the hulpvraag is a voorlopige aanvraag it is really
    deleted; afterwards removing is a visible withdrawal (see bijlage_remove)."""
    return bijlage.geupload_door_id == user.pk and bijlage.ingetrokken_op is None


def vragen_gesteld(hulpvraag: Hulpvraag) -> bool:
    """In "… vragen gesteld" an upload is the answer to the questions (the manual, step 9/11)."""
    return hulpvraag.status.naam.lower().endswith("vragen gesteld")


@cache
def _standaard_vereisten() -> dict[str, list[str]]:
    data = json.loads((Path(__file__).with_name("vereisten.json")).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def verplichte_documentsoorten(*, organisatie_id: int, type: str) -> list[str]:
    """The kinds this organisation requires for this hulpvraag type, in a stable order: its own
    Bijlagevereiste row, else the defaults of bijlagen/vereisten.json."""
    eigen = (
        Bijlagevereiste.objects.filter(organisatie_id=organisatie_id, type=type)
        .values_list("documentsoorten", flat=True)
        .first()
    )
    return list(eigen if eigen is not None else _standaard_vereisten().get(type, []))


def aanwezige_documentsoorten(*, hulpvraag: Hulpvraag) -> set[str]:
    """Kinds present among the bijlagen that count: not withdrawn, not in quarantine."""
    return set(
        Bijlage.objects.filter(hulpvraag=hulpvraag, ingetrokken_op__isnull=True)
        .exclude(scan_status=ScanStatus.BESMET)
        .values_list("documentsoort", flat=True)
    )


def documentsoort_standaard(
    *, user: User, hulpvraag: Hulpvraag, verplicht: list[str] | None = None
) -> str:
    """The kind the upload form proposes: the answer in "vragen gesteld"; for the loket the
    questions (in "vragen gesteld") or a letter; for the school the first required kind that is
    still missing, else "overig"."""
    if user.rol == Rol.SWV_LOKET:
        return Documentsoort.VRAGEN if vragen_gesteld(hulpvraag) else Documentsoort.BRIEF
    if vragen_gesteld(hulpvraag):
        return Documentsoort.BEANTWOORDING_VRAGEN
    aanwezig = aanwezige_documentsoorten(hulpvraag=hulpvraag)
    if verplicht is None:
        verplicht = verplichte_documentsoorten(
            organisatie_id=hulpvraag.organisatie_id, type=hulpvraag.type
        )
    for soort in verplicht:
        if soort not in aanwezig:
            return soort
    return Documentsoort.OVERIG


def documentsoort_raden_toegestaan(*, user: User, hulpvraag: Hulpvraag) -> bool:
    """Whether a file's name may choose its kind (bijlagen.names.documentsoort_raden): only for
    the school's side outside "vragen gesteld". The loket's documents are its questions or a
    letter, and in "vragen gesteld" the school's files are the answer, whatever they are named."""
    return user.rol in (Rol.SCHOOL, Rol.BEVOEGD_GEZAG) and not vragen_gesteld(hulpvraag)


def bijlage_soort_change_allowed(*, user: User, hulpvraag: Hulpvraag, bijlage: Bijlage) -> bool:
    """The uploader corrects the kind of their own bijlage while they may still upload."""
    return (
        bijlage.geupload_door_id == user.pk
        and bijlage.ingetrokken_op is None
        and bijlage_upload_allowed(user=user, hulpvraag=hulpvraag)
    )
