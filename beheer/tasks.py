from __future__ import annotations

from celery import shared_task

from beheer.services import bewaarsignalering_refresh
from organisaties.models import Organisatie


@shared_task(name="beheer.bewaartermijnen_signaleren")
def bewaartermijnen_signaleren() -> dict[str, int]:
    """Daily: list, per organisation, the dossiers whose retention term has passed. Nothing is
    deleted here: the beheerder confirms on the Bewaartermijnen screen."""
    return {
        org.code: bewaarsignalering_refresh(organisatie_id=org.pk)
        for org in Organisatie.objects.filter(actief=True).only("pk", "code")
    }
