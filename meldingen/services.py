"""The outbox: a status change (the engine's `status_gewijzigd`, received here) or another event
writes meldingen.Notificatie rows in its own transaction; this module turns one row into one
e-mail and records the outcome.

Each row is sent once: a sender claims the row with SELECT … FOR UPDATE SKIP LOCKED (a second
sender skips it instead of waiting), sends while holding the claim, and marks it sent in the same
transaction. A sender that dies mid-send releases the claim with its connection and the row is
sent again by the relay; the deterministic Message-ID lets a mail server recognise that
duplicate. After NOTIFICATIE_MAX_POGINGEN failed attempts a row is "mislukt": it is no longer
tried and the beheerder sees it (with its last error) in the admin.

The mail carries no pupil data (no name, birth date, school or form content): the hulpvraag
type, the new status with its omschrijving, the toelichting and a link.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from dossiers.models import Schoolgegevens
from hulpvragen.models import Hulpvraag, Statuswijziging
from kindkans.tasks import enqueue_on_commit
from meldingen.models import Notificatie, NotificatieSoort
from organisaties.models import Organisatie

logger = logging.getLogger(__name__)


class Uitkomst(enum.StrEnum):
    VERZONDEN = "verzonden"
    OPNIEUW = "opnieuw"  # failed, will be tried again
    MISLUKT = "mislukt"  # failed for the last time
    NIETS = "niets"  # already sent, given up, or being sent by another worker right now


def snelle_pogingen() -> int:
    return settings.NOTIFICATIE_MAX_POGINGEN


def max_pogingen() -> int:
    """The fast attempts (backoff), then the slow ones (NOTIFICATIE_TRAAG_SECONDEN apart until
    NOTIFICATIE_TRAAG_TOT_SECONDEN have passed): a long SMTP outage does not make a row give
    up after an hour; after three days (by default) it is "mislukt"."""
    traag = settings.NOTIFICATIE_TRAAG_TOT_SECONDEN // max(settings.NOTIFICATIE_TRAAG_SECONDEN, 1)
    return snelle_pogingen() + traag


def wachttijd(pogingen: int) -> timedelta:
    """Backoff after the n-th failed attempt: basis · 2^(n-1), at most an hour, during the fast
    attempts; then NOTIFICATIE_TRAAG_SECONDEN (hourly)."""
    if pogingen >= snelle_pogingen():
        return timedelta(seconds=settings.NOTIFICATIE_TRAAG_SECONDEN)
    basis = settings.NOTIFICATIE_RETRY_BASIS_SECONDEN
    return timedelta(seconds=min(basis * 2 ** max(pogingen - 1, 0), 3600))


def notificaties_mislukt() -> QuerySet[Notificatie]:
    return Notificatie.objects.filter(verzonden_op__isnull=True, pogingen__gte=max_pogingen())


@dataclass(frozen=True)
class MailStoring:
    """For the beheerder's start page: mail of the organisation has been failing for a while."""

    wachtend: int  # unsent, failed at least once, older than the threshold, still being tried
    mislukt: int  # given up: "Mislukte e-mails opnieuw proberen" in admin
    sinds: datetime | None  # creation time of the oldest failing row


def mail_storing(*, organisatie_id: int, nu=None) -> MailStoring | None:
    """None while mail flows. A warning once an e-mail of the organisation has been failing for
    longer than NOTIFICATIE_WAARSCHUWING_SECONDEN (an hour), or any has been given up."""
    nu = nu or timezone.now()
    grens = nu - timedelta(seconds=settings.NOTIFICATIE_WAARSCHUWING_SECONDEN)
    rijen = Notificatie.objects.filter(
        organisatie_id=organisatie_id, verzonden_op__isnull=True, pogingen__gte=1
    )
    telling = rijen.aggregate(
        wachtend=Count("pk", filter=Q(aangemaakt_op__lte=grens, pogingen__lt=max_pogingen())),
        mislukt=Count("pk", filter=Q(pogingen__gte=max_pogingen())),
        sinds=Min("aangemaakt_op", filter=Q(aangemaakt_op__lte=grens)),
    )
    if not telling["wachtend"] and not telling["mislukt"]:
        return None
    return MailStoring(
        wachtend=telling["wachtend"], mislukt=telling["mislukt"], sinds=telling["sinds"]
    )


