"""The outbox: e-mails to send, written in the transaction of the change that causes them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kindkans.models import MetAangemaakt, OrganisatieGebonden


class NotificatieSoort(models.TextChoices):
    STATUS_GEWIJZIGD = "status_gewijzigd", _("status gewijzigd (aan de aanvrager)")
    SWV_INFORMEREN = "swv_informeren", _("ingediend of aangevuld (aan het samenwerkingsverband)")
    # Not tied to a status change: an Aanpak posted, a reminder before an evaluatiedatum, … The
    # caller writes onderwerp and tekst, and keeps pupil data out of them.
    BERICHT = "bericht", _("bericht over een hulpvraag (aan de aanvrager)")
    # The link for a parent (ouders app); the mail carries no pupil data, only the link.
    OUDER_UITNODIGING = "ouder_uitnodiging", _("uitnodiging voor een ouder")


class Notificatie(OrganisatieGebonden, MetAangemaakt):
    """Outbox: an e-mail to send, written in the same transaction as the status change (or other
    event) that causes it (so a rolled-back change never mails). Delivery (relay, templates,
    retries) reads the rows with verzonden_op empty; it never writes pupil data into the mail."""

    hulpvraag = models.ForeignKey(
        "hulpvragen.Hulpvraag",
        on_delete=models.CASCADE,
        related_name="notificaties",
        verbose_name=_("hulpvraag"),
    )
    statuswijziging = models.ForeignKey(
        "hulpvragen.Statuswijziging",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notificaties",
        verbose_name=_("statuswijziging"),
    )
    ontvanger = models.EmailField(_("ontvanger"))
    soort = models.CharField(_("soort"), max_length=30, choices=NotificatieSoort.choices)
    onderwerp = models.CharField(_("onderwerp"), max_length=200, blank=True)
    tekst = models.TextField(_("tekst"), blank=True)
    verzonden_op = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    pogingen = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    laatste_fout = models.TextField(_("laatste fout"), blank=True)

    class Meta:
        verbose_name = _("notificatie")
        verbose_name_plural = _("notificaties")
        ordering = ["aangemaakt_op", "id"]
        constraints = [
            # Only a "bericht" stands on its own; the status mails are about one change.
            models.CheckConstraint(
                condition=Q(statuswijziging__isnull=False)
                | Q(soort__in=["bericht", "ouder_uitnodiging"]),
                name="notificatie_statuswijziging_of_bericht",
            ),
        ]
        indexes = [
            # The relay's query: what is still to be sent, oldest first.
            models.Index(
                fields=["aangemaakt_op"],
                condition=Q(verzonden_op__isnull=True),
                name="notificatie_te_verzenden",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} → {self.ontvanger}"
