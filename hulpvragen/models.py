"""Hulpvragen (support requests), their process and status, labels and granted access."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AppendOnlyModel
from kindkans.models import MetAangemaakt, OrganisatieGebonden, VersieDefinitie
from organisaties.models import Sector


class HulpvraagType(models.TextChoices):
    """The titles a school chooses from (the manual's "Titel"); the title decides the process."""

    TLV_VSO = "TLV_VSO", "TLV VSO"
    FA = "FA", "Financieel Arrangement"
    PRO = "PRO", "Praktijkonderwijs"
    SV = "SV", "Schakelvoorziening"
    BAG = "BAG", "BAG"


class Proces(VersieDefinitie):
    """One version of a type's process for one organisation. A hulpvraag keeps the version it
    started with; the status-transition engine works on this data."""

    VERSIE_SLEUTEL = "type"

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="processen",
        verbose_name=_("organisatie"),
    )
    type = models.CharField(_("type"), max_length=10, choices=HulpvraagType.choices)
    actief = models.BooleanField(
        _("actief"), default=True, help_text=_("Nieuwe hulpvragen starten in de actieve versie.")
    )

    class Meta:
        verbose_name = _("proces")
        verbose_name_plural = _("processen")
        ordering = ["organisatie", "type", "-versie"]
        constraints = VersieDefinitie.versie_constraints("type")

    def __str__(self) -> str:
        return f"{self.get_type_display()} v{self.versie}"


class KiezenDoor(models.TextChoices):
    """Who takes a status (or a transition): the school by hand, the SWV by hand, or the system on
    an event such as an upload."""

    SCHOOL = "school", _("school")
    SWV = "swv", _("samenwerkingsverband")
    SYSTEEM = "systeem", _("automatisch")


