"""The audit log and the one append-only base every history table uses.

This app is the ground floor of the house: it imports no other app of the project (its foreign
keys name the models as strings), so every app can write to the audit log without an import
pointing upwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kindkans.models import OrganisatieGebonden


class AppendOnlyError(Exception):
    """A row of an append-only log was about to be changed or deleted through the application."""


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update and delete would rewrite history: they are refused like a single row's.

    A cascade from a deleted parent (retention) is not refused: Django's deletion collector
    deletes the rows without this queryset's `delete`."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label}: rows are never changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model._meta.label}: rows are never changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label}: rows are never deleted.")

    def purge_for_retention(self) -> int:
        """Delete the rows for the retention job only: the one way a row leaves the log (the
        data they are about is deleted with them). Returns the number deleted."""
        return self._raw_delete(self.db)


class AppendOnlyModel(models.Model):
    """Base of every append-only log (the access log, the downloads, the status history, the
    security log, the school history): rows are added, never changed or deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label}: rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label}: rows are never deleted.")


class InzageActie(models.TextChoices):
    BEKEKEN = "bekeken", _("bekeken")
    GEWIJZIGD = "gewijzigd", _("gewijzigd")
    AANGEMAAKT = "aangemaakt", _("aangemaakt")
    TOEGANG_VERLEEND = "toegang_verleend", _("toegang verleend")
    TOEGANG_INGETROKKEN = "toegang_ingetrokken", _("toegang ingetrokken")
    VIRUS_GEVONDEN = "virus_gevonden", _("virus gevonden, in quarantaine")


class Inzage(AppendOnlyModel, OrganisatieGebonden):
    """Audit record of access to pupil data: who, what, when, from where."""

    # Empty only for a parent (no account): then `ouder_uitnodiging_id` names the invitation
    # whose session acted, and the actor shows as "ouder".
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    ouder_uitnodiging_id = models.BigIntegerField(_("uitnodiging ouder"), null=True, blank=True)
    actie = models.CharField(_("actie"), max_length=24, choices=InzageActie.choices)
    onderdeel = models.CharField(
        _("onderdeel"), max_length=40, help_text=_("Scherm of tabblad, bijvoorbeeld “lijst”.")
    )
    # Plain ids rather than foreign keys: the record must outlive the data it is about.
    leerling_id = models.BigIntegerField(_("leerling"), null=True, blank=True)
    hulpvraag_id = models.BigIntegerField(_("hulpvraag"), null=True, blank=True)
    details = models.CharField(_("details"), max_length=300, blank=True)
    op = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    # From which address (the request's client address; empty for background work).
    ip_adres = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)

    class Meta:
        verbose_name = _("inzage (auditlog)")
        verbose_name_plural = _("inzage (auditlog)")
        ordering = ["-op", "-id"]
        indexes = [
            models.Index(
                fields=["organisatie", "leerling_id", "-op"], name="inzage_org_leerling_op"
            ),
            models.Index(
                fields=["organisatie", "gebruiker", "-op"], name="inzage_org_gebruiker_op"
            ),
            # The audit log search by period only (beheer/auditlog.py).
            models.Index(fields=["organisatie", "-op"], name="inzage_org_op"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(gebruiker__isnull=False) | Q(ouder_uitnodiging_id__isnull=False),
                name="inzage_gebruiker_of_ouder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.op:%d-%m-%Y %H:%M} {self.door} {self.actie} {self.onderdeel}"

    @property
    def door(self) -> str:
        """The actor as the audit log shows it: the user, or "ouder" with the invitation."""
        if self.gebruiker_id is None and self.ouder_uitnodiging_id is not None:
            return f"ouder (uitnodiging {self.ouder_uitnodiging_id})"
        return str(self.gebruiker)


class BijlageInzage(AppendOnlyModel):
    """Who downloaded which bijlage, when, from where. Never the content."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie", on_delete=models.PROTECT, related_name="+"
    )
    bijlage = models.ForeignKey(
        "bijlagen.Bijlage",
        on_delete=models.PROTECT,
        related_name="inzages",
        verbose_name=_("bijlage"),
    )
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    op = models.DateTimeField(_("op"), auto_now_add=True, db_index=True)
    ip_adres = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)

    class Meta:
        verbose_name = _("inzage bijlage")
        verbose_name_plural = _("inzage bijlagen")
        ordering = ["-op"]

    def __str__(self) -> str:
        # The bijlage by number: its name often carries the pupil's (admin shows this to the
        # beheerder, who has no pupil access).
        return f"{self.gebruiker} · bijlage {self.bijlage_id} · {self.op:%d-%m-%Y %H:%M}"
