from __future__ import annotations

from celery import shared_task

from bijlagen.services import bijlage_concepten_cleanup


@shared_task(name="bijlagen.concepten_opruimen")
def concepten_opruimen() -> int:
    """Staged files of refused uploads that nobody came back for (older than 24 hours)."""
    return bijlage_concepten_cleanup()
