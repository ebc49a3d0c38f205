"""Aanvraagformulieren: definitions as versioned data, filled forms, drafts and signatures.

A definition is JSON (sections → questions) shipped in formulieren/definities/ and loaded for
every organisation; the beheerder may add a new version later. A filled form points at the exact
definition version it was made with, so changing a definition never changes a filled form.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hulpvragen.models import HulpvraagType
from kindkans.models import MetAangemaakt, OrganisatieGebonden, VersieDefinitie


class FormulierDefinitie(VersieDefinitie, MetAangemaakt):
    """One version of a form definition (its key `sleutel`) of one organisation; a filled form
    keeps the version it was made with."""

    VERSIE_SLEUTEL = "sleutel"
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="formulierdefinities",
        verbose_name=_("organisatie"),
    )
    sleutel = models.SlugField(_("sleutel"), max_length=40)
    naam = models.CharField(_("naam"), max_length=200)
    hulpvraag_type = models.CharField(
        _("hulpvraagtype"),
        max_length=10,
        choices=HulpvraagType.choices,
        help_text=_("Bij een nieuwe hulpvraag van dit type wordt dit formulier gekoppeld."),
    )
    actief = models.BooleanField(
        _("actief"), default=True, help_text=_("Nieuwe formulieren gebruiken de actieve versie.")
    )
    ondertekening_vereist = models.BooleanField(
        _("ondertekening door het bevoegd gezag vereist"), default=False
    )
    inhoud = models.JSONField(
        _("inhoud"), help_text=_("Secties en vragen, zie docs/formulieren.md.")
    )

    class Meta:
        verbose_name = _("formulierdefinitie")
        verbose_name_plural = _("formulierdefinities")
        ordering = ["organisatie", "naam", "-versie"]
        constraints = VersieDefinitie.versie_constraints("sleutel")

    def __str__(self) -> str:
        return f"{self.naam} v{self.versie}"


class Formulier(OrganisatieGebonden, MetAangemaakt):
    """One filled form of one hulpvraag. `antwoorden` holds what was saved with "Opslaan"
    (validated); `concept` holds the newer draft that autosave keeps (not validated, so a
    half-typed date is never lost)."""

    hulpvraag = models.ForeignKey(
        "hulpvragen.Hulpvraag",
        on_delete=models.CASCADE,
        related_name="formulieren",
        verbose_name=_("hulpvraag"),
    )
    definitie = models.ForeignKey(
        FormulierDefinitie,
        on_delete=models.PROTECT,
        related_name="formulieren",
        verbose_name=_("definitie"),
    )
    antwoorden = models.JSONField(_("antwoorden"), default=dict, blank=True)
    opgeslagen_op = models.DateTimeField(_("opgeslagen op"), null=True, blank=True)
    opgeslagen_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opgeslagen door"),
    )
    concept = models.JSONField(_("concept"), null=True, blank=True)
    concept_opgeslagen_op = models.DateTimeField(_("concept opgeslagen op"), null=True, blank=True)
    concept_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concept door"),
    )
    # Bumped by every write (autosave and Opslaan). A write that names an older revision while
    # someone else wrote last was made on a stale page: it is refused instead of overwriting
    # their answers. (The same user's own autosave racing their Opslaan is not a conflict.)
    revisie = models.PositiveIntegerField(_("revisie"), default=0)
    bijgewerkt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laatst bijgewerkt door"),
    )

    class Meta:
        verbose_name = _("formulier")
        verbose_name_plural = _("formulieren")
        ordering = ["hulpvraag", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hulpvraag", "definitie"], name="formulier_een_per_definitie"
            ),
        ]

    def __str__(self) -> str:
        return self.definitie.naam


class Ondertekening(models.Model):
    """A digital signature by the bevoegd gezag. Never edited except to void it: the row stays
    so the history shows who signed what and when."""

    formulier = models.ForeignKey(
        Formulier,
        on_delete=models.CASCADE,
        related_name="ondertekeningen",
        verbose_name=_("formulier"),
    )
    ondertekenaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ondertekenaar"),
    )
    naam = models.CharField(_("naam"), max_length=300)
    functie = models.CharField(_("functie"), max_length=200)
    bestuur = models.CharField(_("bestuur"), max_length=200)
    ondertekend_op = models.DateTimeField(_("ondertekend op"))
    hash = models.CharField(
        _("SHA-256 van de antwoorden"),
        max_length=64,
        help_text=_("Over de canonieke weergave van definitie, versie en antwoorden."),
    )
    revisie = models.PositiveIntegerField(_("revisie van het formulier"))
    ongeldig_op = models.DateTimeField(_("ongeldig sinds"), null=True, blank=True)
    ongeldig_reden = models.CharField(_("reden ongeldig"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ondertekening")
        verbose_name_plural = _("ondertekeningen")
        ordering = ["-ondertekend_op", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["formulier"],
                condition=Q(ongeldig_op__isnull=True),
                name="ondertekening_een_geldige_per_formulier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.ondertekend_op:%d-%m-%Y})"
