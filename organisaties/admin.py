from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import Rol
from hulpvragen.services import processen_load_defaults
from organisaties.admin_scope import OrganisatieScopedAdmin, RelatedOnly
from organisaties.models import Bestuur, Nieuwsbericht, Organisatie, School


@admin.register(Organisatie)
class OrganisatieAdmin(OrganisatieScopedAdmin, admin.ModelAdmin):
    """Platform admins create SWVs; the SWV's loket and beheerder keep their own contact
    details and start-page information up to date."""

    list_display = ("naam", "code", "sector", "loket_email", "actief")
    list_filter = ("sector", "actief")
    search_fields = ("naam", "code", "loket_email")
    rol_rechten = {
        Rol.SWV_LOKET: frozenset({"view", "change"}),
        Rol.BEHEERDER: frozenset({"view", "change"}),
    }
    readonly_fields_for_swv = ("code", "naam", "sector", "actief")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new SWV starts with the shipped default processes (the beheerder adapts them).
            processen_load_defaults(organisatie=obj)


@admin.register(Bestuur)
class BestuurAdmin(OrganisatieScopedAdmin, admin.ModelAdmin):
    list_display = ("naam", "bevoegd_gezag_nummer", "organisatie")
    list_select_related = ("organisatie",)
    list_filter = (("organisatie", RelatedOnly),)
    search_fields = ("naam", "bevoegd_gezag_nummer")


@admin.register(School)
class SchoolAdmin(OrganisatieScopedAdmin, admin.ModelAdmin):
    list_display = (
        "naam",
        "brin_vestiging",
        "sector",
        "bestuur",
        "plaats",
        "actief",
        "organisatie",
    )
    list_select_related = ("bestuur", "organisatie")
    list_filter = ("sector", "actief", ("bestuur", RelatedOnly), ("organisatie", RelatedOnly))
    search_fields = ("naam", "brin", "plaats", "bestuur__naam")

    @admin.display(description=_("BRIN + vestiging"), ordering="brin")
    def brin_vestiging(self, obj: School) -> str:
        return obj.brin_vestiging


@admin.register(Nieuwsbericht)
class NieuwsberichtAdmin(OrganisatieScopedAdmin, admin.ModelAdmin):
    """“Algemeen nieuws” is platform-wide: only platform admins edit it."""

    list_display = ("titel", "gepubliceerd_op", "zichtbaar")
    list_filter = ("zichtbaar",)
    search_fields = ("titel", "tekst")
    date_hierarchy = "gepubliceerd_op"
    rol_rechten: dict = {}

    def get_queryset(self, request):
        # Not organisation data: the scoping of the mixin does not apply (only platform admins
        # get here at all, through rol_rechten).
        return admin.ModelAdmin.get_queryset(self, request)
