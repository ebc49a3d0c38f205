"""Celery tasks of the accounts app. They take plain values and call accounts.services."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from accounts import services
from accounts.eenmalig import inzendingen_opruimen as opruimen


@shared_task(name="accounts.wachtwoord_herstel_verzenden")
def wachtwoord_herstel_verzenden(*, organisatie_id: int | None, invoer: str, ip: str | None) -> int:
    """One password-reset request: find the accounts, mail the links, log the request.

    Not retried automatically: a retry after a partial send would mail some accounts twice, and
    the person waiting for the mail simply asks again (the failure is in the worker's log)."""
    return services.wachtwoord_herstel_verzenden(
        organisatie_id=organisatie_id, invoer=invoer, ip=ip
    )


@shared_task(
    name="accounts.reservecodes_vernieuwd_mailen",
    autoretry_for=(OSError, SMTPException),
    retry_backoff=60,
    retry_backoff_max=60 * 60,
    max_retries=8,
)
def reservecodes_vernieuwd_mailen(*, gebruiker_id: int, telefoon: bool = False) -> bool:
    """Tell the user that new backup codes were made (and, with `telefoon`, a new app linked).
    One recipient, so a retry after a failed SMTP call cannot mail anyone twice but that user."""
    return services.reservecodes_vernieuwd_mailen(gebruiker_id=gebruiker_id, telefoon=telefoon)


@shared_task(name="accounts.inzendingen_opruimen")
def inzendingen_opruimen() -> int:
    """Daily: one-time form tokens older than two days (accounts.eenmalig)."""
    return opruimen()
