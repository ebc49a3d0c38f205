"""The beheer records in admin, read-only: personeelswijzigingen, school changes, retention terms,
signals and runs are made on the beheer screens (beheer.services: preview, apply, undo, confirm),
which keep their audit trail. The per-dossier rows of a personeelswijziging are pupil data and
follow the access module (hulpvragen/access_admin.py)."""

from __future__ import annotations

from django.contrib import admin

from accounts.rechten import Recht
from beheer.models import (
    Bewaarsignalering,
    Bewaartermijn,
    Personeelswijziging,
    PersoneelswijzigingRegel,
    Schoolwijziging,
    Verwijdering,
)
from hulpvragen.access_admin import PupilDataAdmin
from organisaties.admin_scope import (
    LOKET_EN_BEHEERDER_BEKIJKEN,
    AlleenLezenAdmin,
    OrganisatieScopedAdmin,
    RelatedOnly,
)

_BEHEERDER = {"view": Recht.BEWAARTERMIJNEN_BEHEREN}


class _Beheer(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    rechten_per_actie = LOKET_EN_BEHEERDER_BEKIJKEN


@admin.register(Personeelswijziging)
class PersoneelswijzigingAdmin(_Beheer):
    list_display = ("school", "vertrekkend", "opvolger_naam", "ingangsdatum", "status")
    list_select_related = ("school", "vertrekkend")
    list_filter = ("status", ("school", RelatedOnly), "ingangsdatum")
    search_fields = ("opvolger_naam", "opvolger_email", "vertrekkend_email", "school__naam")
    date_hierarchy = "ingangsdatum"


@admin.register(PersoneelswijzigingRegel)
class PersoneelswijzigingRegelAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("personeelswijziging", "schoolgegevens", "oud_contactpersoon", "teruggezet")
    list_select_related = ("personeelswijziging__school", "schoolgegevens__school")
    list_filter = ("teruggezet",)
    search_fields = ("oud_contactpersoon", "oud_email", "schoolgegevens__leerling__achternaam")

    via_leerling = "schoolgegevens__leerling"


@admin.register(Schoolwijziging)
class SchoolwijzigingAdmin(_Beheer):
    list_display = ("school", "soort", "doel", "door_naam", "op")
    list_select_related = ("school", "doel")
    list_filter = ("soort", ("school", RelatedOnly))
    search_fields = ("school__naam", "door_naam")
    date_hierarchy = "op"


@admin.register(Bewaartermijn)
class BewaartermijnAdmin(_Beheer):
    rechten_per_actie = _BEHEERDER
    list_display = ("type", "jaren", "organisatie")
    list_select_related = ("organisatie",)
    list_filter = ("type", ("organisatie", RelatedOnly))
    search_fields = ("type",)


@admin.register(Bewaarsignalering)
class BewaarsignaleringAdmin(_Beheer):
    """Ids and dates only, no pupil data."""

    rechten_per_actie = _BEHEERDER
    list_display = ("leerling_id", "types", "gesloten_op", "verloopt_op", "gesignaleerd_op")
    list_select_related = ("organisatie",)
    list_filter = ("verloopt_op",)
    search_fields = ("=leerling_id", "types")


@admin.register(Verwijdering)
class VerwijderingAdmin(_Beheer):
    rechten_per_actie = _BEHEERDER
    list_display = (
        "op",
        "soort",
        "status",
        "door_naam",
        "aantal_dossiers",
        "aantal_hulpvragen",
        "aantal_bijlagen",
    )
    list_select_related = ("organisatie",)
    list_filter = ("soort", "status")
    search_fields = ("door_naam",)
    date_hierarchy = "op"
