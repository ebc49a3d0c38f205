from __future__ import annotations

from celery import shared_task
from django.conf import settings

from bijlagen.opslagcontrole import opslag_controleren as controleren
from bijlagen.scan import ScanUitkomst, bijlage_scan, bijlagen_wachtend
from bijlagen.services import bijlage_concepten_cleanup

SCAN_MAX_HERHALINGEN = 6


@shared_task(name="bijlagen.concepten_opruimen")
def concepten_opruimen() -> int:
    """Staged files of refused uploads that nobody came back for (older than 24 hours)."""
    return bijlage_concepten_cleanup()


def _opnieuw_inplannen(bijlage_id: int, herhaling: int) -> None:
    """The scanner failed: try again with backoff (30 s, 1, 2, 4 … min, at most an hour). In-process
    (no broker) a countdown would block the request; there only the beat sweep retries."""
    if settings.CELERY_TASK_ALWAYS_EAGER or herhaling >= SCAN_MAX_HERHALINGEN:
        return
    scannen.apply_async((bijlage_id, herhaling + 1), countdown=min(3600, 30 * 2**herhaling))


@shared_task(name="bijlagen.scannen", acks_late=True)
def scannen(bijlage_id: int, herhaling: int = 0) -> str:
    uitkomst = bijlage_scan(bijlage_id=bijlage_id)
    if uitkomst is ScanUitkomst.OPNIEUW:
        _opnieuw_inplannen(bijlage_id, herhaling)
    return uitkomst.value


@shared_task(name="bijlagen.scannen_upload", acks_late=True)
def scannen_upload(bijlage_ids: list[int]) -> list[str]:
    """The on-commit task of one upload action: one broker message for all its files (a broker
    that is down costs the request one bounded attempt, not one per file)."""
    return [scannen(bijlage_id) for bijlage_id in bijlage_ids]


@shared_task(name="bijlagen.scans_herhalen")
def scans_herhalen() -> dict[str, int]:
    """Beat: scan every file still waiting (the scanner was down, a task was lost)."""
    telling: dict[str, int] = {}
    for bijlage_id in bijlagen_wachtend():
        uitkomst = bijlage_scan(bijlage_id=bijlage_id)
        telling[uitkomst.value] = telling.get(uitkomst.value, 0) + 1
    return telling


@shared_task(name="bijlagen.opslag_controleren")
def opslag_controleren() -> dict[str, int]:
    """Daily: files without a row removed, rows without a file reported to the beheerders."""
    uitslag = controleren()
    return {
        "verwijderd": len(uitslag.verwijderd),
        "ontbrekend": sum(len(r) for r in uitslag.ontbrekend.values()),
    }
