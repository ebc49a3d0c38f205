from __future__ import annotations

from celery import shared_task

from beheer.models import BewaarStatus, Verwijdering
from beheer.services_bewaren import bewaaropdracht_uitvoeren as _uitvoeren
from beheer.services_bewaren import bewaarsignalering_refresh
from organisaties.models import Organisatie


@shared_task(name="beheer.bewaartermijnen_signaleren")
def bewaartermijnen_signaleren() -> dict[str, int]:
    """Daily: list, per organisation, the dossiers whose retention term has passed. Nothing is
    deleted here: the beheerder confirms on the Bewaartermijnen screen. Confirmed jobs whose
    message was lost (the broker was down at the confirmation) are run here."""
    for pk in Verwijdering.objects.filter(status=BewaarStatus.INGEPLAND).values_list(
        "pk", flat=True
    ):
        _uitvoeren(verwijdering_id=pk)
    return {
        org.code: bewaarsignalering_refresh(organisatie_id=org.pk)
        for org in Organisatie.objects.filter(actief=True).only("pk", "code")
    }


@shared_task(name="beheer.bewaaropdracht_uitvoeren", acks_late=True)
def bewaaropdracht_uitvoeren(verwijdering_id: int) -> str:
    """One confirmed retention job (delete or anonymise), queued when the beheerder confirms."""
    return _uitvoeren(verwijdering_id=verwijdering_id).status
