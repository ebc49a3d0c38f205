"""The loket's own rows: the decision clock per hulpvraag (kept in step with every status change)
and the loket settings per organisation."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kindkans.models import MetAangemaakt, OrganisatieGebonden
from loket.klok import Fase, Klok

STANDAARD_BESLISTERMIJN_WEKEN = 8


class LoketInstellingen(models.Model):
    """Settings of one organisation's loket; the beheerder edits them (/loket/instellingen/).
    Without a row the defaults hold."""

    organisatie = models.OneToOneField(
        "organisaties.Organisatie",
        on_delete=models.CASCADE,
        related_name="loket_instellingen",
        verbose_name=_("organisatie"),
    )
    beslistermijn_weken = models.PositiveSmallIntegerField(
        _("beslistermijn (weken)"),
        default=STANDAARD_BESLISTERMIJN_WEKEN,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_(
            "Binnen hoeveel weken na indienen het samenwerkingsverband besluit. De klok staat "
            "stil zolang de hulpvraag incompleet is of er vragen openstaan."
        ),
    )

    class Meta:
        verbose_name = _("loketinstellingen")
        verbose_name_plural = _("loketinstellingen")

    def __str__(self) -> str:
        return str(self.organisatie)

    @property
    def beslistermijn(self) -> timedelta:
        return timedelta(weeks=self.beslistermijn_weken)


class Termijn(OrganisatieGebonden):
    """The decision clock of one hulpvraag (loket.klok), stored so the werkvoorraad can filter and
    sort on it in SQL. Written only by loket.services.termijn_update, in the transaction of the
    status change (hulpvragen.signals.status_gewijzigd)."""

    hulpvraag = models.OneToOneField(
        "hulpvragen.Hulpvraag",
        on_delete=models.CASCADE,
        related_name="termijn",
        verbose_name=_("hulpvraag"),
    )
    fase = models.CharField(_("fase"), max_length=20, choices=Fase.choices)
    ingediend_op = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    gepauzeerd = models.DurationField(_("klok stilgestaan"), default=timedelta(0))
    pauze_sinds = models.DateTimeField(_("klok stil sinds"), null=True, blank=True)
    gestopt_op = models.DateTimeField(_("besloten of ingetrokken op"), null=True, blank=True)
    deadline = models.DateTimeField(_("uiterste besluitdatum"), null=True, blank=True)

    class Meta:
        verbose_name = _("beslistermijn")
        verbose_name_plural = _("beslistermijnen")
        indexes = [
            models.Index(fields=["organisatie", "fase", "deadline"]),
            models.Index(fields=["organisatie", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.hulpvraag_id}: {self.fase}"

    @property
    def klok(self) -> Klok:
        return Klok(
            fase=Fase(self.fase),
            ingediend_op=self.ingediend_op,
            gepauzeerd=self.gepauzeerd,
            pauze_sinds=self.pauze_sinds,
            gestopt_op=self.gestopt_op,
            deadline=self.deadline,
        )

    def deadline_op(self, nu: datetime) -> datetime | None:
        return self.klok.deadline_op(nu)

    def te_laat(self, nu: datetime) -> bool:
        return self.klok.te_laat(nu)


class VergaderingSoort(models.TextChoices):
    BAG = "bag", _("BAG-overleg")
    PRO = "pro", _("PrO-loketvergadering")
    INTERN = "intern", _("interne overlegronde van de school")


class Vergadering(OrganisatieGebonden, MetAangemaakt):
    """A meeting with an agenda of hulpvragen: the SWV's BAG-overleg or PrO-loketvergadering, or a
    school's own internal overlegronde (seen by that school only, never by the loket)."""

    soort = models.CharField(_("soort"), max_length=10, choices=VergaderingSoort.choices)
    school = models.ForeignKey(
        "organisaties.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
        help_text=_("Alleen bij een interne overlegronde: de school die haar houdt."),
    )
    datum = models.DateField(_("datum"))
    tijd = models.TimeField(_("tijd"))
    plaats = models.CharField(_("plaats"), max_length=200)
    deelnemers = models.TextField(_("deelnemers"), blank=True)
    aangemaakt_door = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )

    class Meta:
        verbose_name = _("vergadering")
        verbose_name_plural = _("vergaderingen")
        ordering = ["-datum", "-tijd", "-id"]
        indexes = [models.Index(fields=["organisatie", "soort", "-datum"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(soort=VergaderingSoort.INTERN, school__isnull=False)
                    | (~models.Q(soort=VergaderingSoort.INTERN) & models.Q(school__isnull=True))
                ),
                name="vergadering_school_alleen_intern",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} {self.datum:%d-%m-%Y} {self.tijd:%H:%M}"


class Uitkomst(models.TextChoices):
    OPEN = "open", _("nog niet besproken")
    AKKOORD = "akkoord", _("akkoord")
    AFWIJZING = "afwijzing", _("afwijzing")
    AANGEHOUDEN = "aangehouden", _("aangehouden")
    ADVIES = "advies", _("advies uitgebracht")
    BESPROKEN = "besproken", _("besproken")


class Agendapunt(OrganisatieGebonden):
    vergadering = models.ForeignKey(
        Vergadering,
        on_delete=models.CASCADE,
        related_name="agendapunten",
        verbose_name=_("vergadering"),
    )
    hulpvraag = models.ForeignKey(
        "hulpvragen.Hulpvraag",
        on_delete=models.CASCADE,
        related_name="agendapunten",
        verbose_name=_("hulpvraag"),
    )
    uitkomst = models.CharField(
        _("uitkomst"), max_length=12, choices=Uitkomst.choices, default=Uitkomst.OPEN
    )
    toelichting = models.TextField(_("toelichting"), blank=True)
    afgehandeld_op = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    afgehandeld_door = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )
    toegevoegd_op = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["vergadering", "toegevoegd_op", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vergadering", "hulpvraag"], name="agendapunt_een_per_vergadering"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vergadering}: {self.hulpvraag_id}"


class Aanpak(OrganisatieGebonden):
    """What the SWV posts on the Aanpak tab: the arrangement decision (beschikking) and the agreed
    approach. Appended, never edited: a new decision is a new entry, the history stays."""

    hulpvraag = models.ForeignKey(
        "hulpvragen.Hulpvraag",
        on_delete=models.CASCADE,
        related_name="aanpakken",
        verbose_name=_("hulpvraag"),
    )
    beschikking = models.TextField(_("beschikking (arrangement)"))
    aanpak = models.TextField(_("afgesproken aanpak"))
    geplaatst_door = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("geplaatst door"),
    )
    door_naam = models.CharField(_("door (naam)"), max_length=300, blank=True)
    geplaatst_op = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("aanpak")
        verbose_name_plural = _("aanpak")
        ordering = ["-geplaatst_op", "-id"]
        indexes = [models.Index(fields=["hulpvraag", "-geplaatst_op"])]

    def __str__(self) -> str:
        return f"{self.hulpvraag_id}: {self.geplaatst_op:%d-%m-%Y}"
