"""Celery tasks of besluiten: they take ids and call the besluiten services."""

from __future__ import annotations

from celery import shared_task

from besluiten import services_brieven, services_herinneringen


@shared_task(name="besluiten.brief_pdf_maken")
def brief_pdf_maken(model: str, pk: int) -> bool:
    """After a decision commits: the PDF of its letter (LibreOffice), when installed."""
    return services_brieven.brief_pdf_maken(model=model, pk=pk) is not None


@shared_task(name="besluiten.fa_evaluatie_herinneren")
def fa_evaluatie_herinneren() -> int:
    """Beat, daily: remind aanvragers of an FA evaluation that is due soon (idempotent)."""
    return services_herinneringen.fa_herinneringen_send()


@shared_task(name="besluiten.tlv_verlenging_herinneren")
def tlv_verlenging_herinneren() -> int:
    """Beat, daily: tell aanvragers a TLV ends soon and no renewal is under way (idempotent)."""
    return services_herinneringen.tlv_herinneringen_send()
