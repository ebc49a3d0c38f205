"""A pupil's dossier: Leerling, address history and Schoolgegevens.

Every row carries its organisation so that the access module can filter on it without joins
through other tables, and so that a forgotten filter can never cross SWVs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers import lvs
from dossiers.validators import validate_bsn, validate_dle, validate_iq, validate_onderwijsnummer


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
        return self.geldig().filter(ingangsdatum__lte=datum).order_by(*Adres._meta.ordering)


class Adres(models.Model):
    """Address history: adding a new address keeps the old ones. Current is the newest valid
    address whose ingangsdatum has come (AdresQuerySet.op_datum); a wrongly entered address is
    corrected (a new row replaces it) or removed, and stays in the history as such."""

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


# --- LVS (leerlingvolgsysteem) data: the LVS tab ------------------------------------------------
# Per leerling, not per hulpvraag: a second hulpvraag for the same pupil sees the same tests.
# The advice computed from them lives in dossiers/lvs.py (pure) and dossiers/selectors.py.


class Domein(models.TextChoices):
    BEGRIJPEND_LEZEN = lvs.BL, _("Begrijpend lezen")
    INZICHTELIJK_REKENEN = lvs.IR, _("Inzichtelijk rekenen")
    TECHNISCH_LEZEN = lvs.TL, _("Technisch lezen")
    SPELLEN = lvs.SP, _("Spellen")


class IqTest(models.Model):
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
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
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
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


class Toets(models.Model):
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
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
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )

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
SEP_VRAGEN: tuple[tuple[str, str], ...] = (
    ("faalangst", _("Is er sprake van faalangst?")),
    ("prestatiemotivatie", _("Is er sprake van een lage prestatiemotivatie?")),
    ("emotionele_instabiliteit", _("Is er sprake van emotionele instabiliteit?")),
)


class SociaalEmotioneleProblematiek(models.Model):
    """Answers yes/no (empty: not answered) with a toelichting. Any yes counts as
    sociaal-emotionele problematiek for the LWOO profile."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
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
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )

    class Meta:
        verbose_name = _("sociaal-emotionele problematiek")
        verbose_name_plural = _("sociaal-emotionele problematiek")

    def __str__(self) -> str:
        return str(self.leerling)

    @property
    def aanwezig(self) -> bool:
        return any(getattr(self, veld) is True for veld, _vraag in SEP_VRAGEN)

    def antwoorden(self) -> list[tuple[str, bool | None, str]]:
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


class LvsInstellingen(models.Model):
    """The organisation's PrO thresholds and month table. Without a row the landelijke defaults
    apply (dossiers.lvs.STANDAARD_INSTELLINGEN); the beheerder edits this in admin."""

    # A ForeignKey with a unique constraint rather than a OneToOneField: the admin's
    # organisation scoping (organisaties/admin_scope.py) follows many-to-one keys.
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisatie"),
    )
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


class LijstVoorkeur(models.Model):
    """What the Hulpvragen screen remembers per user across sessions: the last search and filters
    (until "Wissen"), the sort, the chosen columns in their order, and the full-screen toggle."""

    gebruiker = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lijstvoorkeur",
        verbose_name=_("gebruiker"),
    )
    filters = models.JSONField(_("zoekfilters"), default=dict, blank=True)
    sortering = models.CharField(_("sortering"), max_length=40, blank=True)
    kolommen = models.JSONField(
        _("kolommen"), default=list, blank=True, help_text=_("Zichtbare kolommen, in volgorde.")
    )
    volledig_scherm = models.BooleanField(_("volledig scherm"), default=False)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("lijstvoorkeur")
        verbose_name_plural = _("lijstvoorkeuren")

    def __str__(self) -> str:
        return str(self.gebruiker)


class ConceptStap(models.TextChoices):
    BASISGEGEVENS = "basisgegevens", _("Basisgegevens")
    SCHOOLGEGEVENS = "schoolgegevens", _("Schoolgegevens")
    HULPVRAAG = "hulpvraag", _("Hulpvraag")


class DossierConcept(models.Model):
    """A new dossier being entered through the wizard, kept server-side after every step.

    The manual warns that a pupil entered today without a hulpvraag cannot be found tomorrow.
    Here nothing becomes a Leerling until the last step, and until then the half-filled wizard is
    the creator's own concept: listed for them, resumable, invisible to everyone else (the SWV
    too). What was typed is stored even when it does not validate yet, so nothing is lost."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
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
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

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


class Notitie(models.Model):
    """ "Mijn notities": a note on a hulpvraag that only its author ever sees."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    hulpvraag = models.ForeignKey(
        "hulpvragen.Hulpvraag",
        on_delete=models.CASCADE,
        related_name="notities",
        verbose_name=_("hulpvraag"),
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notities",
        verbose_name=_("auteur"),
    )
    tekst = models.TextField(_("notitie"))
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")
        ordering = ["-aangemaakt_op", "-id"]
        indexes = [models.Index(fields=["hulpvraag", "auteur", "-aangemaakt_op"])]

    def __str__(self) -> str:
        return f"{self.auteur}: {self.tekst[:40]}"


class InzageActie(models.TextChoices):
    BEKEKEN = "bekeken", _("bekeken")
    GEWIJZIGD = "gewijzigd", _("gewijzigd")
    AANGEMAAKT = "aangemaakt", _("aangemaakt")
    TOEGANG_VERLEEND = "toegang_verleend", _("toegang verleend")
    TOEGANG_INGETROKKEN = "toegang_ingetrokken", _("toegang ingetrokken")
    VIRUS_GEVONDEN = "virus_gevonden", _("virus gevonden, in quarantaine")


class InzageQuerySet(models.QuerySet):
    """Bulk update and delete would rewrite the audit log; it only grows (issue 10)."""

    def update(self, **kwargs):
        raise ValueError("Inzage is append-only")

    def delete(self):
        raise ValueError("Inzage is append-only")


class Inzage(models.Model):
    """Append-only audit record of access to pupil data: who, what, when. Rows are never changed
    or deleted through the application (save refuses an update, delete refuses)."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
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

    objects = InzageQuerySet.as_manager()

    class Meta:
        verbose_name = _("inzage (auditlog)")
        verbose_name_plural = _("inzage (auditlog)")
        ordering = ["-op", "-id"]
        indexes = [
            models.Index(fields=["organisatie", "leerling_id", "-op"]),
            models.Index(fields=["organisatie", "gebruiker", "-op"]),
            # The audit log search by period only (beheer/auditlog.py).
            models.Index(fields=["organisatie", "-op"], name="dossiers_inzage_org_op"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(gebruiker__isnull=False) | Q(ouder_uitnodiging_id__isnull=False),
                name="inzage_gebruiker_of_ouder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.op:%d-%m-%Y %H:%M} {self.door} {self.actie} {self.onderdeel}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Inzage is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Inzage is append-only")

    @property
    def door(self) -> str:
        """The actor as the audit log shows it: the user, or "ouder" with the invitation."""
        if self.gebruiker_id is None and self.ouder_uitnodiging_id is not None:
            return f"ouder (uitnodiging {self.ouder_uitnodiging_id})"
        return str(self.gebruiker)
