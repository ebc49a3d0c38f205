"""Dossiers in admin: read-only, and only what the access module lets the user see
(hulpvragen/access_admin.py explains the decision). Changes to pupil data go through the
dossier screens."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.rechten import Recht
from dossiers.models import (
    Adres,
    IqTest,
    Leerling,
    LvsInstellingen,
    Schoolgegevens,
    SociaalEmotioneleProblematiek,
    Toets,
)
from hulpvragen.access import leerlingen_visible_to
from hulpvragen.access_admin import PupilDataAdmin
from organisaties.admin_scope import (
    OrganisatieScopedAdmin,
    RelatedOnly,
    sees_all_organisations,
)


class AdresInline(admin.TabularInline):
    model = Adres
    fields = ("straat", "huisnummer", "postcode", "woonplaats", "ingangsdatum", "vervallen")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SchoolgegevensInline(admin.TabularInline):
    model = Schoolgegevens
    fields = ("school", "groep", "leerjaar", "contactpersoon", "email", "begindatum", "einddatum")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Leerling)
class LeerlingAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("achternaam", "roepnaam", "tussenvoegsel", "geboortedatum", "organisatie")
    list_select_related = ("organisatie",)
    list_filter = ("geslacht", ("organisatie", RelatedOnly))
    search_fields = ("achternaam", "roepnaam", "voornamen")
    exclude = ("bsn", "onderwijsnummer")
    inlines = [AdresInline, SchoolgegevensInline]

    def visible_queryset(self, user):
        return leerlingen_visible_to(user)


@admin.register(Adres)
class AdresAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = (
        "leerling",
        "straat",
        "huisnummer",
        "postcode",
        "woonplaats",
        "ingangsdatum",
        "vervallen",
    )
    list_select_related = ("leerling",)
    search_fields = ("leerling__achternaam", "postcode", "woonplaats")
    list_filter = ("woonplaats", "vervallen")

    via_leerling = "leerling"


@admin.register(Schoolgegevens)
class SchoolgegevensAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("leerling", "school", "leerjaar_of_groep", "contactpersoon", "begindatum")
    list_select_related = ("leerling", "school")
    search_fields = ("leerling__achternaam", "contactpersoon", "email")
    list_filter = (("school", RelatedOnly),)

    via_leerling = "leerling"


@admin.register(LvsInstellingen)
class LvsInstellingenAdmin(OrganisatieScopedAdmin, admin.ModelAdmin):
    """The beheerder sets the organisation's PrO thresholds and month table (docs/lvs.md).
    Without a row the landelijke defaults apply; one row per organisation."""

    rechten_per_actie = {
        "view": Recht.BEHEERSCHERMEN,
        "add": Recht.LVS_INSTELLINGEN_BEHEREN,
        "change": Recht.LVS_INSTELLINGEN_BEHEREN,
        "delete": Recht.LVS_INSTELLINGEN_BEHEREN,
    }
    list_display = (
        "__str__",
        "organisatie",
        "pro_iq_min",
        "pro_iq_max",
        "pro_la_min",
        "gewijzigd_op",
    )
    list_select_related = ("organisatie",)
    list_filter = (("organisatie", RelatedOnly),)
    search_fields = ("organisatie__naam", "organisatie__code")
    fieldsets = (
        (None, {"fields": ("organisatie",)}),
        (
            _("Praktijkonderwijs"),
            {"fields": ("pro_iq_min", "pro_iq_max", "pro_la_min", "min_domeinen")},
        ),
        (
            _("LWOO-profiel (ter informatie)"),
            {"fields": ("lwoo_iq_min", "lwoo_iq_max", "lwoo_sep_iq_max", "lwoo_la_min")},
        ),
        (
            _("Didactische leeftijd"),
            {
                "fields": ("dl_max", *LvsInstellingen.MAAND_VELDEN),
                "description": _(
                    "Maanden onderwijs per toetsmaand. Landelijk: september 1 tot en met juni "
                    "10, juli en augustus 10; februari 6 (sommige bronnen gebruiken 5)."
                ),
            },
        ),
    )

    def has_add_permission(self, request, *args):
        # One row per organisation: once it exists, the beheerder changes it.
        if not super().has_add_permission(request, *args):
            return False
        if sees_all_organisations(request.user):
            return True
        return not LvsInstellingen.objects.filter(
            organisatie_id=request.user.organisatie_id
        ).exists()


# --- The rest of the dossier, read-only (changes go through the dossier screens) --------------


class _LeerlingDataAdmin(PupilDataAdmin, admin.ModelAdmin):
    """Rows of one pupil: exactly those of the pupils the access module shows the user."""

    list_select_related = ("leerling",)
    search_fields = ("leerling__achternaam", "leerling__roepnaam")

    via_leerling = "leerling"


@admin.register(IqTest)
class IqTestAdmin(_LeerlingDataAdmin):
    list_display = ("leerling", "testdatum", "test", "totaal_iq", "verbaal_iq", "performaal_iq")
    list_filter = ("testdatum",)
    date_hierarchy = "testdatum"


@admin.register(Toets)
class ToetsAdmin(_LeerlingDataAdmin):
    list_display = ("leerling", "toetsdatum", "domein", "naam", "dle")
    list_filter = ("domein", "toetsdatum")
    date_hierarchy = "toetsdatum"


@admin.register(SociaalEmotioneleProblematiek)
class SociaalEmotioneleProblematiekAdmin(_LeerlingDataAdmin):
    list_display = (
        "leerling",
        "faalangst",
        "prestatiemotivatie",
        "emotionele_instabiliteit",
        "gewijzigd_op",
    )
    list_filter = ("faalangst", "prestatiemotivatie", "emotionele_instabiliteit")
