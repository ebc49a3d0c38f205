"""Dossiers in admin: read-only, and only what the access module lets the user see
(hulpvragen/access_admin.py explains the decision). Changes to pupil data go through the
dossier screens."""

from __future__ import annotations

from django.contrib import admin

from dossiers.models import Adres, Leerling, Schoolgegevens
from hulpvragen.access import leerlingen_visible_to
from hulpvragen.access_admin import PupilDataAdmin
from organisaties.admin_scope import RelatedOnly


class AdresInline(admin.TabularInline):
    model = Adres
    fields = ("straat", "huisnummer", "postcode", "woonplaats", "ingangsdatum")
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
    list_display = ("leerling", "straat", "huisnummer", "postcode", "woonplaats", "ingangsdatum")
    list_select_related = ("leerling",)
    search_fields = ("leerling__achternaam", "postcode", "woonplaats")
    list_filter = ("woonplaats",)

    def visible_queryset(self, user):
        return Adres.objects.filter(leerling__in=leerlingen_visible_to(user))


@admin.register(Schoolgegevens)
class SchoolgegevensAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("leerling", "school", "leerjaar_of_groep", "contactpersoon", "begindatum")
    list_select_related = ("leerling", "school")
    search_fields = ("leerling__achternaam", "contactpersoon", "email")
    list_filter = (("school", RelatedOnly),)

    def visible_queryset(self, user):
        return Schoolgegevens.objects.filter(leerling__in=leerlingen_visible_to(user))
