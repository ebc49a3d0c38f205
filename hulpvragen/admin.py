from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import SWV_ROLLEN, Rol
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.access_admin import PupilDataAdmin
from hulpvragen.models import Hulpvraag, Label, Toegang
from organisaties.admin_scope import OrganisatieScopedAdmin, RelatedOnly

# --- Labels, hulpvragen and Toegang (the status engine's Proces/Status admin lives below) ------


@admin.register(Label)
class LabelAdmin(OrganisatieScopedAdmin, admin.ModelAdmin):
    list_display = ("naam", "organisatie")
    list_select_related = ("organisatie",)
    list_filter = (("organisatie", RelatedOnly),)
    search_fields = ("naam",)


@admin.register(Hulpvraag)
class HulpvraagAdmin(PupilDataAdmin, admin.ModelAdmin):
    """Read-mostly: the loket may set the coördinator and labels here; status changes go only
    through the status engine, everything else through the hulpvraag screens."""

    list_display = ("id", "type", "leerling", "school", "status", "coordinator", "laatste_datum")
    list_select_related = ("leerling", "schoolgegevens__school", "status", "coordinator")
    list_filter = (
        "type",
        ("status", RelatedOnly),
        ("coordinator", RelatedOnly),
        ("labels", RelatedOnly),
    )
    search_fields = ("leerling__achternaam", "leerling__roepnaam", "schoolgegevens__school__naam")
    date_hierarchy = "hulpvraagdatum"
    fields = (
        "type",
        "leerling",
        "schoolgegevens",
        "status",
        "hulpvraagdatum",
        "omschrijving",
        "coordinator",
        "labels",
        "aangemaakt_door",
        "aangemaakt_op",
        "laatste_datum",
    )
    readonly_fields = tuple(f for f in fields if f not in ("coordinator", "labels"))
    filter_horizontal = ("labels",)
    rol_rechten = {Rol.SWV_LOKET: frozenset({"view", "change"})}

    def visible_queryset(self, user):
        return hulpvragen_visible_to(user)

    @admin.display(description=_("school"), ordering="schoolgegevens__school__naam")
    def school(self, obj: Hulpvraag):
        return obj.schoolgegevens.school

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.name == "coordinator":
            # A coördinator works for the SWV.
            return queryset.filter(rol__in=SWV_ROLLEN, is_active=True)
        return queryset


@admin.register(Toegang)
class ToegangAdmin(PupilDataAdmin, admin.ModelAdmin):
    """The loket grants a deskundige read access to a hulpvraag. Revoking sets “ingetrokken op”
    and keeps the row, so there is no delete."""

    list_display = ("hulpvraag", "gebruiker", "reden", "verleend_door", "verleend_op", "actief")
    list_select_related = ("hulpvraag", "gebruiker", "verleend_door")
    list_filter = (("gebruiker", RelatedOnly), "ingetrokken_op")
    search_fields = ("gebruiker__username", "gebruiker__last_name", "reden")
    fields = ("hulpvraag", "gebruiker", "reden", "verleend_door", "verleend_op", "ingetrokken_op")
    readonly_fields = ("verleend_door", "verleend_op")
    rol_rechten = {Rol.SWV_LOKET: frozenset({"view", "add", "change"})}

    def visible_queryset(self, user):
        return Toegang.objects.filter(
            organisatie_id=user.organisatie_id, hulpvraag__in=hulpvragen_visible_to(user)
        )

    @admin.display(description=_("actief"), boolean=True)
    def actief(self, obj: Toegang) -> bool:
        return obj.ingetrokken_op is None or obj.ingetrokken_op > timezone.now()

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        # Once granted, the grant itself stays as it was: only revoking changes it.
        return readonly + ("hulpvraag", "gebruiker") if obj is not None else readonly

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.name == "hulpvraag":
            return hulpvragen_visible_to(request.user)
        if db_field.name == "gebruiker":
            return queryset.filter(rol=Rol.DESKUNDIGE, is_active=True)
        return queryset

    def save_model(self, request, obj, form, change):
        if not change:
            obj.verleend_door = request.user
        obj.organisatie_id = obj.hulpvraag.organisatie_id
        super().save_model(request, obj, form, change)
