"""Writes of bijlagen: checking, storing, adding as one action, removing, downloading (recorded).

One upload action is all or nothing: every file is checked before anything is stored; the rows
are created in one transaction (in which the engine's "bijlage toegevoegd" event fires once);
if that transaction fails, the files just stored are removed again.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Rol, User
from audit.models import BijlageInzage
from audit.services import inzage_record
from bijlagen.checks import Geweigerd, Soort, soort_bepalen
from bijlagen.models import Bijlage, BijlageConcept, Documentsoort
from bijlagen.names import documentsoort_raden, extensie_van, naam_opschonen
from bijlagen.scan import scan_status_bij_upload, scanner_ingesteld
from hulpvragen.models import Hulpvraag, Trigger
from hulpvragen.services import hulpvraag_fire_event
from kindkans.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)
_CHUNK = 64 * 1024
CONCEPT_BEWAARTIJD = timedelta(hours=24)


@dataclass
class Gecontroleerd:
    """A file that passed every check, not stored yet."""

    bestand: File
    soort: Soort
    originele_naam: str
    grootte: int
    sha256: str
    # Chosen for this file in the upload form (bijlagen.forms.documentsoorten_bepalen); empty:
    # the upload action's kind.
    documentsoort: str = ""


@dataclass
class Afgewezen:
    naam: str
    melding: str


def bestand_check(*, bestand: File) -> Gecontroleerd:
    """Check one uploaded file by its content; raises Geweigerd with the Dutch reason."""
    grootte = int(bestand.size or 0)
    soort = soort_bepalen(bestand, grootte)
    extensie = extensie_van(bestand.name or "")
    if not extensie:
        extensie = soort.extensies[0]
    elif extensie not in soort.extensies:
        # The name promises another program than the content needs: a renamed file.
        raise Geweigerd(
            f"De naam eindigt op {extensie}, maar de inhoud is {soort.label}. "
            "Sla het bestand op in het juiste formaat, of geef het de juiste extensie."
        )
    digest = hashlib.sha256()
    bestand.seek(0)
    for blok in bestand.chunks(_CHUNK):
        digest.update(blok)
    bestand.seek(0)
    return Gecontroleerd(
        bestand=bestand,
        soort=soort,
        originele_naam=naam_opschonen(bestand.name or "", extensie=extensie),
        grootte=grootte,
        sha256=digest.hexdigest(),
    )


def bestanden_check(
    *, bestanden: list[UploadedFile], documentsoorten: list[str] | None = None
) -> tuple[list[Gecontroleerd], list[Afgewezen]]:
    """Check each file; `documentsoorten` (one per file, in order) go with the files that pass."""
    goed, fout = [], []
    for i, bestand in enumerate(bestanden):
        try:
            item = bestand_check(bestand=bestand)
            if documentsoorten is not None:
                item.documentsoort = documentsoorten[i]
            goed.append(item)
        except Geweigerd as exc:
            naam = naam_opschonen(bestand.name or "", extensie=extensie_van(bestand.name or ""))
            fout.append(Afgewezen(naam=naam, melding=exc.message))
    return goed, fout


def _nieuwe_sleutel() -> str:
    code = uuid.uuid4().hex
    return f"bijlagen/{code[:2]}/{code}"


class OpslagMislukt(Exception):
    """The storage refused a file (disk full, S3 unreachable, …). Whatever the action stored
    before is removed again by the caller; the partial file by `_opslaan` itself. Views show
    OPSLAG_MISLUKT; bijlagen.middleware does so for any view that lets it through."""


OPSLAG_MISLUKT = _("De bijlage kon niet worden opgeslagen; er is niets toegevoegd.")


def _opslaan(bestand: File) -> str:
    bestand.seek(0)
    sleutel = _nieuwe_sleutel()
    # FileSystemStorage moves a temporary upload into place or copies in chunks; S3 streams a
    # multipart upload: never the whole file in memory.
    try:
        return default_storage.save(sleutel, bestand)
    except Exception as exc:
        # A disk that fills up part-way leaves the bytes written so far (FileSystemStorage does
        # not remove them): remove the partial file under the name just asked for (a fresh
        # random key, so it is ours). Logged without the file's name (it may name a pupil).
        logger.exception("Opslaan van een bijlage mislukt (%s)", type(exc).__name__)
        _opgeslagen_verwijderen([sleutel])
        raise OpslagMislukt(str(OPSLAG_MISLUKT)) from exc


def _alles_opslaan(bestanden: list[File]) -> list[str]:
    """Store the files of one action: all of them, or (raising OpslagMislukt) none."""
    sleutels: list[str] = []
    try:
        for bestand in bestanden:
            sleutels.append(_opslaan(bestand))
    except BaseException:
        _opgeslagen_verwijderen(sleutels)
        raise
    return sleutels


def _opgeslagen_verwijderen(sleutels: list[str]) -> None:
    for sleutel in sleutels:
        try:
            default_storage.delete(sleutel)
        except Exception:  # logged; the daily reconciliation removes what is left over
            logger.exception("Kon opgeslagen bestand %s niet opruimen", sleutel)


def bijlage_concepten_store(
    *, hulpvraag: Hulpvraag, gebruiker: User, bestanden: list[Gecontroleerd]
) -> list[BijlageConcept]:
    """Keep the good files of a refused upload so the form can offer them again."""
    concepten = []
    sleutels = _alles_opslaan([item.bestand for item in bestanden])
    for sleutel, item in zip(sleutels, bestanden, strict=True):
        concepten.append(
            BijlageConcept.objects.create(
                organisatie_id=hulpvraag.organisatie_id,
                hulpvraag=hulpvraag,
                gebruiker=gebruiker,
                sleutel=sleutel,
                originele_naam=item.originele_naam,
                grootte=item.grootte,
                content_type=item.soort.content_type,
                soort=item.soort.code,
                sha256=item.sha256,
                documentsoort=item.documentsoort,
            )
        )
    return concepten


def bijlage_concepten_soort_store(*, concepten: list[BijlageConcept]) -> None:
    """Keep the kinds just chosen for staged files when the upload is refused again."""
    for concept in concepten:
        concept.save(update_fields=["documentsoort"])


def bestanden_store(*, bestanden: list[Gecontroleerd]) -> list[dict]:
    """Store checked files for something that has no hulpvraag yet (the new-dossier wizard's
    concept). Returns per file the metadata a BijlageConcept holds; the caller keeps it and later
    passes it to bijlagen_add as unsaved BijlageConcept(**metadata) items. Nothing fires. The
    wizard has no kind per file, so a file's kind is what its name says (as on the upload page)
    or empty: "overig" when it becomes a bijlage."""
    bewaard = []
    sleutels = _alles_opslaan([item.bestand for item in bestanden])
    try:
        for sleutel, item in zip(sleutels, bestanden, strict=True):
            bewaard.append(
                {
                    "sleutel": sleutel,
                    "originele_naam": item.originele_naam,
                    "grootte": item.grootte,
                    "content_type": item.soort.content_type,
                    "soort": item.soort.code,
                    "sha256": item.sha256,
                    "documentsoort": item.documentsoort
                    or documentsoort_raden(item.originele_naam)
                    or "",
                }
            )
    except BaseException:
        _opgeslagen_verwijderen(sleutels)
        raise
    return bewaard


def bestanden_delete(*, sleutels: list[str]) -> None:
    """Remove stored files that never became (or no longer are) a bijlage."""
    _opgeslagen_verwijderen(list(sleutels))


def _weergavenamen(items: list[tuple[str, str]], *, beantwoordt_vragen: bool) -> list[str]:
    """Display names. Answers to questions are named as the manual asked schools to rename them
    by hand ("beantwoordingvragen" + ddmmjj), numbered when there are several."""
    if not beantwoordt_vragen:
        return [naam for naam, _ext in items]
    stam = f"beantwoordingvragen{timezone.localdate():%d%m%y}"
    if len(items) == 1:
        return [stam + items[0][1]]
    return [f"{stam}-{i}{ext}" for i, (_naam, ext) in enumerate(items, start=1)]


def bijlagen_add(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    bestanden: list[Gecontroleerd],
    concepten: Sequence[BijlageConcept] = (),
    beantwoordt_vragen: bool = False,
    gebeurtenis: bool = True,
    documentsoort: str = Documentsoort.OVERIG,
) -> list[Bijlage]:
    """Add checked files (and previously staged ones) as one upload action. Each file has its own
    kind (`Gecontroleerd.documentsoort`, `BijlageConcept.documentsoort`); a file without one gets
    `documentsoort`, and the answers to questions are always "beantwoording vragen" (one box for
    the whole action). Kinds are validated here too: an unknown one raises ValueError before
    anything is stored. `gebeurtenis=False` for the
    files of a hulpvraag being created (the wizard): nothing was submitted yet, so the engine's
    "bijlage toegevoegd" event does not fire."""
    concepten = list(concepten)

    def soort_van(eigen: str) -> str:
        if beantwoordt_vragen:
            return Documentsoort.BEANTWOORDING_VRAGEN
        return Documentsoort(eigen or documentsoort)  # ValueError for an unknown kind

    soorten = [soort_van(item.documentsoort) for item in bestanden] + [
        soort_van(c.documentsoort) for c in concepten
    ]
    nieuw: list[tuple[str, Gecontroleerd]] = []
    try:
        # Stored inside the try: when the third file does not fit, the first two go again.
        for item in bestanden:
            nieuw.append((_opslaan(item.bestand), item))
        with transaction.atomic():
            upload = uuid.uuid4()
            rijen: list[dict[str, Any]] = [
                {
                    "sleutel": sleutel,
                    "originele_naam": item.originele_naam,
                    "grootte": item.grootte,
                    "content_type": item.soort.content_type,
                    "soort": item.soort.code,
                    "sha256": item.sha256,
                }
                for sleutel, item in nieuw
            ] + [
                {
                    "sleutel": c.sleutel,
                    "originele_naam": c.originele_naam,
                    "grootte": c.grootte,
                    "content_type": c.content_type,
                    "soort": c.soort,
                    "sha256": c.sha256,
                }
                for c in concepten
            ]
            namen = _weergavenamen(
                [
                    (r["originele_naam"], "." + r["originele_naam"].rpartition(".")[2])
                    for r in rijen
                ],
                beantwoordt_vragen=beantwoordt_vragen,
            )
            bijlagen = [
                Bijlage.objects.create(
                    organisatie_id=hulpvraag.organisatie_id,
                    hulpvraag=hulpvraag,
                    naam=naam,
                    beantwoordt_vragen=beantwoordt_vragen,
                    documentsoort=soort,
                    upload=upload,
                    geupload_door=door,
                    scan_status=scan_status_bij_upload(),
                    **rij,
                )
                for naam, soort, rij in zip(namen, soorten, rijen, strict=True)
            ]
            BijlageConcept.objects.filter(pk__in=[c.pk for c in concepten if c.pk]).delete()
            if gebeurtenis:
                _bijlage_toegevoegd(hulpvraag=hulpvraag, door=door)
            if scanner_ingesteld():
                enqueue_on_commit("bijlagen.tasks.scannen_upload", [b.pk for b in bijlagen])
    except BaseException:
        _opgeslagen_verwijderen([sleutel for sleutel, _item in nieuw])
        raise
    return bijlagen


def bijlage_document_add(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    naam: str,
    inhoud: bytes,
    documentsoort: str = Documentsoort.BRIEF,
) -> Bijlage:
    """A document the application made for the SWV (a decision letter) as a bijlage of the
    hulpvraag: checked like an upload, stored, one row. Unlike an upload it fires no event: the
    engine's "bijlage toegevoegd" means the school supplied something (after FA afgegeven, the
    evaluation). Call it inside the caller's transaction; when that transaction fails the caller
    removes the file (`bijlage_bestand_delete`), because storage is not transactional."""
    item = bestand_check(bestand=ContentFile(inhoud, name=naam))
    sleutel = _opslaan(item.bestand)
    bijlage = Bijlage.objects.create(
        organisatie_id=hulpvraag.organisatie_id,
        hulpvraag=hulpvraag,
        naam=item.originele_naam,
        originele_naam=item.originele_naam,
        grootte=item.grootte,
        content_type=item.soort.content_type,
        soort=item.soort.code,
        sha256=item.sha256,
        upload=uuid.uuid4(),
        geupload_door=door,
        sleutel=sleutel,
        documentsoort=documentsoort,
        # Every bijlage is scanned when a scanner is set, whoever made it (one rule, fail closed).
        scan_status=scan_status_bij_upload(),
    )
    if scanner_ingesteld():
        enqueue_on_commit("bijlagen.tasks.scannen_upload", [bijlage.pk])
    return bijlage


def bijlage_bestand_delete(*, sleutels: list[str]) -> None:
    """Remove stored files whose rows were rolled back."""
    _opgeslagen_verwijderen(sleutels)


def _bijlage_toegevoegd(*, hulpvraag: Hulpvraag, door: User) -> None:
    """The engine's event, fired once per upload action inside the rows' transaction: with
    several files the status moves once (the manual's "voeg alles in één keer toe"). Only the
    school's side (the school, its board) supplies information: a document the loket adds (its
    questions, a letter) is no answer and no evaluation, so it moves nothing."""
    if door is None or door.rol not in (Rol.SCHOOL, Rol.BEVOEGD_GEZAG):
        return
    hulpvraag_fire_event(hulpvraag=hulpvraag, event=Trigger.BIJLAGE_TOEGEVOEGD, door=door)


def bijlage_remove(*, bijlage: Bijlage, door: User) -> None:
    """While the hulpvraag is a voorlopige aanvraag (the SWV never saw it) the bijlage is deleted
    with its file; afterwards it is withdrawn: marked, shown as such, the file kept."""
    with transaction.atomic():
        hulpvraag = Hulpvraag.objects.select_related("status").get(pk=bijlage.hulpvraag_id)
        if not hulpvraag.status.zichtbaar_voor_swv and not bijlage.inzages.exists():
            sleutel = bijlage.sleutel
            bijlage.delete()
            transaction.on_commit(lambda: _opgeslagen_verwijderen([sleutel]))
            return
        bijlage.ingetrokken_op = timezone.now()
        bijlage.ingetrokken_door = door
        bijlage.save(update_fields=["ingetrokken_op", "ingetrokken_door"])


def bijlage_soort_change(*, bijlage: Bijlage, documentsoort: str, door: User) -> Bijlage:
    """Correct the kind of a bijlage (callers check bijlage_soort_change_allowed)."""
    bijlage.documentsoort = Documentsoort(documentsoort)
    bijlage.save(update_fields=["documentsoort"])
    return bijlage


def bijlage_download_record(
    *, bijlage: Bijlage, door: User | None, ip_adres: str | None, ouder_uitnodiging=None
) -> None:
    """Record a download before the file leaves (streamed, handed to nginx, or a presigned S3
    URL: bijlagen.views.bijlage_download). Callers check `bijlage.downloadbaar` first (a file
    waiting for its scan or in quarantine never leaves). A parent (no account; `door` None,
    `ouder_uitnodiging` their invitation) is recorded in the audit log only, as "ouder"."""
    if not bijlage.downloadbaar:
        raise ValueError("Deze bijlage is (nog) niet te downloaden.")
    if door is not None:
        BijlageInzage.objects.create(
            organisatie_id=bijlage.organisatie_id,
            bijlage=bijlage,
            gebruiker=door,
            ip_adres=ip_adres,
        )
    # The one audit log the beheerder searches ("who saw this child's dossier?") has it too.
    inzage_record(
        gebruiker=door,
        ouder_uitnodiging=ouder_uitnodiging,
        onderdeel="bijlage",
        leerling_id=bijlage.hulpvraag.leerling_id,
        hulpvraag_id=bijlage.hulpvraag_id,
        details=f"bijlage {bijlage.pk} gedownload",
        ip_adres=ip_adres,
    )


def bijlage_open_for_download(
    *, bijlage: Bijlage, door: User | None, ip_adres: str | None, ouder_uitnodiging=None
) -> File:
    """Record the access, then open the stored file for streaming."""
    bijlage_download_record(
        bijlage=bijlage, door=door, ip_adres=ip_adres, ouder_uitnodiging=ouder_uitnodiging
    )
    return default_storage.open(bijlage.sleutel, "rb")


def bijlage_concepten_cleanup(*, ouder_dan: timedelta = CONCEPT_BEWAARTIJD) -> int:
    """Remove staged files nobody came back for."""
    oud = list(BijlageConcept.objects.filter(aangemaakt_op__lt=timezone.now() - ouder_dan))
    BijlageConcept.objects.filter(pk__in=[c.pk for c in oud]).delete()
    _opgeslagen_verwijderen([c.sleutel for c in oud])
    return len(oud)
