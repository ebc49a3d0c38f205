"""LVS (leerlingvolgsysteem) data of a pupil: IQ tests, toetsen, sociaal-emotionele problematiek,
and the organisation's PrO thresholds (the LVS tab).

Per leerling, not per hulpvraag: a second hulpvraag for the same pupil sees the same tests.
The advice computed from them lives in dossiers/lvs.py (pure) and dossiers/selectors.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers import lvs
from dossiers.models.dossier import Leerling
from dossiers.validators import validate_dle, validate_iq
from kindkans.models import (
    MetGewijzigdDoor,
    MetTijdstempels,
    OrganisatieGebonden,
    OrganisatieInstelling,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Domein(models.TextChoices):
    BEGRIJPEND_LEZEN = lvs.BL, _("Begrijpend lezen")
    INZICHTELIJK_REKENEN = lvs.IR, _("Inzichtelijk rekenen")
    TECHNISCH_LEZEN = lvs.TL, _("Technisch lezen")
    SPELLEN = lvs.SP, _("Spellen")


class IqTest(OrganisatieGebonden, MetTijdstempels, MetGewijzigdDoor):
    leerling = models.ForeignKey(
        Leerling, on_delete=models.CASCADE, related_name="iq_tests", verbose_name=_("leerling")
    )
    testdatum = models.DateField(_("testdatum"))
    totaal_iq = models.PositiveSmallIntegerField(_("totaal IQ"), validators=[validate_iq])
    verbaal_iq = models.PositiveSmallIntegerField(
        _("verbaal IQ"), null=True, blank=True, validators=[validate_iq]
    )
    performaal_iq = models.PositiveSmallIntegerField(
        _("performaal IQ"), null=True, blank=True, validators=[validate_iq]
    )
    test = models.CharField(
        _("test"), max_length=100, blank=True, help_text=_("Bijvoorbeeld WISC-V of WNV.")
    )
    interval = models.TextField(
        _("interval IQ / beschrijving"),
        blank=True,
        help_text=_(
            "Indien relevant: het interval, of een beschrijving zoals het verschil tussen "
            "verbaal en performaal. Het advies wordt berekend over het totaal IQ."
        ),
    )

    class Meta:
        verbose_name = _("IQ-test")
        verbose_name_plural = _("IQ-tests")
        ordering = ["-testdatum", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(totaal_iq__gte=lvs.IQ_MIN, totaal_iq__lte=lvs.IQ_MAX),
                name="iqtest_totaal_iq_40_160",
            ),
        ]

    def __str__(self) -> str:
        return f"IQ {self.totaal_iq} ({self.testdatum:%d-%m-%Y})"


class Toets(OrganisatieGebonden, MetTijdstempels, MetGewijzigdDoor):
    leerling = models.ForeignKey(
        Leerling, on_delete=models.CASCADE, related_name="toetsen", verbose_name=_("leerling")
    )
    toetsdatum = models.DateField(_("toetsdatum"))
    domein = models.CharField(_("domein"), max_length=2, choices=Domein.choices)
    dle = models.SmallIntegerField(
        _("DLE"),
        validators=[validate_dle],
        help_text=_("Didactische leeftijdsequivalent, in maanden."),
    )
    naam = models.CharField(
        _("toets"), max_length=200, blank=True, help_text=_("Bijvoorbeeld Cito LOVS M8.")
    )
    ruwe_score = models.CharField(_("ruwe score"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("toets")
        verbose_name_plural = _("toetsen")
        ordering = ["-toetsdatum", "domein", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(dle__gte=0), name="toets_dle_niet_negatief"),
        ]

    def __str__(self) -> str:
        return f"{self.get_domein_display()} ({self.toetsdatum:%d-%m-%Y}): DLE {self.dle}"


# The sociaal-emotionele problematiek questions of the landelijke LWOO criteria (faalangst,
# prestatiemotivatie, emotionele instabiliteit): (field, question).
SEP_VRAGEN: tuple[tuple[str, StrOrPromise], ...] = (
    ("faalangst", _("Is er sprake van faalangst?")),
    ("prestatiemotivatie", _("Is er sprake van een lage prestatiemotivatie?")),
    ("emotionele_instabiliteit", _("Is er sprake van emotionele instabiliteit?")),
)


class SociaalEmotioneleProblematiek(OrganisatieGebonden, MetGewijzigdDoor):
    """Answers yes/no (empty: not answered) with a toelichting. Any yes counts as
    sociaal-emotionele problematiek for the LWOO profile."""

    leerling = models.OneToOneField(
        Leerling,
        on_delete=models.CASCADE,
        related_name="sociaal_emotioneel",
        verbose_name=_("leerling"),
    )
    faalangst = models.BooleanField(SEP_VRAGEN[0][1], null=True, blank=True)
    faalangst_toelichting = models.TextField(_("toelichting faalangst"), blank=True)
    prestatiemotivatie = models.BooleanField(SEP_VRAGEN[1][1], null=True, blank=True)
    prestatiemotivatie_toelichting = models.TextField(
        _("toelichting prestatiemotivatie"), blank=True
    )
    emotionele_instabiliteit = models.BooleanField(SEP_VRAGEN[2][1], null=True, blank=True)
    emotionele_instabiliteit_toelichting = models.TextField(
        _("toelichting emotionele instabiliteit"), blank=True
    )
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("sociaal-emotionele problematiek")
        verbose_name_plural = _("sociaal-emotionele problematiek")

    def __str__(self) -> str:
        return str(self.leerling)

    @property
    def aanwezig(self) -> bool:
        return any(getattr(self, veld) is True for veld, _vraag in SEP_VRAGEN)

    def antwoorden(self) -> list[tuple[StrOrPromise, bool | None, str]]:
        """(question, answer, toelichting) for display."""
        return [
            (vraag, getattr(self, veld), getattr(self, f"{veld}_toelichting"))
            for veld, vraag in SEP_VRAGEN
        ]


def _maand_veld(index: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        lvs.MAANDEN[index],
        help_text=_("Maanden onderwijs in het schooljaar bij een toets in deze maand."),
        default=lvs.STANDAARD_MAANDWAARDEN[index],
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )


class LvsInstellingen(OrganisatieInstelling):
    """The organisation's PrO thresholds and month table. Without a row the landelijke defaults
    apply (dossiers.lvs.STANDAARD_INSTELLINGEN); the beheerder edits this in admin."""

    # A ForeignKey with a unique constraint rather than a OneToOneField: the admin's
    # organisation scoping (organisaties/admin_scope.py) follows many-to-one keys.
    pro_iq_min = models.PositiveSmallIntegerField(
        _("PrO: IQ vanaf"), default=55, validators=[validate_iq]
    )
    pro_iq_max = models.PositiveSmallIntegerField(
        _("PrO: IQ tot en met"), default=80, validators=[validate_iq]
    )
    pro_la_min = models.DecimalField(
        _("PrO: leerachterstand vanaf (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    min_domeinen = models.PositiveSmallIntegerField(
        _("aantal domeinen met leerachterstand"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Waarvan ten minste één begrijpend lezen of inzichtelijk rekenen."),
    )
    lwoo_iq_min = models.PositiveSmallIntegerField(
        _("LWOO: IQ vanaf"), default=75, validators=[validate_iq]
    )
    lwoo_iq_max = models.PositiveSmallIntegerField(
        _("LWOO: IQ tot en met"), default=90, validators=[validate_iq]
    )
    lwoo_sep_iq_max = models.PositiveSmallIntegerField(
        _("LWOO met sociaal-emotionele problematiek: IQ tot en met"),
        default=120,
        validators=[validate_iq],
    )
    lwoo_la_min = models.DecimalField(
        _("LWOO: leerachterstand vanaf (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(25),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    dl_max = models.PositiveSmallIntegerField(
        _("didactische leeftijd ten hoogste (maanden)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    maand_januari = _maand_veld(0)
    maand_februari = _maand_veld(1)
    maand_maart = _maand_veld(2)
    maand_april = _maand_veld(3)
    maand_mei = _maand_veld(4)
    maand_juni = _maand_veld(5)
    maand_juli = _maand_veld(6)
    maand_augustus = _maand_veld(7)
    maand_september = _maand_veld(8)
    maand_oktober = _maand_veld(9)
    maand_november = _maand_veld(10)
    maand_december = _maand_veld(11)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    MAAND_VELDEN = tuple(f"maand_{maand}" for maand in lvs.MAANDEN)

    class Meta:
        verbose_name = _("instellingen LVS en PrO-advies")
        verbose_name_plural = _("instellingen LVS en PrO-advies")
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie"], name="lvsinstellingen_een_per_organisatie"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Instellingen LVS en PrO-advies"))

    def clean(self) -> None:
        fouten = {}
        if None not in (self.pro_iq_min, self.pro_iq_max) and self.pro_iq_min > self.pro_iq_max:
            fouten["pro_iq_max"] = _("De bovengrens ligt onder de ondergrens.")
        if self.lwoo_iq_min is not None and self.lwoo_iq_max is not None:
            if self.lwoo_iq_min > self.lwoo_iq_max:
                fouten["lwoo_iq_max"] = _("De bovengrens ligt onder de ondergrens.")
            elif self.lwoo_sep_iq_max is not None and self.lwoo_sep_iq_max < self.lwoo_iq_max:
                fouten["lwoo_sep_iq_max"] = _(
                    "Deze grens ligt onder de IQ-bovengrens voor LWOO zonder problematiek."
                )
        if None not in (self.lwoo_la_min, self.pro_la_min) and self.lwoo_la_min >= self.pro_la_min:
            fouten["lwoo_la_min"] = _(
                "De LWOO-grens moet lager zijn dan de grens voor praktijkonderwijs."
            )
        if fouten:
            raise ValidationError(fouten)

    def als_pro_instellingen(self) -> lvs.ProInstellingen:
        return lvs.ProInstellingen(
            pro_iq_min=self.pro_iq_min,
            pro_iq_max=self.pro_iq_max,
            pro_la_min=Decimal(self.pro_la_min),
            min_domeinen=self.min_domeinen,
            lwoo_iq_min=self.lwoo_iq_min,
            lwoo_iq_max=self.lwoo_iq_max,
            lwoo_sep_iq_max=self.lwoo_sep_iq_max,
            lwoo_la_min=Decimal(self.lwoo_la_min),
            dl_max=self.dl_max,
            maandwaarden=tuple(getattr(self, veld) for veld in self.MAAND_VELDEN),
        )
