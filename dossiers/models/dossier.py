"""A pupil's dossier: Leerling, address history and Schoolgegevens.

Every row carries its organisation so that the access module can filter on it without joins
through other tables, and so that a forgotten filter can never cross SWVs.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.validators import validate_bsn, validate_onderwijsnummer
from kindkans.models import MetAangemaakt, MetTijdstempels, OrganisatieGebonden


class Geslacht(models.TextChoices):
    MAN = "M", _("Man")
    VROUW = "V", _("Vrouw")
    ONBEKEND = "O", _("Onbekend / anders")


class Leerling(MetAangemaakt):
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="leerlingen",
        verbose_name=_("organisatie"),
    )
    voornamen = models.CharField(_("voornamen"), max_length=200)
    roepnaam = models.CharField(_("roepnaam"), max_length=100)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    achternaam = models.CharField(_("achternaam"), max_length=200)
    geboortedatum = models.DateField(_("geboortedatum"))
    geslacht = models.CharField(_("geslacht"), max_length=1, choices=Geslacht.choices)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, validators=[validate_bsn])
    onderwijsnummer = models.CharField(
        _("onderwijsnummer"), max_length=9, blank=True, validators=[validate_onderwijsnummer]
    )
    # Set when retention anonymised the dossier: names, BSN, onderwijsnummer, addresses and the
    # exact birth date are gone; the hulpvragen stay for the kengetallen.
    geanonimiseerd_op = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["achternaam", "roepnaam"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "bsn"],
                condition=~Q(bsn=""),
                name="leerling_bsn_uniek_per_organisatie",
            ),
            models.UniqueConstraint(
                fields=["organisatie", "onderwijsnummer"],
                condition=~Q(onderwijsnummer=""),
                name="leerling_onderwijsnummer_uniek_per_organisatie",
            ),
        ]
        indexes = [models.Index(fields=["organisatie", "achternaam"])]

    def __str__(self) -> str:
        return self.naam

    @property
    def naam(self) -> str:
        return " ".join(p for p in (self.roepnaam, self.tussenvoegsel, self.achternaam) if p)


class AdresVervallen(models.TextChoices):
    GECORRIGEERD = "gecorrigeerd", _("gecorrigeerd")
    VERWIJDERD = "verwijderd", _("verwijderd")


class AdresQuerySet(models.QuerySet):
    def geldig(self) -> AdresQuerySet:
        """Not corrected or removed (those rows stay as history)."""
        return self.filter(vervallen_op__isnull=True)

    def op_datum(self, datum: dt.date | None = None) -> AdresQuerySet:
        """The valid addresses in force on `datum` (default today), current one first. An
        address dated in the future becomes current on its date, without anyone acting."""
        datum = datum or timezone.localdate()
        return self.geldig().filter(ingangsdatum__lte=datum).order_by(*(Adres._meta.ordering or ()))


class Adres(OrganisatieGebonden, MetAangemaakt):
    """Address history: adding a new address keeps the old ones. Current is the newest valid
    address whose ingangsdatum has come (AdresQuerySet.op_datum); a wrongly entered address is
    corrected (a new row replaces it) or removed, and stays in the history as such."""

    leerling = models.ForeignKey(
        Leerling, on_delete=models.CASCADE, related_name="adressen", verbose_name=_("leerling")
    )
    straat = models.CharField(_("straat"), max_length=200)
    huisnummer = models.CharField(_("huisnummer"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=7)
    woonplaats = models.CharField(_("woonplaats"), max_length=100)
    ingangsdatum = models.DateField(_("ingangsdatum"))
    vervallen_op = models.DateTimeField(_("vervallen op"), null=True, blank=True)
    vervallen = models.CharField(
        _("vervallen"), max_length=20, choices=AdresVervallen.choices, blank=True
    )
    vervallen_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vervallen door"),
    )
    vervallen_reden = models.CharField(_("reden"), max_length=300, blank=True)
    vervangen_door = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="correctie_van",
        verbose_name=_("vervangen door"),
    )

    objects = AdresQuerySet.as_manager()

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")
        ordering = ["-ingangsdatum", "-aangemaakt_op", "-id"]
        get_latest_by = ["ingangsdatum", "aangemaakt_op", "id"]

    def __str__(self) -> str:
        return f"{self.straat} {self.huisnummer}, {self.postcode} {self.woonplaats}"


class Schoolgegevens(OrganisatieGebonden, MetAangemaakt):
    """Where the pupil is enrolled and who at the school files for them. The aanvrager and the
    contact e-mail receive the notifications, so a personeelswijziging changes them here."""

    leerling = models.ForeignKey(
        Leerling,
        on_delete=models.CASCADE,
        related_name="schoolgegevens",
        verbose_name=_("leerling"),
    )
    school = models.ForeignKey(
        "organisaties.School",
        on_delete=models.PROTECT,
        related_name="schoolgegevens",
        verbose_name=_("school"),
    )
    groep = models.PositiveSmallIntegerField(
        _("groep"), null=True, blank=True, help_text=_("Basisschool: groep 1 tot en met 8.")
    )
    leerjaar = models.PositiveSmallIntegerField(
        _("leerjaar"),
        null=True,
        blank=True,
        help_text=_("Voortgezet onderwijs: leerjaar 1 tot en met 6."),
    )
    doublures = models.PositiveSmallIntegerField(
        _("aantal doublures"), default=0, help_text=_("Doublures vanaf groep 3.")
    )
    aanvrager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanvrager"),
    )
    contactpersoon = models.CharField(_("contactpersoon"), max_length=200)
    email = models.EmailField(_("e-mailadres"))
    telefoon = models.CharField(_("telefoon"), max_length=20, blank=True)
    begindatum = models.DateField(_("begindatum"))
    einddatum = models.DateField(_("einddatum"), null=True, blank=True)

    class Meta:
        verbose_name = _("schoolgegevens")
        verbose_name_plural = _("schoolgegevens")
        ordering = ["-begindatum", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(groep__isnull=True) | Q(groep__gte=1, groep__lte=8),
                name="schoolgegevens_groep_1_8",
            ),
            models.CheckConstraint(
                condition=Q(leerjaar__isnull=True) | Q(leerjaar__gte=1, leerjaar__lte=6),
                name="schoolgegevens_leerjaar_1_6",
            ),
            # A pupil is either in a groep (PO) or a leerjaar (VO), never both.
            models.CheckConstraint(
                condition=Q(groep__isnull=True) | Q(leerjaar__isnull=True),
                name="schoolgegevens_groep_of_leerjaar",
            ),
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=models.F("begindatum")),
                name="schoolgegevens_einddatum_na_begindatum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} ({self.leerjaar_of_groep})"

    @property
    def leerjaar_of_groep(self) -> str:
        if self.groep:
            return _("groep %(n)s") % {"n": self.groep}
        if self.leerjaar:
            return _("leerjaar %(n)s") % {"n": self.leerjaar}
        return "-"


class ConceptStap(models.TextChoices):
    BASISGEGEVENS = "basisgegevens", _("Basisgegevens")
    SCHOOLGEGEVENS = "schoolgegevens", _("Schoolgegevens")
    HULPVRAAG = "hulpvraag", _("Hulpvraag")


class DossierConcept(OrganisatieGebonden, MetTijdstempels):
    """A new dossier being entered through the wizard, kept server-side after every step.

    The manual warns that a pupil entered today without a hulpvraag cannot be found tomorrow.
    Here nothing becomes a Leerling until the last step, and until then the half-filled wizard is
    the creator's own concept: listed for them, resumable, invisible to everyone else (the SWV
    too). What was typed is stored even when it does not validate yet, so nothing is lost."""

    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dossierconcepten",
        verbose_name=_("aangemaakt door"),
    )
    stap = models.CharField(
        _("stap"), max_length=20, choices=ConceptStap.choices, default=ConceptStap.BASISGEGEVENS
    )
    gegevens = models.JSONField(_("ingevoerde gegevens"), default=dict, blank=True)

    class Meta:
        verbose_name = _("dossierconcept")
        verbose_name_plural = _("dossierconcepten")
        ordering = ["-gewijzigd_op", "-id"]
        indexes = [models.Index(fields=["aangemaakt_door", "-gewijzigd_op"])]

    def __str__(self) -> str:
        return self.naam or str(_("Nieuw dossier"))

    @property
    def naam(self) -> str:
        b = self.gegevens.get("basisgegevens") or self.gegevens.get("edexml", {}).get(
            "basisgegevens", {}
        )
        return " ".join(
            p for p in (b.get("roepnaam"), b.get("tussenvoegsel"), b.get("achternaam")) if p
        )