class Trigger(models.TextChoices):
    """What starts a transition. Events are fired by the code that knows they happened
    (hulpvraag_fire_event); their names are fixed here so data files cannot invent new ones."""

    HANDMATIG = "handmatig", _("gekozen met Status wijzigen")
    BIJLAGE_TOEGEVOEGD = "bijlage_toegevoegd", _("bijlage toegevoegd")
    FORMULIER_ONDERTEKEND = "formulier_ondertekend", _("formulier ondertekend")


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
    vervolg_toegestaan = models.BooleanField(
        _("vervolg na eindstatus"),
        default=False,
        help_text=_(
            "Alleen bij een eindstatus: de procedure is afgerond, maar de overgangen vanuit deze "
            "status blijven mogelijk (bijvoorbeeld de evaluatie na “FA afgegeven”). Zolang de "
            "hulpvraag hier staat, telt zij als open."
        ),
    )
    zichtbaar_voor_swv = models.BooleanField(
        _("zichtbaar voor het samenwerkingsverband"),
        default=True,
        help_text=_("Uit voor een voorlopige aanvraag: die ziet alleen de school."),
    )
    kiezen_door = models.CharField(
        _("status kiezen door"),
        max_length=10,
        choices=KiezenDoor.choices,
        default=KiezenDoor.SWV,
        help_text=_(
            "Wie deze status kiest; een handmatige overgang naar deze status hoort bij "
            "dezelfde partij."
        ),
    )
    swv_informeren = models.BooleanField(
        _("samenwerkingsverband informeren"),
        default=False,
        help_text=_(
            "Het samenwerkingsverband (coördinator, anders het loket) krijgt bericht "
            "wanneer een hulpvraag deze status krijgt, bijvoorbeeld bij indienen."
        ),
    )
    vereist = models.BooleanField(
        _("vereist"),
        default=False,
        help_text=_(
            "De handleiding schrijft deze status voor: zij kan niet worden verwijderd, en een "
            "versie zonder haar kan niet actief worden."
        ),
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

    @property
    def open(self) -> bool:
        """A hulpvraag in this status is open: the one rule of hulpvragen.selectors.open_q, for a
        status already loaded."""
        return not self.eindstatus or self.vervolg_toegestaan


class Overgang(models.Model):
    """A transition of a process: from one status to another, taken by one party, by hand or on
    an event, allowed only when its named checks (hulpvragen.guards) pass."""

    proces = models.ForeignKey(
        Proces, on_delete=models.CASCADE, related_name="overgangen", verbose_name=_("proces")
    )
    # CASCADE in the database; the admin refuses removing a status that transitions use unless
    # those are ticked for deletion too (OvergangFormSet._weiger_verwijderen).
    van = models.ForeignKey(
        Status, on_delete=models.CASCADE, related_name="uitgaand", verbose_name=_("van")
    )
    naar = models.ForeignKey(
        Status, on_delete=models.CASCADE, related_name="inkomend", verbose_name=_("naar")
    )
    door = models.CharField(
        _("door"),
        max_length=10,
        choices=KiezenDoor.choices,
        help_text=_("Wie deze overgang mag nemen; “automatisch” alleen bij een gebeurtenis."),
    )
    trigger = models.CharField(
        _("aanleiding"), max_length=30, choices=Trigger.choices, default=Trigger.HANDMATIG
    )
    controles = models.JSONField(
        _("controles"),
        default=list,
        blank=True,
        help_text=_("Namen van controles uit de code die moeten slagen (bijv. adres bekend)."),
    )
    toelichting_verplicht = models.BooleanField(_("toelichting verplicht"), default=False)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("overgang")
        verbose_name_plural = _("overgangen")
        ordering = ["proces", "volgorde", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["van", "naar", "trigger"], name="overgang_uniek_per_aanleiding"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.van} → {self.naar}"


class TypePerSector(models.Model):
    """Configuration: which hulpvraag types a school of a sector may file with this organisation.
    In VO2505 VO schools file TLV VSO, FA, PrO and SV; basisscholen file BAG."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.CASCADE,
        related_name="types_per_sector",
        verbose_name=_("organisatie"),
    )
    sector = models.CharField(_("schoolsector"), max_length=2, choices=Sector.choices)
    type = models.CharField(_("type"), max_length=10, choices=HulpvraagType.choices)

    class Meta:
        verbose_name = _("hulpvraagtype per schoolsector")
        verbose_name_plural = _("hulpvraagtypen per schoolsector")
        ordering = ["organisatie", "sector", "type"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "sector", "type"], name="type_per_sector_uniek"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector}: {self.get_type_display()}"


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


class Hulpvraag(MetAangemaakt):
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
    laatste_datum = models.DateTimeField(
        _("laatste datum"),
        auto_now=True,
        db_index=True,
        help_text=_("Laatste wijziging; de lijst Hulpvragen sorteert hierop."),
    )
    # The manual's BAG step 4: "Indien u alleen vast een datum voor een BAG overleg wil
    # reserveren geeft u dat aan op het formulier". Kept in step with the saved form
    # (hulpvraag_reservering_zetten); the decision clock does not run while it is set.
    alleen_datum_gereserveerd = models.BooleanField(_("alleen datum gereserveerd"), default=False)
    aanvraag_compleet_op = models.DateTimeField(
        _("aanvraag compleet op"),
        null=True,
        blank=True,
        help_text=_("Wanneer een datumreservering tot een volledige aanvraag is aangevuld."),
    )

    class Meta:
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")
        ordering = ["-laatste_datum", "-id"]
        indexes = [
            models.Index(fields=["organisatie", "-laatste_datum", "-id"]),
            # The status filter of the Hulpvragen screen walks this in list order (no sort of all
            # rows of that status); it also serves every (organisatie, status) lookup, so the
            # former (organisatie, status) index went.
            models.Index(
                fields=["organisatie", "status", "-laatste_datum", "-id"],
                name="hulpvraag_org_status_datum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.hulpvraagdatum:%d-%m-%Y})"


class Toegang(OrganisatieGebonden):
    """Read access granted by the loket to a deskundige or an invited outsider (the Toegang tab).
    Revoking keeps the row, so the history of who could see the dossier stays."""

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
    geldig_tot = models.DateField(
        _("geldig tot en met"),
        null=True,
        blank=True,
        help_text=_("Na deze dag werkt de toegang niet meer. Leeg: tot intrekken."),
    )
    schoolintern = models.BooleanField(
        _("interne overlegronde van de school"),
        default=False,
        help_text=_(
            "Uitnodiging door de school voor haar eigen overlegronde; het loket ziet deze niet."
        ),
    )

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


class Statuswijziging(AppendOnlyModel, OrganisatieGebonden):
    """One step in a hulpvraag's history, written only by hulpvragen.services. The first row of
    every hulpvraag has no `van`: the status it started in."""

    hulpvraag = models.ForeignKey(
        Hulpvraag,
        on_delete=models.CASCADE,
        related_name="statuswijzigingen",
        verbose_name=_("hulpvraag"),
    )
    van = models.ForeignKey(
        Status,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("van"),
    )
    naar = models.ForeignKey(
        Status, on_delete=models.PROTECT, related_name="+", verbose_name=_("naar")
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    # The name as it was, so the history still reads right after an account is removed.
    door_naam = models.CharField(_("door (naam)"), max_length=300, blank=True)
    op = models.DateTimeField(_("op"), default=timezone.now, db_index=True)
    toelichting = models.TextField(_("toelichting"), blank=True)
    automatisch = models.BooleanField(_("automatisch"), default=False)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["op", "id"]
        indexes = [models.Index(fields=["hulpvraag", "op", "id"])]

    def __str__(self) -> str:
        return f"{self.van or '-'} → {self.naar}"


# --- A user's own working state on the Hulpvragen screens --------------------------------------


class Notitie(OrganisatieGebonden, MetAangemaakt):
    """ "Mijn notities": a note on a hulpvraag that only its author ever sees."""

    hulpvraag = models.ForeignKey(
        Hulpvraag,
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

    class Meta:
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")
        ordering = ["-aangemaakt_op", "-id"]
        indexes = [
            models.Index(
                fields=["hulpvraag", "auteur", "-aangemaakt_op"], name="notitie_hulpvraag_auteur"
            )
        ]

    def __str__(self) -> str:
        return f"{self.auteur}: {self.tekst[:40]}"


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
