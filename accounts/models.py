"""Personal accounts, one per person per organisation.

The same username may exist in two organisations: those are two accounts (the manual's FAQ
"Ik heb al een kindkansaccount bij een ander samenwerkingsverband"). Logging in therefore always
names the organisation; see accounts.backends.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice

from audit.models import AppendOnlyModel
from kindkans.models import MetAangemaakt


class Rol(models.TextChoices):
    SCHOOL = "school", _("School (ondersteuningscoördinator)")
    BEVOEGD_GEZAG = "bevoegd_gezag", _("Bevoegd gezag")
    SWV_LOKET = "swv_loket", _("SWV loket")
    DESKUNDIGE = "deskundige", _("Deskundige")
    BEHEERDER = "beheerder", _("Beheerder")
    PLATFORM = "platform", _("Platformbeheerder")
    # An invited outsider (not an SWV or school user): reads only the hulpvragen granted to them
    # on the Toegang tab, until the grant's end date
    # (hulpvragen.services_toegang.toegang_invite).
    GENODIGDE = "genodigde", _("Genodigde (tijdelijke leestoegang)")


# Roles that work for the SWV itself (as opposed to schools and boards).
SWV_ROLLEN = frozenset({Rol.SWV_LOKET, Rol.DESKUNDIGE, Rol.BEHEERDER})


class KindkansUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Only platform accounts (no organisation) are unique on username alone; this is what
        # createsuperuser and the like look up.
        return self.get(username=username, organisatie__isnull=True)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("rol", Rol.PLATFORM)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    username = models.CharField(
        _("gebruikersnaam"),
        max_length=150,
        help_text=_("Uniek binnen de organisatie, bijvoorbeeld “Piet Jansen VO2505”."),
    )
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gebruikers",
        verbose_name=_("organisatie"),
        help_text=_("Leeg alleen voor platformbeheerders."),
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    scholen = models.ManyToManyField(
        "organisaties.School", blank=True, related_name="gebruikers", verbose_name=_("scholen")
    )
    bestuur = models.ForeignKey(
        "organisaties.Bestuur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gebruikers",
        verbose_name=_("bestuur"),
    )
    functie = models.CharField(
        _("functie of discipline"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld orthopedagoog, psycholoog, kinderarts."),
    )

    sessies_geldig_vanaf = models.DateTimeField(
        _("sessies geldig vanaf"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Sessies die eerder begonnen zijn, eindigen bij het volgende verzoek."),
    )

    objects: ClassVar[KindkansUserManager] = KindkansUserManager()
    # Set on a user read from the shared cache (accounts.sessiecache): its session hash.
    _sessie_hash: str | None

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["organisatie__naam", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "username"], name="gebruikersnaam_uniek_per_organisatie"
            ),
            models.UniqueConstraint(
                fields=["username"],
                condition=Q(organisatie__isnull=True),
                name="platform_gebruikersnaam_uniek",
            ),
            # Only platform accounts live outside an organisation, and they always do.
            models.CheckConstraint(
                condition=(Q(rol="platform") & Q(organisatie__isnull=True))
                | (~Q(rol="platform") & Q(organisatie__isnull=False)),
                name="organisatie_past_bij_rol",
            ),
            models.CheckConstraint(
                condition=Q(bestuur__isnull=True) | Q(rol="bevoegd_gezag"),
                name="bestuur_alleen_voor_bevoegd_gezag",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        # A user from the shared cache (accounts.sessiecache) carries the hash, computed when it
        # was cached, instead of the password hash it is derived from.
        # Once the password itself is loaded or set (a password change), it is the source.
        sessie_hash = getattr(self, "_sessie_hash", None)
        if sessie_hash is None or "password" in self.__dict__:
            return super().get_session_auth_hash()
        return sessie_hash

    @property
    def is_platform_admin(self) -> bool:
        return self.rol == Rol.PLATFORM

    @property
    def is_swv(self) -> bool:
        return self.rol in SWV_ROLLEN


class Gebeurtenis(models.TextChoices):
    LOGIN_GELUKT = "login_gelukt", _("Inloggen gelukt")
    LOGIN_MISLUKT = "login_mislukt", _("Inloggen mislukt")
    GEBLOKKEERD = "geblokkeerd", _("Geblokkeerd na te veel pogingen")
    BLOKKERING_OPGEHEVEN = "blokkering_opgeheven", _("Blokkering opgeheven")
    GEKOPPELD = "gekoppeld", _("Authenticator-app gekoppeld")
    RESERVECODE_GEBRUIKT = "reservecode_gebruikt", _("Reservecode gebruikt")
    RESERVECODES_VERNIEUWD = "reservecodes_vernieuwd", _("Reservecodes vernieuwd")
    TWEEDE_FACTOR_GERESET = "tweede_factor_gereset", _("Tweede factor gereset")
    HERSTEL_AANGEVRAAGD = "herstel_aangevraagd", _("Wachtwoordherstel aangevraagd")
    WACHTWOORD_HERSTELD = "wachtwoord_hersteld", _("Wachtwoord hersteld")
    WACHTWOORD_GEWIJZIGD = "wachtwoord_gewijzigd", _("Wachtwoord gewijzigd")
    EXTERN_GEKOPPELD = "extern_gekoppeld", _("Account van de school gekoppeld")
    EXTERN_ONTKOPPELD = "extern_ontkoppeld", _("Account van de school ontkoppeld")
    SWV_GEWISSELD = "swv_gewisseld", _("Gewisseld van samenwerkingsverband")


class Beveiligingsgebeurtenis(AppendOnlyModel):
    """One row of the append-only security log: who, what, when, from where.

    Never holds a password or a code. `gebruikersnaam` and `organisatie_code` are copies, so a row
    still says who it was about when the account is gone (the foreign keys then become NULL).
    """

    tijdstip = models.DateTimeField(_("tijdstip"), default=timezone.now, editable=False)
    gebeurtenis = models.CharField(_("gebeurtenis"), max_length=30, choices=Gebeurtenis.choices)
    gebruiker = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    gebruikersnaam = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    organisatie_code = models.CharField(_("organisatiecode"), max_length=16, blank=True)
    door = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgevoerd door"),
        help_text=_("Leeg als de gebruiker het zelf deed."),
    )
    ip = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    toelichting = models.CharField(_("toelichting"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("beveiligingsgebeurtenis")
        verbose_name_plural = _("beveiligingslog")
        ordering = ["-tijdstip", "-id"]
        indexes = [
            models.Index(fields=["gebruiker", "tijdstip"], name="beveiliging_gebruiker_idx"),
            models.Index(fields=["gebeurtenis", "tijdstip"], name="beveiliging_gebeurtenis_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.tijdstip:%d-%m-%Y %H:%M} {self.get_gebeurtenis_display()} {self.gebruikersnaam}"
        )


class InlogTeller(models.Model):
    """Failed password attempts per organisation + username + IP address.

    The key is what was *typed*, so an unknown username is counted exactly like a known one (no
    enumeration), and one address being locked out never blocks the same user elsewhere.
    """

    organisatie_code = models.CharField(max_length=16, blank=True)
    gebruikersnaam = models.CharField(max_length=150)
    ip = models.GenericIPAddressField()
    mislukt = models.PositiveIntegerField(default=0)
    laatste = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inlogteller")
        verbose_name_plural = _("inlogtellers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie_code", "gebruikersnaam", "ip"], name="inlogteller_uniek"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisatie_code}/{self.gebruikersnaam} van {self.ip}: {self.mislukt}"


class Reservecodes(StaticDevice):
    """The backup codes of one user: django-otp's StaticDevice (throttling, single use, the
    session's verified device), but the tokens are stored as a keyed hash, never as the code.

    django-otp stores static tokens in plain text; anyone who can read the database (a backup, a
    read-only replica, a support query) could then log in as any user who has their password.
    Stored here: the first 16 hex digits of HMAC-SHA256(code) keyed by a key derived from
    SECRET_KEY (`salted_hmac`): 64 bits against codes of 40 bits, so no two codes collide in
    practice, and the database alone gives nothing away. SECRET_KEY_FALLBACKS are tried as well,
    so rotating SECRET_KEY the Django way keeps the codes working until the fallback is dropped.
    A proxy model: no table of its own (django-otp skips proxies when listing a user's devices,
    so a device is never listed twice)."""

    class Meta:
        proxy = True
        verbose_name = _("reservecodes")
        verbose_name_plural = _("reservecodes")

    HASH_ZOUT = "kindkans.accounts.Reservecodes"

    @classmethod
    def token_hash(cls, code: str, *, secret: str | None = None) -> str:
        return salted_hmac(cls.HASH_ZOUT, code, secret=secret, algorithm="sha256").hexdigest()[:16]

    @classmethod
    def token_hashes(cls, code: str) -> list[str]:
        """The stored form of `code` under SECRET_KEY and each fallback key."""
        sleutels = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return [cls.token_hash(code, secret=sleutel) for sleutel in sleutels]

    def verify_token(self, token):
        # StaticDevice.verify_token, comparing hashes: throttled, and a used code is deleted.
        verify_allowed, _info = self.verify_is_allowed()
        if not verify_allowed:
            return False
        match = self.token_set.filter(token__in=self.token_hashes(token)).first()
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class Inzending(MetAangemaakt):
    """A form posted once (accounts.eenmalig): the one-time token a form page carried, claimed in
    the same transaction as what the post records, and what that was. A second post with the
    same token (a double click, a reload of the POST, a second tab) records nothing and is
    shown the first one's result."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    # Empty for a parent's form (ouders: no account; the token is random and single-use).
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    # Where the first post went on success, and its message, to show the second post the same.
    url = models.CharField(_("resultaatpagina"), max_length=500, blank=True)
    melding = models.CharField(_("melding"), max_length=500, blank=True)
    # What the post created (a Statuswijziging, the first Bijlage of an upload, a decision).
    object_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("inzending")
        verbose_name_plural = _("inzendingen")
        indexes = [models.Index(fields=["aangemaakt_op"], name="inzending_aangemaakt")]

    def __str__(self) -> str:
        return self.token


class BewaardeInzending(models.Model):
    """A form posted after the session had expired, kept so nothing typed is lost: encrypted
    (Fernet, key derived from SECRET_KEY), bound to the user and the page, kept one hour, given
    back once after logging in again (accounts/bewaren.py)."""

    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    pad = models.CharField(max_length=300)
    gegevens = models.BinaryField()
    bewaard_op = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("bewaarde inzending")
        verbose_name_plural = _("bewaarde inzendingen")
        indexes = [models.Index(fields=["gebruiker", "pad"])]

    def __str__(self) -> str:
        return f"{self.gebruiker_id} {self.pad} {self.bewaard_op:%Y-%m-%d %H:%M}"
