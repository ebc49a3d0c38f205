"""Abstract bases the apps' models share (no tables of their own). The project package is the
ground floor of the layers, so every app, the audit log included, may build on them.

Each base only names what was already identical in the models that use it, so using one changes
no column (makemigrations has nothing to do). A model whose organisation key differs (another
related_name for a reverse accessor, null for platform-wide rows, SET_NULL) keeps its own field.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _


class OrganisatieGebonden(models.Model):
    """A row of one SWV. Every query for it filters on this plain column (the access module, the
    admin scope); PROTECT: data never disappears because someone deleted its organisation."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )

    class Meta:
        abstract = True


class OrganisatieInstelling(models.Model):
    """A setting or working list of one SWV: it goes with its organisation (CASCADE)."""

    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisatie"),
    )

    class Meta:
        abstract = True


class MetAangemaakt(models.Model):
    """When the row was made (set once by the database write)."""

    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        abstract = True


class MetTijdstempels(MetAangemaakt):
    """When the row was made and when it was last saved."""

    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class MetAangemaaktDoor(models.Model):
    """Who made the row; the row stays when the account goes (SET_NULL). Not asked in forms."""

    aangemaakt_door = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )

    class Meta:
        abstract = True


class MetGewijzigdDoor(models.Model):
    """Who last saved the row; the row stays when the account goes (SET_NULL)."""

    gewijzigd_door = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )

    class Meta:
        abstract = True


class VersieDefinitie(models.Model):
    """One version of a definition an organisation edits (a process, a form): `versie` counts up
    per organisation and key (VERSIE_SLEUTEL, the field that names what is versioned), at most one
    version per key is `actief`, and what was started on an older version keeps it. A version in
    use is never edited: the beheerder makes the next version, changes it, activates it.

    The subclass adds `versie_constraints(key)` to its Meta (unique version per key, one active
    version per key) and may redefine `actief` for its own help text."""

    VERSIE_SLEUTEL: ClassVar[str]

    versie = models.PositiveIntegerField(_("versie"), default=1)
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        abstract = True

    @staticmethod
    def versie_constraints(sleutel: str) -> list[models.BaseConstraint]:
        """The two rules of every versioned definition, named after the model."""
        return [
            models.UniqueConstraint(
                fields=["organisatie", sleutel, "versie"], name="%(class)s_versie_uniek"
            ),
            models.UniqueConstraint(
                fields=["organisatie", sleutel],
                condition=Q(actief=True),
                name="%(class)s_een_actieve_versie",
            ),
        ]

    def versies(self) -> QuerySet:
        """Every version of this definition's key in its organisation (this one included)."""
        return type(self)._default_manager.filter(  # type: ignore[misc]  # the concrete model has it
            organisatie_id=self.organisatie_id,  # type: ignore[attr-defined]
            **{self.VERSIE_SLEUTEL: getattr(self, self.VERSIE_SLEUTEL)},
        )

    def volgende_versie(self) -> int:
        """The number the next version of this key gets."""
        return (self.versies().aggregate(m=Max("versie"))["m"] or 0) + 1

    def activeren(self) -> None:
        """Make this the key's one active version (the caller has validated it): the others are
        switched off first, in the caller's transaction, so the one-active rule always holds."""
        self.versies().select_for_update().exclude(pk=self.pk).update(actief=False)
        self.actief = True
        self.save(update_fields=["actief"])
