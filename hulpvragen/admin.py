"""Hulpvragen in admin: labels, hulpvragen, Toegang and the status history (pupil data through
the access module, hulpvragen/access_admin.py). The processes' admin is
hulpvragen/admin_processen.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Rol
from accounts.rechten import Recht
from hulpvragen import admin_processen  # noqa: F401 - registers the process admin
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.access_admin import PupilDataAdmin
from hulpvragen.models import (
    Hulpvraag,
    Label,
    Statuswijziging,
    Toegang,
)
from hulpvragen.services_processen import label_check, label_delete, label_save
from hulpvragen.services_toegang import toegang_check, toegang_grant, toegang_revoke
from organisaties.admin_scope import (
    DienstAdmin,
    OrganisatieScopedAdmin,
    RelatedOnly,
    alle,
    rechten,
)


@admin.register(Label)
class LabelAdmin(DienstAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """Through hulpvragen.services (`label_save`, `label_delete`)."""

    list_display = ("naam", "organisatie")
    list_select_related = ("organisatie",)
    list_filter = (("organisatie", RelatedOnly),)
    search_fields = ("naam",)
    rechten_per_actie = alle(Recht.LABELS_BEHEREN)

    def dienst_check(self, request, obj, gegevens):
        label_check(door=request.user, label=obj)

    def dienst_save(self, request, obj, form, change):
        label_save(door=request.user, label=obj)

    def dienst_delete(self, request, obj):
        label_delete(door=request.user, label=obj)


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
    # Labels as checkboxes: no Ctrl-click multi-select, no JavaScript needed.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    rechten_per_actie = rechten(
        view=Recht.COORDINATOR_TOEWIJZEN, change=Recht.COORDINATOR_TOEWIJZEN
    )

    def visible_queryset(self, user):
        return hulpvragen_visible_to(user)

    @admin.display(description=_("school"), ordering="schoolgegevens__school__naam")
    def school(self, obj: Hulpvraag):
        return obj.schoolgegevens.school

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.name == "coordinator":
            # A coördinator is one of the SWV's loket (as on the werkvoorraad).
            return queryset.filter(rol=Rol.SWV_LOKET, is_active=True)
        return queryset


@admin.register(Toegang)
class ToegangAdmin(DienstAdmin, PupilDataAdmin, admin.ModelAdmin):
    """The loket grants a deskundige read access to a hulpvraag (`toegang_grant`, audited like
    the Toegang tab); a later end date extends it the same way. Revoking (`toegang_revoke`) sets
    “ingetrokken op” to now and keeps the row, so there is no delete."""

    list_display = (
        "hulpvraag",
        "gebruiker",
        "reden",
        "verleend_door",
        "verleend_op",
        "geldig_tot",
        "actief",
    )
    list_select_related = ("hulpvraag", "gebruiker", "verleend_door")
    list_filter = (("gebruiker", RelatedOnly), "ingetrokken_op")
    search_fields = ("gebruiker__username", "gebruiker__last_name", "reden")
    fields = (
        "hulpvraag",
        "gebruiker",
        "reden",
        "verleend_door",
        "verleend_op",
        "geldig_tot",
        "ingetrokken_op",
    )
    readonly_fields = ("verleend_door", "verleend_op")
    rechten_per_actie = rechten(
        view=Recht.TOEGANG_VERLENEN, add=Recht.TOEGANG_VERLENEN, change=Recht.TOEGANG_VERLENEN
    )

    def visible_queryset(self, user):
        # A school's invitations for its own internal overlegronde are not the SWV's business.
        return Toegang.objects.filter(
            organisatie_id=user.organisatie_id,
            hulpvraag__in=hulpvragen_visible_to(user),
            schoolintern=False,
        )

    @admin.display(description=_("actief"), boolean=True)
    def actief(self, obj: Toegang) -> bool:
        if obj.geldig_tot is not None and obj.geldig_tot < timezone.localdate():
            return False
        return obj.ingetrokken_op is None or obj.ingetrokken_op > timezone.now()

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        # Once granted, the grant itself stays as it was: only revoking changes it.
        return readonly + ("hulpvraag", "gebruiker", "reden") if obj is not None else readonly

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.name == "hulpvraag":
            return hulpvragen_visible_to(request.user)
        if db_field.name == "gebruiker":
            return queryset.filter(rol=Rol.DESKUNDIGE, is_active=True)
        return queryset

    def dienst_check(self, request, obj, gegevens):
        if obj.pk is None:
            toegang_check(door=request.user, hulpvraag=obj.hulpvraag, gebruiker=obj.gebruiker)

    def dienst_save(self, request, obj, form, change):
        if not change:
            nieuw = toegang_grant(
                hulpvraag=obj.hulpvraag,
                gebruiker=obj.gebruiker,
                door=request.user,
                reden=obj.reden,
                geldig_tot=obj.geldig_tot,
            )
            obj.pk = nieuw.pk
            obj._state.adding = False
            return
        oud = Toegang.objects.get(pk=obj.pk)
        if obj.ingetrokken_op is not None and oud.ingetrokken_op is None:
            toegang_revoke(toegang=oud, door=request.user)
        elif oud.ingetrokken_op is None and obj.geldig_tot != oud.geldig_tot:
            toegang_grant(
                hulpvraag=oud.hulpvraag,
                gebruiker=oud.gebruiker,
                door=request.user,
                reden=oud.reden,
                geldig_tot=obj.geldig_tot,
            )


@admin.register(Statuswijziging)
class StatuswijzigingAdmin(PupilDataAdmin, admin.ModelAdmin):
    """The status history, read-only: a status changes only through the status engine."""

    list_display = ("hulpvraag", "van", "naar", "door_naam", "op", "automatisch")
    list_select_related = ("hulpvraag", "van", "naar")
    list_filter = ("automatisch", ("naar", RelatedOnly), "op")
    search_fields = ("door_naam", "toelichting", "hulpvraag__leerling__achternaam")
    date_hierarchy = "op"

    via_hulpvraag = "hulpvraag"
