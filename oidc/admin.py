"""Providers and the schools that require them, in admin: the platform admin configures
providers for several SWVs, a beheerder the own SWV's provider and which of its schools log in
only through a provider. The linked identities are shown read-only; unlinking goes through the
service (security log). Every write goes through oidc.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.rechten import Recht
from kindkans.proxy import client_ip
from oidc.models import ExterneIdentiteit, Identiteitsprovider, ProviderVerplichting
from oidc.services import (
    koppeling_delete,
    provider_save,
    verplichting_delete,
    verplichting_save,
)
from organisaties.admin_scope import (
    DienstAdmin,
    OrganisatieScopedAdmin,
    RelatedOnly,
    rechten,
)

BEHEREN = rechten(
    view=Recht.IDENTITEITSPROVIDERS_BEHEREN,
    add=Recht.IDENTITEITSPROVIDERS_BEHEREN,
    change=Recht.IDENTITEITSPROVIDERS_BEHEREN,
    delete=Recht.IDENTITEITSPROVIDERS_BEHEREN,
)


class ProviderForm(forms.ModelForm):
    discovery_url = forms.URLField(
        label=_("Discovery-URL"),
        max_length=300,
        assume_scheme="https",
        help_text=Identiteitsprovider._meta.get_field("discovery_url").help_text,
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Wordt versleuteld opgeslagen en nooit meer getoond. Leeg laten: het opgeslagen "
            "secret blijft."
        ),
    )

    class Meta:
        model = Identiteitsprovider
        fields = (
            "naam",
            "organisatie",
            "discovery_url",
            "client_id",
            "client_secret",
            "client_secret_env",
            "scopes",
            "organisaties",
            "scholen",
            "vertrouwde_amr",
            "vertrouwde_acr",
            "actief",
        )


@admin.register(Identiteitsprovider)
class IdentiteitsproviderAdmin(DienstAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    form = ProviderForm
    rechten_per_actie = BEHEREN
    list_display = ("naam", "organisatie", "discovery_url", "actief")
    list_filter = ("actief",)
    list_select_related = ("organisatie",)
    search_fields = ("naam", "discovery_url", "client_id")
    filter_horizontal = ()

    def dienst_save(self, request, obj, form, change) -> None:
        provider_save(
            provider=obj,
            door=request.user,
            organisaties=list(form.cleaned_data.get("organisaties") or []),
            scholen=list(form.cleaned_data.get("scholen") or []),
            client_secret=form.cleaned_data.get("client_secret", ""),
        )

    def dienst_delete(self, request, obj) -> None:
        obj.delete()


@admin.register(ProviderVerplichting)
class ProviderVerplichtingAdmin(DienstAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    rechten_per_actie = BEHEREN
    list_display = ("school", "provider")
    list_select_related = ("school", "provider")
    search_fields = ("school__naam", "provider__naam")
    list_filter = (("provider", RelatedOnly),)

    def get_field_queryset(self, db, db_field, request):
        if db_field.name == "provider":
            # Providers that serve the user's SWV (a platform provider has no owner).
            queryset = Identiteitsprovider.objects.filter(actief=True)
            if request.user.organisatie_id is not None:
                queryset = queryset.filter(organisaties=request.user.organisatie_id)
            return queryset
        return super().get_field_queryset(db, db_field, request)

    def dienst_save(self, request, obj, form, change) -> None:
        verplichting_save(verplichting=obj, door=request.user)

    def dienst_delete(self, request, obj) -> None:
        verplichting_delete(verplichting=obj, door=request.user)


@admin.register(ExterneIdentiteit)
class ExterneIdentiteitAdmin(DienstAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """Read-only; deleting is unlinking (the security log records who did it)."""

    rechten_per_actie = rechten(
        view=Recht.IDENTITEITSPROVIDERS_BEHEREN, delete=Recht.IDENTITEITSPROVIDERS_BEHEREN
    )
    list_display = ("user", "provider", "organisatie", "gekoppeld_op")
    list_select_related = ("user", "provider", "organisatie")
    search_fields = ("user__username", "provider__naam")
    list_filter = (("provider", RelatedOnly),)
    fields = ("user", "provider", "organisatie", "issuer", "gekoppeld_op")
    readonly_fields = fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def dienst_delete(self, request, obj) -> None:
        koppeling_delete(koppeling=obj, door=request.user, ip=client_ip(request))
