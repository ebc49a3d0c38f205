"""Parents take part online in the manual's step "laat ouders controleren … en tekenen voor
gezien": an invitation per parent, with a link and a one-time code the school hands over, and
what the parent does with it (a correction proposal, a zienswijze, a "voor gezien" signature).

Parents have no account: the invitation is their only key. Its code and link are stored as
hashes; the parent's session is a signed cookie bound to one invitation (ouders/sessie.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindkans.models import MetAangemaakt, OrganisatieGebonden


class Uitnodiging(OrganisatieGebonden, MetAangemaakt):
    hulpvraag = models.ForeignKey(
        "hulpvragen.Hulpvraag",
        on_delete=models.CASCADE,
        related_name="ouderuitnodigingen",
        verbose_name=_("hulpvraag"),
    )
    formulier = models.ForeignKey(
        "formulieren.Formulier",
        on_delete=models.CASCADE,
        related_name="ouderuitnodigingen",
        verbose_name=_("formulier"),
    )
    # Which parent of the form's "Ouders/verzorgers en gezag" section (ouder1_…, ouder2_…).
    ouder = models.PositiveSmallIntegerField(_("ouder/verzorger"))
    naam = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"))
    bijlagen = models.ManyToManyField(
        "bijlagen.Bijlage",
        blank=True,
        related_name="+",
        verbose_name=_("bijlagen die de ouder mag lezen"),
    )
    link_hash = models.CharField(_("SHA-256 van de link"), max_length=64, unique=True)
    code_hash = models.CharField(_("code (gehasht)"), max_length=200)
    code_op = models.DateTimeField(_("code gemaakt op"))
    pogingen = models.PositiveSmallIntegerField(_("verkeerde codes"), default=0)
    geblokkeerd_op = models.DateTimeField(_("geblokkeerd op"), null=True, blank=True)
    # SHA-256 of the current parent session's secret; empty: no session. A new code or
    # revoking empties it, which ends that session at once.
    sessie_hash = models.CharField(max_length=64, blank=True, editable=False)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    geldig_tot = models.DateTimeField(_("geldig tot"))
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    ingetrokken_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )

    class Meta:
        verbose_name = _("uitnodiging voor ouders")
        verbose_name_plural = _("uitnodigingen voor ouders")
        ordering = ["-aangemaakt_op", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ouder__in=[1, 2]), name="uitnodiging_ouder_1_of_2")
        ]

    def __str__(self) -> str:
        return f"{_('uitnodiging')} {self.pk}"

    @property
    def verlopen(self) -> bool:
        return timezone.now() >= self.geldig_tot

    @property
    def bruikbaar(self) -> bool:
        """The link opens the code page: not revoked, not expired."""
        return self.ingetrokken_op is None and not self.verlopen

    @property
    def geblokkeerd(self) -> bool:
        return self.geblokkeerd_op is not None


class VoorstelStatus(models.TextChoices):
    OPEN = "open", _("wacht op de school")
    AANVAARD = "aanvaard", _("overgenomen")
    AFGEWEZEN = "afgewezen", _("niet overgenomen")


class Correctievoorstel(models.Model):
    """What a parent says is wrong in their contact details or the gezagssituatie. Nothing
    changes until the school takes it over (then through the form's own save)."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie", on_delete=models.PROTECT, related_name="+"
    )
    uitnodiging = models.ForeignKey(
        Uitnodiging,
        on_delete=models.CASCADE,
        related_name="voorstellen",
        verbose_name=_("uitnodiging"),
    )
    # {question key: {"label": …, "oud": …, "nieuw": …}} (values as stored in the form)
    wijzigingen = models.JSONField(_("wijzigingen"))
    toelichting = models.TextField(_("toelichting"), blank=True, max_length=2000)
    ingediend_op = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VoorstelStatus.choices, default=VoorstelStatus.OPEN
    )
    beoordeeld_op = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    beoordeeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    reden = models.CharField(_("reden"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("correctievoorstel van ouders")
        verbose_name_plural = _("correctievoorstellen van ouders")
        ordering = ["ingediend_op", "id"]

    def __str__(self) -> str:
        return f"{_('voorstel')} {self.pk}"


class Zienswijze(models.Model):
    """The parent's own words on the aanvraag. Never edited: a second one is added."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie", on_delete=models.PROTECT, related_name="+"
    )
    uitnodiging = models.ForeignKey(
        Uitnodiging,
        on_delete=models.CASCADE,
        related_name="zienswijzen",
        verbose_name=_("uitnodiging"),
    )
    tekst = models.TextField(_("zienswijze"), max_length=5000)
    niet_eens = models.BooleanField(_("wij zijn het niet eens met de aanvraag"), default=False)
    op = models.DateTimeField(_("gegeven op"), auto_now_add=True)

    class Meta:
        verbose_name = _("zienswijze van ouders")
        verbose_name_plural = _("zienswijzen van ouders")
        ordering = ["op", "id"]

    def __str__(self) -> str:
        return f"{_('zienswijze')} {self.pk}"


class VoorGezien(models.Model):
    """The parent's "voor gezien": typed name, time and the SHA-256 of exactly what the page
    showed. One per invitation (a replayed post finds it taken)."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie", on_delete=models.PROTECT, related_name="+"
    )
    uitnodiging = models.OneToOneField(
        Uitnodiging,
        on_delete=models.CASCADE,
        related_name="voor_gezien",
        verbose_name=_("uitnodiging"),
    )
    naam = models.CharField(_("getypte naam"), max_length=200)
    ondertekend_op = models.DateTimeField(_("getekend op"))
    hash = models.CharField(_("SHA-256 van wat getoond werd"), max_length=64)
    # SET_NULL: retention removes a hulpvraag's bijlagen before the hulpvraag (and with it this
    # row); the bijlage must not block that.
    bijlage = models.ForeignKey(
        "bijlagen.Bijlage",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("bijlage"),
    )

    class Meta:
        verbose_name = _("voor gezien getekend door ouders")
        verbose_name_plural = _("voor gezien getekend door ouders")
        ordering = ["-ondertekend_op"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.ondertekend_op:%d-%m-%Y})"
