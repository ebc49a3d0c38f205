"""The loket's records in admin, read-only: beslistermijnen, meetings, agenda items and the
Aanpak are kept by the loket's screens (loket.services), with their rules and notifications.
Pupil data only through the access module (hulpvragen/access_admin.py)."""

from __future__ import annotations

from django.contrib import admin

from hulpvragen.access_admin import PupilDataAdmin
from loket.models import (
    Aanpak,
    Agendapunt,
    LoketInstellingen,
    Termijn,
    Vergadering,
    VergaderingSoort,
)
from organisaties.admin_scope import (
    LOKET_EN_BEHEERDER_BEKIJKEN,
    AlleenLezenAdmin,
    OrganisatieScopedAdmin,
    RelatedOnly,
)


@admin.register(LoketInstellingen)
class LoketInstellingenAdmin(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """Set on the loket's settings screen."""

    rechten_per_actie = LOKET_EN_BEHEERDER_BEKIJKEN
    list_display = ("organisatie", "beslistermijn_weken")
    list_select_related = ("organisatie",)
    list_filter = ("beslistermijn_weken", ("organisatie", RelatedOnly))
    search_fields = ("organisatie__naam", "organisatie__code")


@admin.register(Vergadering)
class VergaderingAdmin(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    rechten_per_actie = LOKET_EN_BEHEERDER_BEKIJKEN
    list_display = ("__str__", "soort", "school", "datum", "plaats", "organisatie")
    list_select_related = ("school", "organisatie")
    list_filter = ("soort", ("school", RelatedOnly), "datum")
    search_fields = ("plaats", "deelnemers", "school__naam")
    date_hierarchy = "datum"

    def get_queryset(self, request):
        # A school's internal overlegronde is seen by that school only, never by the SWV.
        return super().get_queryset(request).exclude(soort=VergaderingSoort.INTERN)


class _HulpvraagDataAdmin(PupilDataAdmin, admin.ModelAdmin):
    search_fields = ("hulpvraag__leerling__achternaam", "hulpvraag__leerling__roepnaam")

    via_hulpvraag = "hulpvraag"


@admin.register(Termijn)
class TermijnAdmin(_HulpvraagDataAdmin):
    list_display = ("hulpvraag", "fase", "ingediend_op", "deadline", "gestopt_op")
    list_select_related = ("hulpvraag",)
    list_filter = ("fase", "deadline")


@admin.register(Agendapunt)
class AgendapuntAdmin(_HulpvraagDataAdmin):
    list_display = ("vergadering", "hulpvraag", "uitkomst", "afgehandeld_op")
    list_select_related = ("vergadering", "hulpvraag")
    list_filter = ("uitkomst", ("vergadering", RelatedOnly))

    def visible_queryset(self, user):
        # Not which pupil a school discussed in its own internal round (loket.services.
        # agendapunten_voor keeps those from the loket too).
        return super().visible_queryset(user).exclude(vergadering__soort=VergaderingSoort.INTERN)


@admin.register(Aanpak)
class AanpakAdmin(_HulpvraagDataAdmin):
    list_display = ("hulpvraag", "door_naam", "geplaatst_op")
    list_select_related = ("hulpvraag",)
    list_filter = ("geplaatst_op",)
