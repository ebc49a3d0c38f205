"""Reminders to the aanvrager (daily beat tasks): the FA evaluation that is due and the TLV that
ends. Once per record, through the notification outbox, never with pupil data."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from besluiten import brieven
from besluiten.models import (
    FinancieelArrangement,
    Toelaatbaarheidsverklaring,
)
from besluiten.selectors import tlv_verloopt_q
from hulpvragen.models import Hulpvraag
from hulpvragen.selectors import open_q
from meldingen.services import aanvrager_notify

logger = logging.getLogger(__name__)


def _herinneringen_versturen(
    *, kandidaten: QuerySet, bericht: Callable[[Any], tuple[str, str]], wat: str
) -> int:
    """The one reminder mechanism: for each record in `kandidaten` (FinancieelArrangement or
    Toelaatbaarheidsverklaring, both with `herinnering_op`) not yet reminded, write one message
    (`bericht(record)` → onderwerp, tekst) to the aanvrager's contact address into the
    notification outbox.
    Idempotent: a record is claimed with SELECT … FOR UPDATE SKIP LOCKED, `kandidaten`' condition
    is checked again under that lock, and `herinnering_op` is set in the same transaction as the
    outbox row, so two runs never remind twice. Without an address, or at a closed school,
    nothing is written (and `herinnering_op` stays empty). The caller keeps pupil data out of
    the message."""
    kandidaten = kandidaten.filter(herinnering_op__isnull=True)
    verstuurd = 0
    for pk in list(kandidaten.values_list("pk", flat=True)):
        with transaction.atomic():
            record = (
                kandidaten.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
            )
            if record is None:
                continue
            hulpvraag = Hulpvraag.objects.select_related("schoolgegevens__school").get(
                pk=record.hulpvraag_id
            )
            if not hulpvraag.schoolgegevens.school.actief:
                # A closed school reads no mail; the loket's werkvoorraad shows "nog niet".
                logger.warning("%s %s: school opgeheven, geen herinnering", wat, record.pk)
                continue
            onderwerp, tekst = bericht(record)
            notificatie = aanvrager_notify(hulpvraag=hulpvraag, onderwerp=onderwerp, tekst=tekst)
            if notificatie is None:
                # Not marked as reminded, so "School gemaild" stays "nog niet" (true) and the
                # next run tries again once the address is filled in.
                logger.warning("%s %s: geen contactadres voor de herinnering", wat, record.pk)
                continue
            record.herinnering_op = timezone.now()
            record.save(update_fields=["herinnering_op"])
            verstuurd += 1
    return verstuurd


def fa_herinneringen_send(*, vandaag: date | None = None) -> int:
    """Beat (daily): for each Financieel Arrangement whose evaluatiedatum is within
    FA_EVALUATIE_HERINNERING_WEKEN and whose hulpvraag still waits for the evaluation (open:
    "FA afgegeven" is final but configured for that follow-up), one reminder to the aanvrager
    (_herinneringen_versturen: once, no pupil data)."""
    vandaag = vandaag or timezone.localdate()
    grens = vandaag + timedelta(weeks=settings.FA_EVALUATIE_HERINNERING_WEKEN)

    def bericht(fa: FinancieelArrangement) -> tuple[str, str]:
        datum = brieven.datum(fa.evaluatiedatum)
        # No pupil data: the mail adds only the hulpvraag type and a link.
        return (
            _("evaluatie uiterlijk %(datum)s") % {"datum": datum},
            _(
                "Het samenwerkingsverband heeft een Financieel Arrangement toegewezen. De "
                "evaluatie daarvan moet uiterlijk %(datum)s worden toegevoegd. Voeg de "
                "evaluatie toe als bijlage bij de hulpvraag in Kindkans; de status wijzigt "
                "dan automatisch naar “FA evaluatie toegevoegd”."
            )
            % {"datum": datum},
        )

    return _herinneringen_versturen(
        kandidaten=FinancieelArrangement.objects.filter(evaluatiedatum__lte=grens).filter(
            open_q("hulpvraag__")
        ),
        bericht=bericht,
        wat="FA",
    )


def tlv_herinneringen_send(*, vandaag: date | None = None) -> int:
    """Beat (daily): for each TLV whose einddatum is within TLV_VERLENGING_SIGNAAL_WEKEN (and not
    past) while no renewal is under way (besluiten.selectors.tlv_verloopt_q: no newer TLV of the
    pupil, no open TLV VSO/PrO hulpvraag made after it), one message to the aanvrager of the
    TLV's hulpvraag that the TLV ends and a new aanvraag must be filed in time
    (_herinneringen_versturen: once, no pupil data)."""
    vandaag = vandaag or timezone.localdate()

    def bericht(tlv: Toelaatbaarheidsverklaring) -> tuple[str, str]:
        datum = brieven.datum(tlv.einddatum)
        # No pupil data: the mail adds only the hulpvraag type and a link.
        return (
            _("TLV loopt af op %(datum)s") % {"datum": datum},
            _(
                "De toelaatbaarheidsverklaring (TLV) die het samenwerkingsverband bij deze "
                "hulpvraag heeft afgegeven, loopt af op %(datum)s. Is daarna nog plaatsing in "
                "het speciaal onderwijs of praktijkonderwijs nodig, dien dan op tijd een nieuwe "
                "aanvraag in via Kindkans, zodat het samenwerkingsverband vóór die datum kan "
                "besluiten."
            )
            % {"datum": datum},
        )

    return _herinneringen_versturen(
        kandidaten=Toelaatbaarheidsverklaring.objects.filter(tlv_verloopt_q(vandaag=vandaag)),
        bericht=bericht,
        wat="TLV",
    )
