"""The loket's own rows: the decision clock per hulpvraag (kept in step with every status change)
and the loket settings per organisation."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.klok import Fase, Klok

STANDAARD_BESLISTERMIJN_WEKEN = 8


class LoketInstellingen(models.Model):
    """Settings of one organisation's loket; the beheerder edits them (/loket/instellingen/).
    Without a row the defaults hold."""

    organisatie = models.OneToOneField(
        "organisaties.Organisatie",
        on_delete=models.CASCADE,
        related_name="loket_instellingen",
        verbose_name=_("organisatie"),
    )
    beslistermijn_weken = models.PositiveSmallIntegerField(
        _("beslistermijn (weken)"),
        default=STANDAARD_BESLISTERMIJN_WEKEN,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_(
            "Binnen hoeveel weken na indienen het samenwerkingsverband besluit. De klok staat "
            "stil zolang de hulpvraag incompleet is of er vragen openstaan."
        ),
    )

    class Meta:
        verbose_name = _("loketinstellingen")
        verbose_name_plural = _("loketinstellingen")

    def __str__(self) -> str:
        return str(self.organisatie)

    @property
    def beslistermijn(self) -> timedelta:
        return timedelta(weeks=self.beslistermijn_weken)


class Termijn(models.Model):
    """The decision clock of one hulpvraag (loket.klok), stored so the werkvoorraad can filter and
    sort on it in SQL. Written only by loket.services.termijn_bijwerken, in the transaction of the
    status change (hulpvragen.signals.status_gewijzigd)."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    hulpvraag = models.OneToOneField(
        "hulpvragen.Hulpvraag",
        on_delete=models.CASCADE,
        related_name="termijn",
        verbose_name=_("hulpvraag"),
    )
    fase = models.CharField(_("fase"), max_length=20, choices=Fase.choices)
    ingediend_op = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    gepauzeerd = models.DurationField(_("klok stilgestaan"), default=timedelta(0))
    pauze_sinds = models.DateTimeField(_("klok stil sinds"), null=True, blank=True)
    gestopt_op = models.DateTimeField(_("besloten of ingetrokken op"), null=True, blank=True)
    deadline = models.DateTimeField(_("uiterste besluitdatum"), null=True, blank=True)

    class Meta:
        verbose_name = _("beslistermijn")
        verbose_name_plural = _("beslistermijnen")
        indexes = [
            models.Index(fields=["organisatie", "fase", "deadline"]),
            models.Index(fields=["organisatie", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.hulpvraag_id}: {self.fase}"

    @property
    def klok(self) -> Klok:
        return Klok(
            fase=Fase(self.fase),
            ingediend_op=self.ingediend_op,
            gepauzeerd=self.gepauzeerd,
            pauze_sinds=self.pauze_sinds,
            gestopt_op=self.gestopt_op,
            deadline=self.deadline,
        )

    def deadline_op(self, nu: datetime) -> datetime | None:
        return self.klok.deadline_op(nu)

    def te_laat(self, nu: datetime) -> bool:
        return self.klok.te_laat(nu)
