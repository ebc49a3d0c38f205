from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.rechten import Recht
from beheer.services_scholen import (
    bestuur_check,
    bestuur_delete,
    bestuur_save,
    organisatie_check_update,
    organisatie_create,
    organisatie_update,
    school_check,
    school_create,
    school_update,
)
from organisaties.admin_scope import (
    DienstAdmin,
    OrganisatieScopedAdmin,
    RelatedOnly,
    alle,
    rechten,
)
from organisaties.models import Bestuur, Nieuwsbericht, Organisatie, School


@admin.register(Organisatie)
class OrganisatieAdmin(DienstAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """Platform admins create SWVs (`organisatie_create`: with the default processes and form
    definitions); the SWV's loket and beheerder keep their own contact details and start-page
    information up to date (`organisatie_update`)."""

    list_display = ("naam", "code", "sector", "loket_email", "actief")
    list_filter = ("sector", "actief")
    search_fields = ("naam", "code", "loket_email")
    rechten_per_actie = rechten(
        view=Recht.ORGANISATIE_WIJZIGEN,
        change=Recht.ORGANISATIE_WIJZIGEN,
        add=Recht.ORGANISATIE_AANMAKEN,
    )
    readonly_fields_for_swv = ("code", "naam", "sector", "actief")

    def dienst_check(self, request, obj, gegevens):
        if obj.pk is not None:
            organisatie_check_update(door=request.user, organisatie=obj)

    def dienst_save(self, request, obj, form, change):
        if change:
            organisatie_update(door=request.user, organisatie=obj)
        else:
            organisatie_create(door=request.user, organisatie=obj)


@admin.register(Bestuur)
class BestuurAdmin(DienstAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """Through beheer.services_scholen (`bestuur_save`, `bestuur_delete`: only without schools or
    accounts)."""

    list_display = ("naam", "bevoegd_gezag_nummer", "organisatie")
    list_select_related = ("organisatie",)
    list_filter = (("organisatie", RelatedOnly),)
    search_fields = ("naam", "bevoegd_gezag_nummer")
    rechten_per_actie = alle(Recht.SCHOLEN_BEHEREN)

    def dienst_check(self, request, obj, gegevens):
        bestuur_check(door=request.user, bestuur=obj)

    def dienst_save(self, request, obj, form, change):
        bestuur_save(door=request.user, bestuur=obj)

    def dienst_delete(self, request, obj):
        bestuur_delete(door=request.user, bestuur=obj)


@admin.register(School)
class SchoolAdmin(DienstAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """Through beheer.services_scholen, like the Scholen screen: every change is kept in the
    school's history (Schoolwijziging). Closing and merging (which move open hulpvragen) are done
    on the Scholen screen only, so "actief" is read-only here and a school is never deleted."""

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
    rechten_per_actie = alle(Recht.SCHOLEN_BEHEREN)
    fields = ("organisatie", "bestuur", "brin", "vestiging", "naam", "sector", "plaats", "actief")
    readonly_fields = ("actief",)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        # The organisation of a school never changes (its dossiers stay in their SWV).
        return readonly + ("organisatie",) if obj is not None else readonly

    def dienst_check(self, request, obj, gegevens):
        school_check(door=request.user, school=obj)

    def dienst_save(self, request, obj, form, change):
        gegevens = {
            veld: form.cleaned_data[veld]
            for veld in ("bestuur", "brin", "vestiging", "naam", "sector", "plaats")
            if veld in form.cleaned_data
        }
        if change:
            school_update(door=request.user, school=obj, **gegevens)
        else:
            gegevens["organisatie"] = obj.organisatie
            nieuw = school_create(door=request.user, gegevens=gegevens)
            obj.pk = nieuw.pk
            obj._state.adding = False

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
    rechten_per_actie = alle(Recht.NIEUWS_BEHEREN)

    def get_queryset(self, request):
        # Not organisation data: the scoping of the mixin does not apply (only platform admins
        # get here at all, through rechten_per_actie).
        return admin.ModelAdmin.get_queryset(self, request)
