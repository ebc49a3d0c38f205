"""Beheer and privacy: the SWV's own changes to its people and schools, kept as history.

A Personeelswijziging is one action (the manual's FAQ "Wat te doen bij een personeelwijziging?"):
its rows remember what each Schoolgegevens held before, so the whole change can be undone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import AppendOnlyModel
from hulpvragen.models import HulpvraagType
from kindkans.models import MetAangemaakt, OrganisatieGebonden, OrganisatieInstelling


class PersoneelswijzigingStatus(models.TextChoices):
    AANGEVRAAGD = "aangevraagd", _("aangevraagd door de school")
    TOEGEPAST = "toegepast", _("toegepast")
    ONGEDAAN = "ongedaan", _("ongedaan gemaakt")
    AFGEWEZEN = "afgewezen", _("afgewezen")


class Personeelswijziging(OrganisatieGebonden, MetAangemaakt):
    """A departing ondersteuningscoördinator and the successor from a start date. The school may
    request it (then `opvolger_naam`/`opvolger_email` hold what it typed and `opvolger` is chosen
    by the loket when approving); the loket applies it."""

    school = models.ForeignKey(
        "organisaties.School",
        on_delete=models.PROTECT,
        related_name="personeelswijzigingen",
        verbose_name=_("school"),
    )
    vertrekkend = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vertrekkende ondersteuningscoördinator"),
    )
    vertrekkend_email = models.EmailField(_("e-mailadres vertrekkende"), blank=True)
    opvolger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nieuwe ondersteuningscoördinator"),
    )
    # What the school typed in its request (the successor may not have an account yet), and a
    # copy of what was applied, so the history reads right after an account is removed.
    opvolger_naam = models.CharField(_("naam nieuwe ondersteuningscoördinator"), max_length=200)
    opvolger_email = models.EmailField(_("e-mailadres nieuwe ondersteuningscoördinator"))
    ingangsdatum = models.DateField(_("startdatum opvolger"))
    toelichting = models.TextField(_("toelichting"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PersoneelswijzigingStatus.choices,
        default=PersoneelswijzigingStatus.AANGEVRAAGD,
    )
    aangevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    behandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegepast of afgewezen door"),
    )
    behandeld_op = models.DateTimeField(_("toegepast of afgewezen op"), null=True, blank=True)
    ongedaan_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ongedaan gemaakt door"),
    )
    ongedaan_op = models.DateTimeField(_("ongedaan gemaakt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("personeelswijziging")
        verbose_name_plural = _("personeelswijzigingen")
        ordering = ["-aangemaakt_op", "-id"]
        indexes = [models.Index(fields=["organisatie", "status", "-aangemaakt_op"])]

    def __str__(self) -> str:
        return f"{self.school}: {self.opvolger_naam} per {self.ingangsdatum:%d-%m-%Y}"


class PersoneelswijzigingRegel(models.Model):
    """One Schoolgegevens a personeelswijziging changed, with what it held before (for undo).
    Goes with the Schoolgegevens when retention removes the dossier: no orphan rows."""

    personeelswijziging = models.ForeignKey(
        Personeelswijziging,
        on_delete=models.CASCADE,
        related_name="regels",
        verbose_name=_("personeelswijziging"),
    )
    schoolgegevens = models.ForeignKey(
        "dossiers.Schoolgegevens",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("schoolgegevens"),
    )
    oud_aanvrager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vorige aanvrager"),
    )
    oud_contactpersoon = models.CharField(_("vorige contactpersoon"), max_length=200)
    oud_email = models.EmailField(_("vorig e-mailadres"))
    teruggezet = models.BooleanField(_("teruggezet"), default=False)

    class Meta:
        verbose_name = _("gewijzigde schoolgegevens")
        verbose_name_plural = _("gewijzigde schoolgegevens")
        constraints = [
            models.UniqueConstraint(
                fields=["personeelswijziging", "schoolgegevens"], name="pw_regel_uniek"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.personeelswijziging_id}: {self.oud_contactpersoon} → {self.schoolgegevens_id}"
        )


class SchoolwijzigingSoort(models.TextChoices):
    NIEUW = "nieuw", _("nieuwe school")
    HERNOEMD = "hernoemd", _("nieuwe naam")
    BRIN = "brin", _("nieuwe BRIN of vestiging")
    BESTUUR = "bestuur", _("ander bestuur")
    GEGEVENS = "gegevens", _("andere gegevens")
    SAMENGEVOEGD = "samengevoegd", _("samengevoegd met een andere school")
    GESLOTEN = "gesloten", _("opgeheven")


class Schoolwijziging(AppendOnlyModel, OrganisatieGebonden):
    """One change to a school (the manual's FAQ "Mijn school verhuist / fuseert / …"): what it
    was and what it became, by whom and when. For a merge `doel` is the school that continues and
    `oud` lists the Schoolgegevens and accounts that moved, so the history of each dossier can be
    traced back to the old school."""

    school = models.ForeignKey(
        "organisaties.School",
        on_delete=models.PROTECT,
        related_name="wijzigingen",
        verbose_name=_("school"),
    )
    soort = models.CharField(_("soort"), max_length=20, choices=SchoolwijzigingSoort.choices)
    oud = models.JSONField(_("was"), default=dict, blank=True)
    nieuw = models.JSONField(_("wordt"), default=dict, blank=True)
    doel = models.ForeignKey(
        "organisaties.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voortgezet als"),
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    door_naam = models.CharField(_("door (naam)"), max_length=300, blank=True)
    op = models.DateTimeField(_("op"), auto_now_add=True)

    class Meta:
        verbose_name = _("schoolwijziging")
        verbose_name_plural = _("schoolwijzigingen")
        ordering = ["-op", "-id"]
        indexes = [models.Index(fields=["school", "-op"])]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_soort_display()}"


# --- Retention -----------------------------------------------------------------------------------


class Bewaartermijn(OrganisatieInstelling):
    """How long a closed dossier is kept per organisation and hulpvraag type. Without a row the
    default applies (beheer.retention.STANDAARD_JAREN: 3 years TLV, 2 otherwise)."""

    type = models.CharField(_("type"), max_length=10, choices=HulpvraagType.choices)
    jaren = models.PositiveSmallIntegerField(_("jaren na afsluiten"))

    class Meta:
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")
        constraints = [
            models.UniqueConstraint(fields=["organisatie", "type"], name="bewaartermijn_uniek"),
            models.CheckConstraint(
                condition=models.Q(jaren__gte=1, jaren__lte=30), name="bewaartermijn_1_30_jaar"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.jaren}"


class Bewaarsignalering(OrganisatieInstelling):
    """A dossier whose retention term has passed, as found by the daily job: the list the
    beheerder confirms. Plain ids and dates only, no pupil data."""

    leerling_id = models.BigIntegerField(_("dossier"), unique=True)
    gesloten_op = models.DateField(_("afgesloten op"))
    verloopt_op = models.DateField(_("bewaartermijn verstreken op"))
    types = models.CharField(_("hulpvraagtypen"), max_length=100)
    gesignaleerd_op = models.DateTimeField(_("gesignaleerd op"), auto_now=True)

    class Meta:
        verbose_name = _("verlopen bewaartermijn")
        verbose_name_plural = _("verlopen bewaartermijnen")
        ordering = ["verloopt_op", "leerling_id"]
        indexes = [models.Index(fields=["organisatie", "verloopt_op"])]

    def __str__(self) -> str:
        return f"{self.leerling_id}: {self.verloopt_op:%d-%m-%Y}"


class BewaarSoort(models.TextChoices):
    VERWIJDEREN = "verwijderen", _("verwijderen")
    ANONIMISEREN = "anonimiseren", _("anonimiseren")


class BewaarStatus(models.TextChoices):
    INGEPLAND = "ingepland", _("ingepland")
    BEZIG = "bezig", _("bezig")
    KLAAR = "klaar", _("klaar")
    MISLUKT = "mislukt", _("mislukt")


class Verwijdering(OrganisatieGebonden):
    """One retention job and its record: who confirmed what (delete or anonymise) when, how far
    it got, how much it removed, which ids. Never any content (no names, no file names). The
    work runs in a Celery task after the confirmation (beheer.services.bewaaropdracht_uitvoeren)."""

    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("bevestigd door"),
    )
    door_naam = models.CharField(_("bevestigd door (naam)"), max_length=300)
    op = models.DateTimeField(_("op"), auto_now_add=True)
    soort = models.CharField(
        _("soort"), max_length=12, choices=BewaarSoort.choices, default=BewaarSoort.VERWIJDEREN
    )
    # Rows from before jobs existed were done in the request: "klaar".
    status = models.CharField(
        _("status"), max_length=10, choices=BewaarStatus.choices, default=BewaarStatus.KLAAR
    )
    aangevraagd = models.JSONField(_("bevestigde dossiers (ids)"), default=list)
    klaar_op = models.DateTimeField(_("klaar op"), null=True, blank=True)
    fout = models.CharField(_("fout"), max_length=200, blank=True)
    leerling_ids = models.JSONField(_("verwerkte dossiers (ids)"), default=list)
    aantal_dossiers = models.PositiveIntegerField(_("dossiers"), default=0)
    aantal_hulpvragen = models.PositiveIntegerField(_("hulpvragen"), default=0)
    aantal_bijlagen = models.PositiveIntegerField(_("bijlagen (bestanden)"), default=0)

    class Meta:
        verbose_name = _("verwijdering (bewaartermijn)")
        verbose_name_plural = _("verwijderingen (bewaartermijn)")
        ordering = ["-op", "-id"]

    def __str__(self) -> str:
        return f"{self.op:%d-%m-%Y %H:%M}: {self.aantal_dossiers}"
