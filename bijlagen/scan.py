"""The optional virus scan of bijlagen: clamd's INSTREAM over TCP through clamav-client.

With CLAMD_HOST set, a new bijlage starts as "wacht op virusscan" and cannot be downloaded. A
Celery task (queued when the upload commits; in-process without REDIS_URL) streams the stored file
to clamd. A clean verdict makes it downloadable; a virus puts it in quarantine (the file moves to
a separate storage prefix, the row says so, the access audit log records it). When clamd cannot
be reached, or answers with an error, nothing changes except the attempt counter and the last
error: the file keeps waiting (fail closed) and is scanned again by the task's retry and by the
beat sweep.
"""

from __future__ import annotations

import enum
import logging
import uuid
from typing import BinaryIO, cast

from clamav_client.clamd import ClamdError, ClamdNetworkSocket
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from audit.models import InzageActie
from audit.services import inzage_record
from bijlagen.models import Bijlage, ScanStatus

logger = logging.getLogger(__name__)


class ScanUitkomst(enum.Enum):
    SCHOON = "schoon"
    BESMET = "besmet"
    OPNIEUW = "opnieuw"  # the scanner failed; the file still waits
    OVERGESLAGEN = "overgeslagen"  # not waiting (any more), or another worker holds it


def scanner_ingesteld() -> bool:
    return bool(settings.CLAMD_HOST)


def scan_status_bij_upload() -> str:
    return ScanStatus.WACHT if scanner_ingesteld() else ScanStatus.NIET_GESCAND


class ScannerFout(Exception):
    pass


def _instream(sleutel: str) -> tuple[bool, str]:
    """(infected, signature) from clamd for the stored file. Raises ScannerFout when there is no
    clear verdict (unreachable, timeout, an ERROR answer): never "clean" by default."""
    host = settings.CLAMD_HOST
    if not host:
        raise ScannerFout("CLAMD_HOST is niet ingesteld")
    scanner = ClamdNetworkSocket(
        host=host, port=settings.CLAMD_PORT, timeout=settings.CLAMD_TIMEOUT
    )
    try:
        with default_storage.open(sleutel, "rb") as bestand:
            uitslag = scanner.instream(cast(BinaryIO, bestand))
    except (ClamdError, OSError) as exc:
        raise ScannerFout(f"{type(exc).__name__}: {exc}"[:250]) from exc
    status, reden = uitslag.get("stream", (None, None))
    if status == "OK":
        return False, ""
    if status == "FOUND":
        return True, str(reden or "onbekend virus")[:200]
    raise ScannerFout(f"Onverwacht antwoord van clamd: {uitslag!r}"[:250])


def _in_quarantaine(bijlage: Bijlage) -> str:
    """Copy the file under the quarantine prefix; the original key is removed after commit."""
    code = uuid.uuid4().hex
    with default_storage.open(bijlage.sleutel, "rb") as bron:
        return default_storage.save(f"quarantaine/{code[:2]}/{code}", bron)


def bijlage_scan(*, bijlage_id: int) -> ScanUitkomst:
    """Scan one waiting bijlage. The row is claimed (FOR UPDATE SKIP LOCKED on PostgreSQL) while
    clamd reads it, so two workers never scan the same file at once."""
    with transaction.atomic():
        bijlage = (
            Bijlage.objects.select_for_update(skip_locked=True)
            .select_related("hulpvraag")
            .filter(pk=bijlage_id, scan_status=ScanStatus.WACHT)
            .first()
        )
        if bijlage is None:
            return ScanUitkomst.OVERGESLAGEN
        bijlage.scan_pogingen += 1
        try:
            besmet, virus = _instream(bijlage.sleutel)
        except ScannerFout as exc:
            logger.warning("Virusscan van bijlage %s mislukt: %s", bijlage.pk, exc)
            bijlage.scan_melding = f"{timezone.now():%d-%m-%Y %H:%M:%S} {exc}"[:300]
            bijlage.save(update_fields=["scan_pogingen", "scan_melding"])
            return ScanUitkomst.OPNIEUW
        bijlage.scan_op = timezone.now()
        if not besmet:
            bijlage.scan_status = ScanStatus.SCHOON
            bijlage.scan_melding = ""
            bijlage.save(update_fields=["scan_status", "scan_op", "scan_pogingen", "scan_melding"])
            return ScanUitkomst.SCHOON
        oude_sleutel = bijlage.sleutel
        bijlage.sleutel = _in_quarantaine(bijlage)
        bijlage.scan_status = ScanStatus.BESMET
        bijlage.scan_melding = virus
        bijlage.save(
            update_fields=["sleutel", "scan_status", "scan_op", "scan_pogingen", "scan_melding"]
        )
        # Recorded against the uploader's name (whose upload it was); the virus name, never the
        # content or the file name.
        inzage_record(
            gebruiker=bijlage.geupload_door,
            onderdeel="bijlagen",
            actie=InzageActie.VIRUS_GEVONDEN,
            leerling_id=bijlage.hulpvraag.leerling_id,
            hulpvraag_id=bijlage.hulpvraag_id,
            details=f"bijlage {bijlage.pk}: {virus}; in quarantaine",
        )
        transaction.on_commit(lambda: default_storage.delete(oude_sleutel))
        logger.warning("Virus %s in bijlage %s: in quarantaine", virus, bijlage.pk)
        return ScanUitkomst.BESMET


def bijlagen_wachtend() -> list[int]:
    return list(
        Bijlage.objects.filter(scan_status=ScanStatus.WACHT)
        .order_by("id")
        .values_list("pk", flat=True)
    )
