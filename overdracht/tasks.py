"""Celery tasks of the overdracht app: they take ids and call its services."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from overdracht import uitnodigingen


@shared_task(
    name="overdracht.uitnodiging_mailen",
    autoretry_for=(OSError, SMTPException),
    retry_backoff=60,
    retry_backoff_max=60 * 60,
    max_retries=8,
)
def uitnodiging_mailen(*, uitnodiging_id: int) -> bool:
    """One invitation mail. A retry makes a new link, so only the link in the mail that
    arrives works."""
    return uitnodigingen.uitnodiging_mailen(uitnodiging_id=uitnodiging_id)


@shared_task(name="overdracht.export_maken")
def export_maken(*, export_id: int, versleuteld: str) -> str:
    """One full export. Not retried: the one-time key is wiped at the start, so a retry could
    not decrypt the passphrase; a failed export shows "mislukt" and the beheerder starts anew."""
    from overdracht.exporteren import export_maken as maken

    return maken(export_id=export_id, versleuteld=versleuteld)
