"""Decisions in admin, read-only: they are recorded through besluiten.services (from the loket's
screens, with the letter and the status change), never edited here. Pupil data: only the rows
the access module shows the user (hulpvragen/access_admin.py)."""

from __future__ import annotations

from django.contrib import admin

from besluiten.models import (
    Afwijzing,
    Briefsjabloon,
    Deskundigenadvies,
    FinancieelArrangement,
    Toelaatbaarheidsverklaring,
)
from hulpvragen.access_admin import PupilDataAdmin
from organisaties.admin_scope import (
    LOKET_EN_BEHEERDER_BEKIJKEN,
    AlleenLezenAdmin,
    OrganisatieScopedAdmin,
    RelatedOnly,
)


class _BesluitAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_select_related = ("hulpvraag__leerling", "vastgelegd_door")
    search_fields = ("hulpvraag__leerling__achternaam", "hulpvraag__leerling__roepnaam")
    date_hierarchy = "besluitdatum"

    via_hulpvraag = "hulpvraag"


@admin.register(Toelaatbaarheidsverklaring)
class ToelaatbaarheidsverklaringAdmin(_BesluitAdmin):
    list_display = (
        "__str__",
        "leerling",
        "bekostigingscategorie",
        "besluitdatum",
        "ingangsdatum",
        "einddatum",
    )
    list_select_related = ("leerling", "vastgelegd_door")
    list_filter = ("soort", "bekostigingscategorie", "einddatum")
    search_fields = ("leerling__achternaam", "leerling__roepnaam")


@admin.register(Afwijzing)
class AfwijzingAdmin(_BesluitAdmin):
    list_display = ("__str__", "hulpvraag", "vastgelegd_door")
    list_filter = ("besluitdatum",)


@admin.register(FinancieelArrangement)
class FinancieelArrangementAdmin(_BesluitAdmin):
    list_display = ("__str__", "hulpvraag", "bedrag", "evaluatiedatum")
    list_filter = ("einddatum", "evaluatiedatum")


@admin.register(Deskundigenadvies)
class DeskundigenadviesAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("hulpvraag", "deskundige", "discipline", "toelaatbaar", "uitgebracht_op")
    list_select_related = ("hulpvraag", "deskundige")
    list_filter = ("discipline", "toelaatbaar", ("deskundige", RelatedOnly))
    search_fields = ("deskundige__last_name", "hulpvraag__leerling__achternaam")

    via_hulpvraag = "hulpvraag"


@admin.register(Briefsjabloon)
class BriefsjabloonAdmin(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """Shown here; edited on the loket's letter screen (which validates the placeholders)."""

    rechten_per_actie = LOKET_EN_BEHEERDER_BEKIJKEN
    list_display = ("soort", "organisatie", "gewijzigd_door", "gewijzigd_op")
    list_select_related = ("organisatie", "gewijzigd_door")
    list_filter = ("soort", ("organisatie", RelatedOnly))
    search_fields = ("tekst",)
