"""Reads of bijlagen. Callers pass a hulpvraag they obtained through hulpvragen.access, so the
access rules are applied once, in that module; a bijlage is only ever looked up within it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Rol, User
from accounts.rechten import mag_bijlage_toevoegen, mag_bijlage_verwijderen
from bijlagen.models import Bijlage, BijlageConcept, Bijlagevereiste, Documentsoort, ScanStatus
from formulieren.definities import vragen
from formulieren.selectors import formulier_opgeslagen_for
from hulpvragen.models import Hulpvraag


def bijlagen_list_for(*, hulpvraag: Hulpvraag) -> QuerySet[Bijlage]:
    return (
        Bijlage.objects.filter(hulpvraag=hulpvraag, organisatie_id=hulpvraag.organisatie_id)
        .select_related("geupload_door", "ingetrokken_door")
        .order_by("-geupload_op", "-id")
    )


def bijlagen_count_for(*, hulpvraag: Hulpvraag) -> int:
    return Bijlage.objects.filter(hulpvraag=hulpvraag, ingetrokken_op__isnull=True).count()


def bijlage_get_for(*, hulpvraag: Hulpvraag, pk: int | str) -> Bijlage:
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
    """The capability module decides (accounts.rechten.mag_bijlage_toevoegen)."""
    return mag_bijlage_toevoegen(user, hulpvraag)


def bijlage_remove_allowed(*, user: User, bijlage: Bijlage) -> bool:
    """The capability module decides (accounts.rechten.mag_bijlage_verwijderen)."""
    return mag_bijlage_verwijderen(user, bijlage)


def vragen_gesteld(hulpvraag: Hulpvraag) -> bool:
    """In "… vragen gesteld" an upload is the answer to the questions (the manual, step 9/11)."""
    return hulpvraag.status.naam.lower().endswith("vragen gesteld")


@cache
def _vereisten_bestand() -> dict:
    return json.loads((Path(__file__).with_name("vereisten.json")).read_text(encoding="utf-8"))


def _standaard_vereisten() -> dict[str, list[str]]:
    return {k: v for k, v in _vereisten_bestand().items() if not k.startswith("_")}


def documentsoorten_verplicht_for(*, organisatie_id: int, type: str) -> list[str]:
    """The kinds this organisation requires for this hulpvraag type, in a stable order: its own
    Bijlagevereiste row, else the defaults of bijlagen/vereisten.json. Before the manual's
    conditions (bijlagen_vereisten applies those to one hulpvraag)."""
    eigen = (
        Bijlagevereiste.objects.filter(organisatie_id=organisatie_id, type=type)
        .values_list("documentsoorten", flat=True)
        .first()
    )
    return list(eigen if eigen is not None else _standaard_vereisten().get(type, []))


@dataclass(frozen=True)
class Vereisten:
    """What one hulpvraag must have before indienen. `soorten`: the required kinds in order;
    `labels`: for a kind required because the school ticked it on the form's checklist, that
    option's words; `geen`: the manual waives every document (BAG: only reserving a date);
    `vervallen`: kinds the manual's condition made optional (BAG: only the level in doubt)."""

    soorten: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    geen: bool = False
    vervallen: tuple[str, ...] = ()


def _keuze_label(inhoud: dict, vraag: str, optie: str) -> str:
    for _sectie, v in vragen(inhoud):
        if v.get("sleutel") == vraag:
            for waarde, label in v.get("opties", []):
                if waarde == optie:
                    return label
    return optie


def bijlagen_vereisten_for(*, hulpvraag: Hulpvraag) -> Vereisten:
    """The required kinds for this hulpvraag: the organisation's list for its type
    (verplichte_documentsoorten) with the manual's conditions of vereisten.json ("_voorwaarden")
    applied to the answers saved on its form. A condition on a form the hulpvraag does not have,
    or on a question not answered yet, does not apply."""
    soorten = documentsoorten_verplicht_for(
        organisatie_id=hulpvraag.organisatie_id, type=hulpvraag.type
    )
    voorwaarden = _vereisten_bestand().get("_voorwaarden", {}).get(hulpvraag.type, [])
    labels: dict[str, str] = {}
    vervallen: list[str] = []
    formulieren: dict[str, tuple[dict, dict] | None] = {}
    for voorwaarde in voorwaarden:
        sleutel = voorwaarde["formulier"]
        if sleutel not in formulieren:
            formulieren[sleutel] = formulier_opgeslagen_for(hulpvraag=hulpvraag, sleutel=sleutel)
        opgeslagen = formulieren[sleutel]
        if opgeslagen is None:
            continue
        antwoorden, inhoud = opgeslagen
        antwoord = antwoorden.get(voorwaarde["vraag"])
        if "is" in voorwaarde:
            geldt = antwoord == voorwaarde["is"]
        else:
            geldt = isinstance(antwoord, list) and voorwaarde["bevat"] in antwoord
        if not geldt:
            continue
        if voorwaarde.get("vervalt") == "alles":
            return Vereisten(soorten=(), geen=True, vervallen=tuple(soorten))
        for soort in voorwaarde.get("vervalt", []):
            if soort in soorten:
                soorten.remove(soort)
                vervallen.append(soort)
        if soort := voorwaarde.get("vereist"):
            label = _keuze_label(inhoud, voorwaarde["vraag"], voorwaarde["bevat"])
            if soort not in soorten:
                soorten.append(soort)
                labels[soort] = label
            elif soort in labels:
                labels[soort] = f"{labels[soort]}; {label}"
    return Vereisten(soorten=tuple(soorten), labels=labels, vervallen=tuple(vervallen))


# A kind that also counts as another: the form the parents signed "voor gezien" online is the
# signed form the manual asks for, just as a scanned paper one is.
TELT_ALS: dict[str, str] = {Documentsoort.OUDERFORMULIER_ONLINE: Documentsoort.OUDERFORMULIER}


def documentsoorten_aanwezig_for(*, hulpvraag: Hulpvraag) -> set[str]:
    """Kinds present among the bijlagen that count: not withdrawn, not in quarantine."""
    soorten = set(
        Bijlage.objects.filter(hulpvraag=hulpvraag, ingetrokken_op__isnull=True)
        .exclude(scan_status=ScanStatus.BESMET)
        .values_list("documentsoort", flat=True)
    )
    return soorten | {TELT_ALS[s] for s in soorten if s in TELT_ALS}


def documentsoort_default_for(
    *, user: User, hulpvraag: Hulpvraag, verplicht: list[str] | None = None
) -> str:
    """The kind the upload form proposes: the answer in "vragen gesteld"; for the loket the
    questions (in "vragen gesteld") or a letter; for the school the first required kind that is
    still missing, else "overig"."""
    if user.rol == Rol.SWV_LOKET:
        return Documentsoort.VRAGEN if vragen_gesteld(hulpvraag) else Documentsoort.BRIEF
    if vragen_gesteld(hulpvraag):
        return Documentsoort.BEANTWOORDING_VRAGEN
    aanwezig = documentsoorten_aanwezig_for(hulpvraag=hulpvraag)
    if verplicht is None:
        verplicht = documentsoorten_verplicht_for(
            organisatie_id=hulpvraag.organisatie_id, type=hulpvraag.type
        )
    for soort in verplicht:
        if soort not in aanwezig:
            return soort
    return Documentsoort.OVERIG


def documentsoort_raden_allowed(*, user: User, hulpvraag: Hulpvraag) -> bool:
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
