"""Celery tasks that deliver the outbox. They take ids and call meldingen.services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from meldingen.models import Notificatie
from meldingen.services import (
    Uitkomst,
    notificatie_send,
    notificaties_due,
    snelle_pogingen,
    wachttijd,
)


def _opnieuw_inplannen(notificatie_id: int) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # In-process (no broker) a countdown would block the request; the row stays in the
        # outbox with its error and is retried by the next relay.
        return
    pogingen = Notificatie.objects.values_list("pogingen", flat=True).get(pk=notificatie_id)
    if pogingen >= snelle_pogingen():
        # The slow (hourly) attempts are the beat relay's: no hour-long countdown messages in
        # the broker (they would outlive its visibility timeout and be delivered twice).
        return
    notificatie_verzenden.apply_async(
        (notificatie_id,), countdown=wachttijd(pogingen).total_seconds()
    )


@shared_task(name="meldingen.notificatie_verzenden", acks_late=True)
def notificatie_verzenden(notificatie_id: int) -> str:
    uitkomst = notificatie_send(notificatie_id=notificatie_id)
    if uitkomst is Uitkomst.OPNIEUW:
        _opnieuw_inplannen(notificatie_id)
    return uitkomst.value


@shared_task(name="meldingen.notificaties_verzenden", acks_late=True)
def notificaties_verzenden(notificatie_ids: list[int]) -> list[str]:
    """The on-commit task of one status change (one broker message for all its rows)."""
    return [notificatie_verzenden(notificatie_id) for notificatie_id in notificatie_ids]


@shared_task(name="meldingen.notificaties_doorsturen")
def notificaties_doorsturen() -> int:
    """Beat: send what the on-commit path did not (the broker was down at commit, a worker died,
    a retry message was lost). Returns how many rows were sent."""
    verzonden = 0
    for notificatie_id in notificaties_due():
        if notificatie_send(notificatie_id=notificatie_id) is Uitkomst.VERZONDEN:
            verzonden += 1
    return verzonden
