"""API clients and tokens in admin, read-only: they are made, rotated and revoked on the
beheerder's screen (API-koppelingen), which shows a token once. The hash is never shown."""

from __future__ import annotations

from django.contrib import admin

from accounts.rechten import Recht
from api.models import ApiClient, ApiToken
from organisaties.admin_scope import AlleenLezenAdmin, OrganisatieScopedAdmin, RelatedOnly

_BEHEERDER = {"view": Recht.API_KOPPELINGEN_BEHEREN}


@admin.register(ApiClient)
class ApiClientAdmin(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    rechten_per_actie = _BEHEERDER
    list_display = ("naam", "scope", "swv_breed", "gebruiker", "aangemaakt_op", "ingetrokken_op")
    list_select_related = ("gebruiker", "organisatie")
    list_filter = ("scope", "swv_breed", "ingetrokken_op")
    search_fields = ("naam", "gebruiker__username")


@admin.register(ApiToken)
class ApiTokenAdmin(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    rechten_per_actie = _BEHEERDER
    list_display = ("__str__", "client", "aangemaakt_op", "verloopt_op", "ingetrokken_op")
    list_select_related = ("client",)
    list_filter = (("client", RelatedOnly), "verloopt_op")
    search_fields = ("prefix", "client__naam")
    exclude = ("hash",)
