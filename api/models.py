"""API clients of an SWV (an LVS vendor's koppeling, the loket's own tooling) and their tokens.

A client acts through its own account (`gebruiker`): a User of the organisation with the role
school and the client's schools, or — for a read-only client of the whole SWV — the role SWV
loket. So the access module, the capability module, the services and the audit log treat an API
call exactly as they treat a person with that role; the audit log names the client's account as
the actor. That account has no usable password and no e-mail address: it can never log in on a
screen, only act through a token.

Tokens are random strings shown once; only their SHA-256 is stored (a token has 256 bits of
randomness, so an unsalted fast hash is enough: nothing to guess from the hash)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindkans.models import MetAangemaakt, MetAangemaaktDoor, OrganisatieGebonden


class Scope(models.TextChoices):
    LEZEN = "lezen", _("Alleen lezen")
    SCHRIJVEN = "schrijven", _("Lezen en schrijven")


class ApiClient(OrganisatieGebonden, MetAangemaakt, MetAangemaaktDoor):
    naam = models.CharField(
        _("naam"), max_length=100, help_text=_("Bijvoorbeeld “Magister Veluws College”.")
    )
    gebruiker = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("account van de koppeling"),
    )
    scope = models.CharField(_("rechten"), max_length=10, choices=Scope.choices)
    swv_breed = models.BooleanField(
        _("hele samenwerkingsverband (alleen lezen)"),
        default=False,
        help_text=_("Voor de eigen hulpmiddelen van het loket: leest wat het loket ziet."),
    )
    per_minuut = models.PositiveIntegerField(_("maximaal aantal verzoeken per minuut"), default=120)
    contact_email = models.EmailField(
        _("e-mailadres van de leverancier"),
        blank=True,
        help_text=_("Voor technische vragen; krijgt geen leerlinggegevens."),
    )
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-koppeling")
        verbose_name_plural = _("API-koppelingen")
        ordering = ["naam", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(swv_breed=False) | models.Q(scope="lezen"),
                name="api_swv_breed_alleen_lezen",
            ),
        ]

    def __str__(self) -> str:
        return self.naam

    @property
    def actief(self) -> bool:
        return self.ingetrokken_op is None


class ApiToken(MetAangemaakt):
    client = models.ForeignKey(
        ApiClient, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("koppeling")
    )
    # The first characters after "kk_": shown in the screens to tell tokens apart, and the
    # lookup key (the hash is compared in constant time after it).
    prefix = models.CharField(_("begin van het token"), max_length=12, unique=True)
    hash = models.CharField(max_length=64, editable=False)
    verloopt_op = models.DateTimeField(_("verloopt op"))
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    laatst_gebruikt_op = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")
        ordering = ["-aangemaakt_op", "-id"]

    def __str__(self) -> str:
        return f"kk_{self.prefix}…"

    def geldig(self, nu=None) -> bool:
        nu = nu or timezone.now()
        return self.ingetrokken_op is None and self.verloopt_op > nu
