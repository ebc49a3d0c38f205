"""A task for the Celery integration tests only. The test worker imports it with `-I`; the
application never does."""

from __future__ import annotations

import os

from celery import shared_task

from organisaties.models import Nieuwsbericht


@shared_task(name="tests.probe_mark_processed")
def probe_mark_processed(nieuwsbericht_id: int) -> int:
    """Load a committed row by id and stamp it with this process's pid: proves both that the
    worker saw the committed data and which process did the work."""
    bericht = Nieuwsbericht.objects.get(pk=nieuwsbericht_id)
    bericht.tekst = f"verwerkt door pid {os.getpid()}"
    bericht.save(update_fields=["tekst"])
    return os.getpid()
