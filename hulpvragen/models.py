"""Hulpvragen (support requests), their process and status, labels and granted access."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class HulpvraagType(models.TextChoices):
    """The titles a school chooses from (the manual's "Titel"); the title decides the process."""

    TLV_VSO = "TLV_VSO", "TLV VSO"
    FA = "FA", "Financieel Arrangement"
    PRO = "PRO", "Praktijkonderwijs"
    SV = "SV", "Schakelvoorziening"
    BAG = "BAG", "BAG"


class Proces(models.Model):
    """One version of a type's process for one organisation. A hulpvraag keeps the version it
    started with; the status-transition engine works on this data."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="processen",
        verbose_name=_("organisatie"),
    )
    type = models.CharField(_("type"), max_length=10, choices=HulpvraagType.choices)
    versie = models.PositiveIntegerField(_("versie"), default=1)
    actief = models.BooleanField(
        _("actief"), default=True, help_text=_("Nieuwe hulpvragen starten in de actieve versie.")
    )

    class Meta:
        verbose_name = _("proces")
        verbose_name_plural = _("processen")
        ordering = ["organisatie", "type", "-versie"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "type", "versie"], name="proces_versie_uniek"
            ),
            models.UniqueConstraint(
                fields=["organisatie", "type"],
                condition=Q(actief=True),
                name="proces_een_actieve_versie",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} v{self.versie}"


class Status(models.Model):
    proces = models.ForeignKey(
        Proces, on_delete=models.CASCADE, related_name="statussen", verbose_name=_("proces")
    )
    naam = models.CharField(_("naam"), max_length=100)
    omschrijving = models.TextField(
        _("omschrijving"), blank=True, help_text=_("Instructies voor de school bij deze status.")
    )
    initieel = models.BooleanField(_("beginstatus"), default=False)
    eindstatus = models.BooleanField(_("eindstatus"), default=False)
    zichtbaar_voor_swv = models.BooleanField(
        _("zichtbaar voor het samenwerkingsverband"),
        default=True,
        help_text=_("Uit voor een voorlopige aanvraag: die ziet alleen de school."),
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statussen")
        ordering = ["proces", "volgorde", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proces", "naam"], name="status_naam_uniek"),
            models.UniqueConstraint(
                fields=["proces"], condition=Q(initieel=True), name="status_een_beginstatus"
            ),
        ]

    def __str__(self) -> str:
        return self.naam


class Label(models.Model):
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="labels",
        verbose_name=_("organisatie"),
    )
    naam = models.CharField(_("naam"), max_length=60)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["organisatie", "naam"], name="label_naam_uniek"),
        ]

    def __str__(self) -> str:
        return self.naam


class Hulpvraag(models.Model):
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="hulpvragen",
        verbose_name=_("organisatie"),
    )
    leerling = models.ForeignKey(
        "dossiers.Leerling",
        on_delete=models.PROTECT,
        related_name="hulpvragen",
        verbose_name=_("leerling"),
    )
    schoolgegevens = models.ForeignKey(
        "dossiers.Schoolgegevens",
        on_delete=models.PROTECT,
        related_name="hulpvragen",
        verbose_name=_("schoolgegevens"),
    )
    type = models.CharField(_("type"), max_length=10, choices=HulpvraagType.choices)
    proces = models.ForeignKey(
        Proces, on_delete=models.PROTECT, related_name="hulpvragen", verbose_name=_("proces")
    )
    status = models.ForeignKey(
        Status, on_delete=models.PROTECT, related_name="hulpvragen", verbose_name=_("status")
    )
    hulpvraagdatum = models.DateField(_("hulpvraagdatum"))
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gecoordineerde_hulpvragen",
        verbose_name=_("coördinator"),
    )
    labels = models.ManyToManyField(
        Label, blank=True, related_name="hulpvragen", verbose_name=_("labels")
    )
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    laatste_datum = models.DateTimeField(
        _("laatste datum"),
        auto_now=True,
        db_index=True,
        help_text=_("Laatste wijziging; de lijst Hulpvragen sorteert hierop."),
    )

    class Meta:
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")
        ordering = ["-laatste_datum", "-id"]
        indexes = [
            models.Index(fields=["organisatie", "-laatste_datum", "-id"]),
            models.Index(fields=["organisatie", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.hulpvraagdatum:%d-%m-%Y})"


class Toegang(models.Model):
    """Read access granted by the loket to a deskundige or an invited outsider (the Toegang tab).
    Revoking keeps the row, so the history of who could see the dossier stays."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    hulpvraag = models.ForeignKey(
        Hulpvraag, on_delete=models.CASCADE, related_name="toegangen", verbose_name=_("hulpvraag")
    )
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="toegangen",
        verbose_name=_("gebruiker"),
    )
    reden = models.CharField(_("reden"), max_length=200, blank=True)
    verleend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("verleend door"),
    )
    verleend_op = models.DateTimeField(_("verleend op"), auto_now_add=True)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("toegang")
        verbose_name_plural = _("toegang")
        ordering = ["-verleend_op"]
        constraints = [
            models.UniqueConstraint(
                fields=["hulpvraag", "gebruiker"],
                condition=Q(ingetrokken_op__isnull=True),
                name="toegang_een_actieve_per_gebruiker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gebruiker} → {self.hulpvraag}"