def notificaties_due(*, nu=None, limiet: int = 100) -> list[int]:
    """Ids of unsent rows that the relay should try now, oldest first."""
    nu = nu or timezone.now()
    due = Q()
    vertraging = timedelta(seconds=settings.NOTIFICATIE_RELAY_WACHT_SECONDEN)
    for pogingen in range(max_pogingen()):
        if pogingen:
            vertraging += wachttijd(pogingen)
        due |= Q(pogingen=pogingen, aangemaakt_op__lte=nu - vertraging)
    return list(
        Notificatie.objects.filter(due, verzonden_op__isnull=True)
        .order_by("aangemaakt_op", "id")
        .values_list("pk", flat=True)[:limiet]
    )


def notificatie_bericht(notificatie: Notificatie) -> EmailMultiAlternatives:
    hulpvraag = notificatie.hulpvraag
    context: dict[str, Any] = {
        "type": hulpvraag.get_type_display(),
        "link": settings.SITE_URL.rstrip("/") + reverse("hulpvragen:detail", args=[hulpvraag.pk]),
        "organisatie": notificatie.organisatie.naam,
    }
    if notificatie.soort == NotificatieSoort.OUDER_UITNODIGING:
        # To a parent: no hulpvraag type, no staff link; only the invitation's own link, which
        # opens nothing without the code the school hands over (ouders app).
        context.update(
            type="",
            link=notificatie.tekst,
            geldig_tot=timezone.localtime(notificatie.aangemaakt_op)
            + timedelta(days=settings.OUDERS_UITNODIGING_DAGEN),
        )
        onderwerp = f"Kindkans: {notificatie.onderwerp}"
        sjabloon = "emails/ouder_uitnodiging"
    elif notificatie.soort == NotificatieSoort.BERICHT:
        context.update(tekst=notificatie.tekst, op=timezone.localtime(notificatie.aangemaakt_op))
        onderwerp = f"Kindkans: {context['type']} – {notificatie.onderwerp}"
        sjabloon = "emails/bericht"
    else:
        wijziging = notificatie.statuswijziging
        # Every outbox row of a status change is made with its Statuswijziging (hulpvragen engine).
        assert wijziging is not None
        context.update(
            status=wijziging.naar.naam,
            omschrijving=wijziging.naar.omschrijving,
            toelichting=wijziging.toelichting,
            op=timezone.localtime(wijziging.op),
        )
        onderwerp = f"Kindkans: {context['type']} – {context['status']}"
        sjabloon = (
            "emails/swv_informeren"
            if notificatie.soort == NotificatieSoort.SWV_INFORMEREN
            else "emails/status_gewijzigd"
        )
    context["onderwerp"] = onderwerp
    domein = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    bericht = EmailMultiAlternatives(
        subject=onderwerp,
        body=render_to_string(f"{sjabloon}.txt", context),
        to=[notificatie.ontvanger],
        headers={
            # The same row always gets the same Message-ID: a resend after a crash is
            # recognisable as the same message.
            "Message-ID": f"<notificatie-{notificatie.pk}@{domein}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    bericht.attach_alternative(render_to_string(f"{sjabloon}.html", context), "text/html")
    return bericht


def notificatie_send(*, notificatie_id: int) -> Uitkomst:
    """Claim, send and record one outbox row. Never raises for a mail failure: the outcome says
    whether to try again."""
    with transaction.atomic():
        notificatie = (
            Notificatie.objects.select_for_update(skip_locked=True)
            .filter(pk=notificatie_id, verzonden_op__isnull=True, pogingen__lt=max_pogingen())
            .first()
        )
        if notificatie is None:
            return Uitkomst.NIETS
        notificatie = Notificatie.objects.select_related(
            "organisatie", "hulpvraag", "statuswijziging__naar"
        ).get(pk=notificatie.pk)
        notificatie.pogingen += 1
        try:
            notificatie_bericht(notificatie).send(fail_silently=False)
        except Exception as exc:  # SMTP refusals, timeouts, DNS: all recorded, all retried
            notificatie.laatste_fout = (
                f"{timezone.now():%d-%m-%Y %H:%M:%S} {type(exc).__name__}: {exc}"[:2000]
            )
            notificatie.save(update_fields=["pogingen", "laatste_fout"])
            logger.warning(
                "Notificatie %s niet verzonden (poging %s): %s",
                notificatie.pk,
                notificatie.pogingen,
                exc,
            )
            return Uitkomst.MISLUKT if notificatie.pogingen >= max_pogingen() else Uitkomst.OPNIEUW
        notificatie.verzonden_op = timezone.now()
        velden = ["pogingen", "verzonden_op"]
        if notificatie.soort == NotificatieSoort.OUDER_UITNODIGING:
            # The parent's link is only needed until it is sent: the outbox does not keep it.
            notificatie.tekst = ""
            velden.append("tekst")
        notificatie.save(update_fields=velden)
        return Uitkomst.VERZONDEN


def notificaties_enqueue(*, notificaties: list[Notificatie]) -> None:
    """Queue delivery once the status change commits: one broker call for all rows of the change
    (a broker that is down costs the request one bounded attempt; the relay sends them later)."""
    ids = [n.pk for n in notificaties if n.pk is not None]
    if ids:
        enqueue_on_commit("meldingen.tasks.notificaties_verzenden", ids)


def notificaties_retry(*, notificaties: QuerySet[Notificatie]) -> int:
    """The beheerder retries failed e-mails (after fixing the mail server): their attempts start
    again and they are queued after commit. Sent rows are never sent again."""
    with transaction.atomic():
        mislukt = list(notificaties.filter(verzonden_op__isnull=True, pogingen__gte=max_pogingen()))
        Notificatie.objects.filter(pk__in=[n.pk for n in mislukt]).update(pogingen=0)
        notificaties_enqueue(notificaties=mislukt)
    return len(mislukt)


# --- Writing the outbox -------------------------------------------------------------------------


def aanvrager_notify(*, hulpvraag: Hulpvraag, onderwerp: str, tekst: str) -> Notificatie | None:
    """Mail the aanvrager (the e-mail address on Schoolgegevens, so a personeelswijziging
    re-routes it) about this hulpvraag outside a status change: an Aanpak posted, a reminder.
    Written to the outbox in the caller's transaction and delivered after commit, like every
    status mail. The caller keeps pupil data (name, birth date, school) out of onderwerp and
    tekst: the mail adds the hulpvraag type and a link. No address: nothing to send (None)."""
    email = Schoolgegevens.objects.values_list("email", flat=True).get(
        pk=hulpvraag.schoolgegevens_id
    )
    if not email:
        return None
    notificatie = Notificatie.objects.create(
        organisatie_id=hulpvraag.organisatie_id,
        hulpvraag=hulpvraag,
        ontvanger=email,
        soort=NotificatieSoort.BERICHT,
        onderwerp=onderwerp,
        tekst=tekst,
    )
    notificaties_enqueue(notificaties=[notificatie])
    return notificatie


def status_gewijzigd_receive(
    sender, *, hulpvraag: Hulpvraag, wijziging: Statuswijziging, **kwargs
) -> None:
    """A change by anyone other than the aanvrager mails the aanvrager's contact
    address on Schoolgegevens (so a personeelswijziging re-routes it); a status marked
    `swv_informeren` (indienen, aangevuld, …) mails the SWV: the coordinator, else the loket.
    Receives the engine's `status_gewijzigd` (meldingen.apps), so the rows are written in the
    transaction of the change."""
    rows = []
    sg = Schoolgegevens.objects.only("email", "aanvrager_id").get(pk=hulpvraag.schoolgegevens_id)
    if (wijziging.door_id is None or wijziging.door_id != sg.aanvrager_id) and sg.email:
        rows.append((sg.email, NotificatieSoort.STATUS_GEWIJZIGD))
    if wijziging.naar.swv_informeren:
        ontvanger = ""
        if hulpvraag.coordinator_id:
            ontvanger = (
                User.objects.filter(pk=hulpvraag.coordinator_id)
                .values_list("email", flat=True)
                .first()
                or ""
            )
        if not ontvanger:
            ontvanger = Organisatie.objects.values_list("loket_email", flat=True).get(
                pk=hulpvraag.organisatie_id
            )
        rows.append((ontvanger, NotificatieSoort.SWV_INFORMEREN))
    notificaties = Notificatie.objects.bulk_create(
        Notificatie(
            organisatie_id=hulpvraag.organisatie_id,
            hulpvraag=hulpvraag,
            statuswijziging=wijziging,
            ontvanger=ontvanger,
            soort=soort,
        )
        for ontvanger, soort in rows
    )
    # Delivery (meldingen) is queued for after the commit; the beat relay covers a lost queue.
    notificaties_enqueue(notificaties=notificaties)
