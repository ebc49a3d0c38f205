"""Celery tasks of besluiten: they take ids and call the besluiten services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="besluiten.brief_pdf_maken")
def brief_pdf_maken(model: str, pk: int) -> bool:
    """After a decision commits: the PDF of its letter (LibreOffice), when installed."""
    from besluiten.services_brieven import brief_pdf_maken as maken

    return maken(model=model, pk=pk) is not None


@shared_task(name="besluiten.fa_evaluatie_herinneren")
def fa_evaluatie_herinneren() -> int:
    """Beat, daily: remind aanvragers of an FA evaluation that is due soon (idempotent)."""
    from besluiten.services_herinneringen import fa_herinneringen_versturen

    return fa_herinneringen_versturen()


@shared_task(name="besluiten.tlv_verlenging_herinneren")
def tlv_verlenging_herinneren() -> int:
    """Beat, daily: tell aanvragers a TLV ends soon and no renewal is under way (idempotent)."""
    from besluiten.services_herinneringen import tlv_herinneringen_versturen

    return tlv_herinneringen_versturen()
