"""Tenants (samenwerkingsverbanden), besturen and schools.

Every row that holds pupil data points at exactly one Organisatie; access rules start from it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    PO = "PO", _("Primair onderwijs")
    VO = "VO", _("Voortgezet onderwijs")


class Organisatie(models.Model):
    """A samenwerkingsverband passend onderwijs (SWV), e.g. code VO2505, naam "VO2505 Apeldoorn"."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    naam = models.CharField(_("naam"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices)
    loket_email = models.EmailField(_("e-mailadres loket"))
    informatie = models.TextField(
        _("informatie op de startpagina"),
        blank=True,
        help_text=_(
            "Getoond onder “Aangemeld”: waar scholen terecht kunnen met vragen, wat er "
            "recent gewijzigd is."
        ),
    )
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam


class Bestuur(models.Model):
    """Bevoegd gezag of one or more schools."""

    organisatie = models.ForeignKey(
        Organisatie,
        on_delete=models.PROTECT,
        related_name="besturen",
        verbose_name=_("organisatie"),
    )
    naam = models.CharField(_("naam"), max_length=200)
    bevoegd_gezag_nummer = models.CharField(_("bevoegd-gezagnummer"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("bestuur")
        verbose_name_plural = _("besturen")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["organisatie", "naam"], name="bestuur_naam_uniek"),
        ]

    def __str__(self) -> str:
        return self.naam


class School(models.Model):
    """A school location (BRIN + vestiging). A VO SWV also serves basisscholen (sector PO):
    they file "BAG (voor basisscholen)" with it."""

    organisatie = models.ForeignKey(
        Organisatie, on_delete=models.PROTECT, related_name="scholen", verbose_name=_("organisatie")
    )
    bestuur = models.ForeignKey(
        Bestuur, on_delete=models.PROTECT, related_name="scholen", verbose_name=_("bestuur")
    )
    brin = models.CharField(_("BRIN"), max_length=4)
    vestiging = models.CharField(_("vestiging"), max_length=2, default="00")
    naam = models.CharField(_("naam"), max_length=200)
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices)
    plaats = models.CharField(_("plaats"), max_length=100, blank=True)
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "brin", "vestiging"], name="school_brin_vestiging_uniek"
            ),
            models.CheckConstraint(
                condition=Q(brin__regex=r"^[0-9]{2}[A-Z]{2}$"), name="school_brin_formaat"
            ),
            models.CheckConstraint(
                condition=Q(vestiging__regex=r"^[0-9]{2}$"), name="school_vestiging_formaat"
            ),
        ]

    def __str__(self) -> str:
        return self.naam

    @property
    def brin_vestiging(self) -> str:
        return f"{self.brin}{self.vestiging}"


class Nieuwsbericht(models.Model):
    """ "Algemeen nieuws": platform-wide updates shown to users of every SWV on the start page."""

    titel = models.CharField(_("titel"), max_length=200)
    tekst = models.TextField(_("tekst"))
    gepubliceerd_op = models.DateTimeField(_("gepubliceerd op"), db_index=True)
    zichtbaar = models.BooleanField(_("zichtbaar"), default=True)

    class Meta:
        verbose_name = _("nieuwsbericht")
        verbose_name_plural = _("algemeen nieuws")
        ordering = ["-gepubliceerd_op"]

    def __str__(self) -> str:
        return self.titel
