"""The SWV's decisions on a hulpvraag and what leads to them: the deskundigenadvies of a TLV VSO,
the TLV record (VSO or PrO), the reasoned rejection, the Financieel Arrangement, and the letter
templates per organisation. The generated letters are bijlagen (bijlagen.Bijlage) linked here.

Every row carries `organisatie` like all pupil data (docs/architecture.md); reads go through the
hulpvraag's access rules (besluiten.selectors)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kindkans.models import OrganisatieGebonden, OrganisatieInstelling


class TlvSoort(models.TextChoices):
    VSO = "VSO", "VSO"
    PRO = "PRO", "PrO"


class Bekostigingscategorie(models.TextChoices):
    # OSO codes L/M/H (DESIGN.md §6).
    LAAG = "laag", _("laag (L)")
    MIDDEN = "midden", _("midden (M)")
    HOOG = "hoog", _("hoog (H)")


class Discipline(models.TextChoices):
    ORTHOPEDAGOOG = "orthopedagoog", _("orthopedagoog")
    PSYCHOLOOG = "psycholoog", _("psycholoog")
    KINDERARTS = "kinderarts", _("kinderarts")
    JEUGDARTS = "jeugdarts", _("jeugdarts")
    KINDER_EN_JEUGDPSYCHIATER = "kinder_en_jeugdpsychiater", _("kinder- en jeugdpsychiater")
    MAATSCHAPPELIJK_WERKER = "maatschappelijk_werker", _("maatschappelijk werker")
    ANDERS = "anders", _("andere discipline")


# The first deskundige of a TLV VSO must be one of these (DESIGN.md §6).
GEDRAGSWETENSCHAPPERS = frozenset({Discipline.ORTHOPEDAGOOG, Discipline.PSYCHOLOOG})


class Vastgelegd(OrganisatieGebonden):
    """What every decision record has: who recorded it when, and its letters (bijlagen)."""

    besluitdatum = models.DateField(_("besluitdatum"))
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    vastgelegd_op = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    brieven = models.ManyToManyField(
        "bijlagen.Bijlage", blank=True, related_name="+", verbose_name=_("brieven")
    )

    class Meta:
        abstract = True


class Toelaatbaarheidsverklaring(Vastgelegd):
    """A TLV: the decision on a TLV VSO hulpvraag (after deskundigenadvies) or a PrO hulpvraag
    (after the loketvergadering). One per hulpvraag; the TLV tab lists the pupil's TLVs. The
    aanvrager is reminded once before the einddatum unless a renewal is under way
    (besluiten.tasks)."""

    hulpvraag = models.OneToOneField(
        "hulpvragen.Hulpvraag",
        on_delete=models.PROTECT,
        related_name="tlv",
        verbose_name=_("hulpvraag"),
    )
    leerling = models.ForeignKey(
        "dossiers.Leerling",
        on_delete=models.PROTECT,
        related_name="tlvs",
        verbose_name=_("leerling"),
    )
    soort = models.CharField(_("soort"), max_length=3, choices=TlvSoort.choices)
    bekostigingscategorie = models.CharField(
        _("bekostigingscategorie"),
        max_length=6,
        choices=Bekostigingscategorie.choices,
        blank=True,
        help_text=_("Alleen bij een TLV VSO."),
    )
    ingangsdatum = models.DateField(_("ingangsdatum"))
    einddatum = models.DateField(_("einddatum"))
    herinnering_op = models.DateTimeField(
        _("verlengingsherinnering verstuurd op"),
        null=True,
        blank=True,
        help_text=_(
            "Wanneer de aanvrager per e-mail is gewezen op het aflopen van de TLV (in de "
            "verzendrij gezet)."
        ),
    )

    class Meta:
        verbose_name = _("toelaatbaarheidsverklaring")
        verbose_name_plural = _("toelaatbaarheidsverklaringen")
        ordering = ["-ingangsdatum", "-id"]
        indexes = [
            models.Index(fields=["leerling", "-ingangsdatum"]),
            # The renewal reminder's query: TLVs still to be reminded, by einddatum.
            models.Index(
                fields=["einddatum"],
                condition=Q(herinnering_op__isnull=True),
                name="tlv_herinnering_te_versturen",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(einddatum__gt=models.F("ingangsdatum")),
                name="tlv_einddatum_na_ingangsdatum",
            ),
            models.CheckConstraint(
                condition=Q(soort="PRO") | ~Q(bekostigingscategorie=""),
                name="tlv_vso_heeft_bekostigingscategorie",
            ),
        ]

    def __str__(self) -> str:
        periode = f"{self.ingangsdatum:%d-%m-%Y}–{self.einddatum:%d-%m-%Y}"
        return f"TLV {self.get_soort_display()} {periode}"


class Afwijzing(Vastgelegd):
    """A reasoned rejection (TLV afwijzing toegelicht, FA afgewezen): the motivation goes into
    the letter; a TLV's letter carries the bezwaar clause."""

    hulpvraag = models.OneToOneField(
        "hulpvragen.Hulpvraag",
        on_delete=models.PROTECT,
        related_name="afwijzing",
        verbose_name=_("hulpvraag"),
    )
    motivering = models.TextField(_("motivering"))

    class Meta:
        verbose_name = _("afwijzing")
        verbose_name_plural = _("afwijzingen")

    def __str__(self) -> str:
        return f"Afwijzing {self.besluitdatum:%d-%m-%Y}"


