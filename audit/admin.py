"""The audit logs in admin, read-only, for the beheerder of the own organisation (and the
platform admin): nobody changes or deletes a row here."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.rechten import Recht
from audit.models import BijlageInzage, Inzage
from organisaties.admin_scope import AlleenLezenAdmin, OrganisatieScopedAdmin, RelatedOnly


@admin.register(Inzage)
class InzageAdmin(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """The access log for the beheerder (own organisation); beheer's audit-log screen searches it
    by child. Ids only: the log itself shows no pupil data."""

    rechten_per_actie = {"view": Recht.AUDITLOG_BEKIJKEN}
    list_display = (
        "op",
        "gebruiker",
        "actie",
        "onderdeel",
        "leerling_id",
        "hulpvraag_id",
        "ip_adres",
    )
    list_select_related = ("gebruiker",)
    list_filter = ("actie", "onderdeel", ("gebruiker", RelatedOnly))
    search_fields = ("gebruiker__username", "gebruiker__last_name", "=leerling_id", "=hulpvraag_id")
    date_hierarchy = "op"


@admin.register(BijlageInzage)
class BijlageInzageAdmin(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """Who downloaded which bijlage, for the beheerder (own organisation). Ids only, like the
    access log: a file's name often carries the pupil's ("Toestemming_ouders-Jan.pdf"), and the
    beheerder has no pupil access."""

    rechten_per_actie = {"view": Recht.AUDITLOG_BEKIJKEN}
    list_display = ("op", "gebruiker", "bijlage_nummer", "ip_adres")
    list_select_related = ("gebruiker",)
    list_filter = (("gebruiker", RelatedOnly), "op")
    search_fields = ("gebruiker__username", "gebruiker__last_name", "=bijlage__id")
    date_hierarchy = "op"
    fields = ("op", "gebruiker", "bijlage_nummer", "ip_adres")
    readonly_fields = fields

    @admin.display(description=_("bijlage (nummer)"), ordering="bijlage_id")
    def bijlage_nummer(self, inzage: BijlageInzage) -> int:
        return inzage.bijlage_id
