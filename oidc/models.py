"""Logging in with the account a school or board already gives its staff (OpenID Connect).

- `Identiteitsprovider`: one configured provider (discovery URL, client id and secret, which
  organisations and schools may use it, which `amr`/`acr` values count as multi-factor). The
  platform admin configures providers for several SWVs (`organisatie` empty); a beheerder
  configures one for the own SWV.
- `ExterneIdentiteit`: a Kindkans account linked to one identity at a provider (issuer + `sub`,
  never the e-mail address). One identity may be linked to an account in several SWVs: that is
  the chooser after the provider login. It is also a django-otp device: a session whose provider
  asserted multi-factor authentication is verified *on this link*, so the two-factor middleware
  treats it like a session verified with the app.
- `ProviderVerplichting`: a school whose users log in only through a provider (the password
  alone is refused; the beheerder sets it).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from kindkans.models import OrganisatieInstelling

DISCOVERY_PAD = "/.well-known/openid-configuration"


def fernet(doel: str) -> MultiFernet:
    """Fernet keys for `doel`, derived from SECRET_KEY and each fallback: a rotated key keeps
    what was encrypted readable until the fallback is removed."""
    sleutels = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(f"kindkans.{doel}", "fernet", secret=s, algorithm="sha256").digest()
                )
            )
            for s in sleutels
        ]
    )


def _fernet() -> MultiFernet:
    return fernet("oidc.client_secret")


def _lijst(tekst: str) -> set[str]:
    return {deel for deel in tekst.replace(",", " ").split() if deel}


class Identiteitsprovider(models.Model):
    naam = models.CharField(
        _("naam"),
        max_length=100,
        help_text=_(
            "Zoals op de knop: de naam na “Inloggen met”, bijvoorbeeld “Stichting Veluwe”."
        ),
    )
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beheerd door"),
        help_text=_(
            "Leeg: ingesteld door de platformbeheerder voor de organisaties hieronder. "
            "Anders alleen voor dit samenwerkingsverband."
        ),
    )
    discovery_url = models.URLField(
        _("discovery-URL"),
        max_length=300,
        help_text=_("De issuer gevolgd door /.well-known/openid-configuration."),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret_versleuteld = models.BinaryField(_("client secret (versleuteld)"), blank=True)
    client_secret_env = models.CharField(
        _("client secret uit omgevingsvariabele"),
        max_length=100,
        blank=True,
        help_text=_(
            "Naam van een omgevingsvariabele van de server met het secret (bijvoorbeeld "
            "OIDC_SECRET_VELUWE). Gaat voor een hier opgeslagen secret."
        ),
    )
    scopes = models.CharField(_("scopes"), max_length=200, default="openid email profile")
    organisaties = models.ManyToManyField(
        "organisaties.Organisatie",
        blank=True,
        related_name="identiteitsproviders",
        verbose_name=_("te gebruiken door"),
        help_text=_("De samenwerkingsverbanden waarvan gebruikers met deze provider inloggen."),
    )
    scholen = models.ManyToManyField(
        "organisaties.School",
        blank=True,
        related_name="+",
        verbose_name=_("alleen voor scholen"),
        help_text=_(
            "Leeg: alle gebruikers van die organisaties. Anders alleen schoolgebruikers van "
            "deze scholen."
        ),
    )
    vertrouwde_amr = models.CharField(
        _("vertrouwde amr-waarden"),
        max_length=200,
        blank=True,
        help_text=_(
            "Waarden van de claim amr die meervoudige authenticatie betekenen, gescheiden door "
            "spaties (bijvoorbeeld “mfa otp hwk”). Dan vraagt Kindkans geen code meer."
        ),
    )
    vertrouwde_acr = models.CharField(
        _("vertrouwde acr-waarden"),
        max_length=300,
        blank=True,
        help_text=_("Waarden van de claim acr die meervoudige authenticatie betekenen."),
    )
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("identiteitsprovider")
        verbose_name_plural = _("identiteitsproviders")
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam

    @property
    def issuer(self) -> str:
        """The issuer this provider must be (OpenID Connect Discovery: the discovery URL is the
        issuer plus the well-known path, and the document must name that same issuer)."""
        url = self.discovery_url
        return url[: -len(DISCOVERY_PAD)] if url.endswith(DISCOVERY_PAD) else url.rstrip("/")

    def client_secret(self) -> str:
        """From the environment when configured so, else the stored one decrypted."""
        import os

        if self.client_secret_env:
            return os.environ.get(self.client_secret_env, "")
        if not self.client_secret_versleuteld:
            return ""
        try:
            return _fernet().decrypt(bytes(self.client_secret_versleuteld)).decode()
        except InvalidToken:
            return ""

    def client_secret_zetten(self, geheim: str) -> None:
        self.client_secret_versleuteld = _fernet().encrypt(geheim.encode()) if geheim else b""

    def mfa_vertrouwd(self, *, amr: list[str] | str | None, acr: str | None) -> bool:
        if isinstance(amr, str):
            amr = [amr]
        if set(amr or []) & _lijst(self.vertrouwde_amr):
            return True
        return bool(acr) and acr in _lijst(self.vertrouwde_acr)


class ExterneIdentiteit(Device, OrganisatieInstelling):
    """A Kindkans account linked to one provider identity (issuer + sub).

    Device fields: `user` is the account, `name` says which provider, `confirmed` is always
    true. `verify_token` (django-otp) never accepts a typed token: the only way this device
    verifies a session is the provider's asserted multi-factor login (oidc.services)."""

    provider = models.ForeignKey(
        Identiteitsprovider,
        on_delete=models.CASCADE,
        related_name="koppelingen",
        verbose_name=_("identiteitsprovider"),
    )
    issuer = models.CharField(_("issuer"), max_length=300)
    sub = models.CharField(_("sub"), max_length=255)
    # A copy of the account's organisation: one identity links to at most one account per SWV.
    gekoppeld_op = models.DateTimeField(_("gekoppeld op"), default=timezone.now)

    class Meta:
        verbose_name = _("gekoppelde identiteit")
        verbose_name_plural = _("gekoppelde identiteiten")
        ordering = ["-gekoppeld_op"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "sub", "organisatie"], name="identiteit_eenmaal_per_organisatie"
            ),
            models.UniqueConstraint(
                fields=["user", "issuer"], name="identiteit_eenmaal_per_issuer"
            ),
        ]
        indexes = [models.Index(fields=["issuer", "sub"], name="identiteit_issuer_sub")]

    def __str__(self) -> str:
        return f"{self.user} – {self.provider}"

    def verify_token(self, token) -> bool:
        return False


class ProviderVerplichting(models.Model):
    """The users of this school log in only through this provider: the password alone is
    refused (the provider login may still ask the Kindkans code)."""

    school = models.OneToOneField(
        "organisaties.School",
        on_delete=models.CASCADE,
        related_name="provider_verplichting",
        verbose_name=_("school"),
    )
    provider = models.ForeignKey(
        Identiteitsprovider,
        on_delete=models.CASCADE,
        related_name="verplichtingen",
        verbose_name=_("identiteitsprovider"),
    )

    class Meta:
        verbose_name = _("verplichte inlog via provider")
        verbose_name_plural = _("verplichte inlog via provider")

    def __str__(self) -> str:
        return f"{self.school}: {self.provider}"