class FinancieelArrangement(Vastgelegd):
    """FA afgegeven: amount, period and the date by which the school hands in its evaluation;
    the aanvrager is reminded before that date (besluiten.tasks)."""

    hulpvraag = models.OneToOneField(
        "hulpvragen.Hulpvraag",
        on_delete=models.PROTECT,
        related_name="financieel_arrangement",
        verbose_name=_("hulpvraag"),
    )
    bedrag = models.DecimalField(_("bedrag (€)"), max_digits=10, decimal_places=2)
    ingangsdatum = models.DateField(_("ingangsdatum"))
    einddatum = models.DateField(_("einddatum"))
    evaluatiedatum = models.DateField(_("evaluatiedatum"))
    herinnering_op = models.DateTimeField(
        _("herinnering verstuurd op"),
        null=True,
        blank=True,
        help_text=_("Wanneer de herinnering aan de evaluatie in de verzendrij is gezet."),
    )

    class Meta:
        verbose_name = _("financieel arrangement")
        verbose_name_plural = _("financiële arrangementen")
        constraints = [
            models.CheckConstraint(
                condition=Q(einddatum__gt=models.F("ingangsdatum")),
                name="fa_einddatum_na_ingangsdatum",
            ),
            models.CheckConstraint(condition=Q(bedrag__gt=0), name="fa_bedrag_positief"),
        ]
        indexes = [
            # The reminder task's query: arrangements still to be reminded, by date.
            models.Index(
                fields=["evaluatiedatum"],
                condition=Q(herinnering_op__isnull=True),
                name="fa_herinnering_te_versturen",
            )
        ]

    def __str__(self) -> str:
        return f"FA € {self.bedrag} {self.ingangsdatum:%d-%m-%Y}–{self.einddatum:%d-%m-%Y}"


class Deskundigenadvies(OrganisatieGebonden):
    """One of the two deskundigen of a TLV VSO: assigned by the loket (which grants read access
    through Toegang) and, once they advise, their advice."""

    hulpvraag = models.ForeignKey(
        "hulpvragen.Hulpvraag",
        on_delete=models.PROTECT,
        related_name="deskundigenadviezen",
        verbose_name=_("hulpvraag"),
    )
    volgorde = models.PositiveSmallIntegerField(_("deskundige"), choices=[(1, "1"), (2, "2")])
    deskundige = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deskundigenadviezen",
        verbose_name=_("deskundige"),
    )
    discipline = models.CharField(_("discipline"), max_length=30, choices=Discipline.choices)
    toegang = models.ForeignKey(
        "hulpvragen.Toegang",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("toegang"),
    )
    toegewezen_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("toegewezen door"),
    )
    toegewezen_op = models.DateTimeField(_("toegewezen op"), auto_now_add=True)
    # The advice; empty until the deskundige records it.
    toelaatbaar = models.BooleanField(_("toelaatbaar"), null=True)
    bekostigingscategorie = models.CharField(
        _("geadviseerde bekostigingscategorie"),
        max_length=6,
        choices=Bekostigingscategorie.choices,
        blank=True,
    )
    duur_schooljaren = models.PositiveSmallIntegerField(
        _("geadviseerde duur (schooljaren)"), null=True, blank=True
    )
    motivering = models.TextField(_("motivering"), blank=True)
    uitgebracht_op = models.DateTimeField(_("advies uitgebracht op"), null=True, blank=True)

    class Meta:
        verbose_name = _("deskundigenadvies")
        verbose_name_plural = _("deskundigenadviezen")
        ordering = ["hulpvraag", "volgorde"]
        constraints = [
            models.UniqueConstraint(
                fields=["hulpvraag", "volgorde"], name="deskundigenadvies_volgorde_uniek"
            ),
            models.UniqueConstraint(
                fields=["hulpvraag", "deskundige"], name="deskundigenadvies_deskundige_uniek"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deskundige} ({self.get_discipline_display()})"

    @property
    def uitgebracht(self) -> bool:
        return self.uitgebracht_op is not None


class BriefSoort(models.TextChoices):
    TLV_VSO = "tlv_vso", _("Toekenningsbrief TLV VSO")
    TLV_PRO = "tlv_pro", _("Toekenningsbrief TLV PrO")
    AFWIJZING_TLV = "afwijzing_tlv", _("Afwijzingsbrief TLV")
    FA = "fa", _("Toewijzingsbrief Financieel Arrangement")
    AFWIJZING_FA = "afwijzing_fa", _("Afwijzingsbrief Financieel Arrangement")


class Briefsjabloon(OrganisatieInstelling):
    """The organisation's own text of a letter, edited by the beheerder; without a row the text
    shipped in besluiten/sjablonen/ is used."""

    soort = models.CharField(_("soort"), max_length=20, choices=BriefSoort.choices)
    tekst = models.TextField(_("tekst"))
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "soort"], name="briefsjabloon_uniek_per_soort"
            ),
        ]

    def __str__(self) -> str:
        return self.get_soort_display()
