"""Bijlagen (attachments) of a hulpvraag, files staged by a refused upload, and the record of
every download.

Files live in the default storage under a random key; the user's file name is metadata only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hulpvragen.models import HulpvraagType
from kindkans.models import OrganisatieGebonden, OrganisatieInstelling


class ScanStatus(models.TextChoices):
    """The virus scan (bijlagen/scan.py). Without a scanner configured (CLAMD_HOST) a file is
    "niet gescand" and downloadable; with one, only a clean scan makes it downloadable."""

    NIET_GESCAND = "niet_gescand", _("niet gescand (geen virusscanner ingesteld)")
    WACHT = "wacht", _("wacht op virusscan")
    SCHOON = "schoon", _("gescand, geen virus")
    BESMET = "besmet", _("in quarantaine: virus gevonden")


class Documentsoort(models.TextChoices):
    """What a bijlage is, chosen at upload. Which kinds a hulpvraag type requires is data
    (Bijlagevereiste, defaults in bijlagen/vereisten.json), not code."""

    OUDERFORMULIER = "ouderformulier", _("Aanvraagformulier ondertekend door ouders / toestemming")
    # Made by Kindkans when a parent signs online (ouders app); counts as OUDERFORMULIER for the
    # required documents (bijlagen.selectors.documentsoorten_aanwezig_for), paper stays possible.
    OUDERFORMULIER_ONLINE = (
        "ouderformulier_online",
        _("Aanvraagformulier, door ouders voor gezien getekend"),
    )
    OPP = "opp", _("OPP (ontwikkelingsperspectiefplan)")
    ONDERZOEKSVERSLAG = "onderzoeksverslag", _("Onderzoeksverslag")
    EVALUATIE = "evaluatie", _("Evaluatie")
    VRAGEN = "vragen", _("Vragen van het samenwerkingsverband")
    BEANTWOORDING_VRAGEN = "beantwoording_vragen", _("Beantwoording vragen")
    BRIEF = "brief", _("Brief of besluit van het samenwerkingsverband")
    OVERIG = "overig", _("Overig")


class Bijlage(OrganisatieGebonden):
    hulpvraag = models.ForeignKey(
        "hulpvragen.Hulpvraag",
        on_delete=models.PROTECT,
        related_name="bijlagen",
        verbose_name=_("hulpvraag"),
    )
    sleutel = models.CharField(
        _("opslagsleutel"),
        max_length=100,
        unique=True,
        editable=False,
        help_text=_("Willekeurige naam in de opslag; nooit de naam van de gebruiker."),
    )
    naam = models.CharField(_("naam"), max_length=200)
    documentsoort = models.CharField(
        _("soort document"),
        max_length=24,
        choices=Documentsoort.choices,
        default=Documentsoort.OVERIG,
    )
    originele_naam = models.CharField(_("oorspronkelijke naam"), max_length=200)
    grootte = models.PositiveBigIntegerField(_("grootte (bytes)"))
    content_type = models.CharField(_("inhoudstype"), max_length=100)
    soort = models.CharField(_("soort"), max_length=10)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    beantwoordt_vragen = models.BooleanField(
        _("beantwoordt de gestelde vragen"),
        default=False,
        help_text=_("Geüpload in “vragen gesteld” als antwoord op de vragen."),
    )
    upload = models.UUIDField(
        _("uploadactie"), db_index=True, help_text=_("Samen geüploade bestanden delen dit id.")
    )
    geupload_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    geupload_op = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    # After submission nothing the SWV has seen disappears: a removal is a visible withdrawal and
    # the file stays.
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    ingetrokken_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )
    scan_status = models.CharField(
        _("virusscan"), max_length=12, choices=ScanStatus.choices, default=ScanStatus.NIET_GESCAND
    )
    scan_op = models.DateTimeField(_("gescand op"), null=True, blank=True)
    scan_pogingen = models.PositiveSmallIntegerField(_("scanpogingen"), default=0)
    scan_melding = models.CharField(
        _("scanmelding"),
        max_length=300,
        blank=True,
        help_text=_("De gevonden virusnaam, of de laatste fout van de scanner."),
    )

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["-geupload_op", "-id"]
        indexes = [models.Index(fields=["hulpvraag", "-geupload_op"])]

    def __str__(self) -> str:
        return self.naam

    @property
    def downloadbaar(self) -> bool:
        """Fail closed: a file waiting for its scan, or found infected, never leaves."""
        return self.scan_status in (ScanStatus.SCHOON, ScanStatus.NIET_GESCAND)


class BijlageConcept(models.Model):
    """A file that passed every check in an upload that was refused as a whole (another file
    failed). It is stored but is not a Bijlage: nobody else sees it, no event fires. The form
    offers it again so the user need not pick it a second time; a beat task removes old ones."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie", on_delete=models.CASCADE, related_name="+"
    )
    hulpvraag = models.ForeignKey(
        "hulpvragen.Hulpvraag", on_delete=models.CASCADE, related_name="+"
    )
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sleutel = models.CharField(max_length=100, unique=True)
    originele_naam = models.CharField(max_length=200)
    grootte = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    soort = models.CharField(max_length=10)
    sha256 = models.CharField(max_length=64)
    # The kind chosen for this file in the refused upload, kept so it need not be chosen again;
    # empty (the new-dossier wizard's files): the kind of the upload action that adds it.
    documentsoort = models.CharField(
        max_length=24, choices=Documentsoort.choices, blank=True, default=""
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("bijlage in afwachting")
        verbose_name_plural = _("bijlagen in afwachting")

    def __str__(self) -> str:
        return self.originele_naam


class Bijlagevereiste(OrganisatieInstelling):
    """Which document kinds a hulpvraag type of this organisation requires before the transitions
    that name the check "bijlagen_aanwezig". Without a row the defaults in
    bijlagen/vereisten.json apply; a row with an empty list requires only "some bijlage"."""

    type = models.CharField(_("hulpvraagtype"), max_length=10, choices=HulpvraagType.choices)
    documentsoorten = models.JSONField(_("verplichte documentsoorten"), default=list, blank=True)

    class Meta:
        verbose_name = _("verplichte bijlagen")
        verbose_name_plural = _("verplichte bijlagen")
        ordering = ["organisatie", "type"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "type"], name="bijlagevereiste_uniek_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {', '.join(self.documentsoorten) or '-'}"
