"""Personal accounts, one per person per organisation.

The same username may exist in two organisations: those are two accounts (the manual's FAQ
"Ik heb al een kindkansaccount bij een ander samenwerkingsverband"). Logging in therefore always
names the organisation; see accounts.backends.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Rol(models.TextChoices):
    SCHOOL = "school", _("School (ondersteuningscoördinator)")
    BEVOEGD_GEZAG = "bevoegd_gezag", _("Bevoegd gezag")
    SWV_LOKET = "swv_loket", _("SWV loket")
    DESKUNDIGE = "deskundige", _("Deskundige")
    BEHEERDER = "beheerder", _("Beheerder")
    PLATFORM = "platform", _("Platformbeheerder")


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

    objects = KindkansUserManager()

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

    @property
    def is_platform_admin(self) -> bool:
        return self.rol == Rol.PLATFORM

    @property
    def is_swv(self) -> bool:
        return self.rol in SWV_ROLLEN
