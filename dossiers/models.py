"""A pupil's dossier: Leerling, address history and Schoolgegevens.

Every row carries its organisation so that the access module can filter on it without joins
through other tables, and so that a forgotten filter can never cross SWVs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.validators import validate_bsn, validate_onderwijsnummer


class Geslacht(models.TextChoices):
    MAN = "M", _("Man")
    VROUW = "V", _("Vrouw")
    ONBEKEND = "O", _("Onbekend / anders")


class Leerling(models.Model):
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
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

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


class Adres(models.Model):
    """Address history: adding a new address keeps the old ones; the newest is current."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    leerling = models.ForeignKey(
        Leerling, on_delete=models.CASCADE, related_name="adressen", verbose_name=_("leerling")
    )
    straat = models.CharField(_("straat"), max_length=200)
    huisnummer = models.CharField(_("huisnummer"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=7)
    woonplaats = models.CharField(_("woonplaats"), max_length=100)
    ingangsdatum = models.DateField(_("ingangsdatum"))
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")
        ordering = ["-ingangsdatum", "-aangemaakt_op", "-id"]
        get_latest_by = ["ingangsdatum", "aangemaakt_op", "id"]

    def __str__(self) -> str:
        return f"{self.straat} {self.huisnummer}, {self.postcode} {self.woonplaats}"


class Schoolgegevens(models.Model):
    """Where the pupil is enrolled and who at the school files for them. The aanvrager and the
    contact e-mail receive the notifications, so a personeelswijziging changes them here."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
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
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

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
