"""Celery tasks of the accounts app. They take plain values and call accounts.services."""

from __future__ import annotations

from celery import shared_task

from accounts import services


@shared_task(name="accounts.wachtwoord_herstel_verzenden")
def wachtwoord_herstel_verzenden(*, organisatie_id: int | None, invoer: str, ip: str | None) -> int:
    """One password-reset request: find the accounts, mail the links, log the request.

    Not retried automatically: a retry after a partial send would mail some accounts twice, and
    the person waiting for the mail simply asks again (the failure is in the worker's log)."""
    return services.wachtwoord_herstel_verzenden(
        organisatie_id=organisatie_id, invoer=invoer, ip=ip
    )
