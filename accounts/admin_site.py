"""The admin (at /beheer/) behind both factors, with no login of its own.

django-otp's OTPAdminSite refuses every user whose session has not passed the code step. Its own
login form is replaced by a redirect to the one login screen (organisation, password, code), so
there is no second way in. Imported from AccountsConfig.ready() only (the app registry is ready).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from accounts.models import User
from accounts.services import tweede_factor_reset_actie


class KindkansAdminSite(OTPAdminSite):
    def __init__(self, name: str = "admin"):
        super().__init__(name)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and request.user.is_verified():
            # Fully logged in but not allowed here: no login form will change that.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


class MinimaleGebruikerAdmin(admin.ModelAdmin):
    """Only used while no other module registers a User admin: enough to reach the action."""

    list_display = ("username", "get_full_name", "organisatie", "rol", "is_active")
    list_filter = ("rol", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    fields = ("username", "first_name", "last_name", "email", "organisatie", "rol", "is_active")
    readonly_fields = ("username", "organisatie", "rol")
    actions = [tweede_factor_reset_actie]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("organisatie")
        if request.user.is_platform_admin:
            return qs
        return qs.filter(organisatie_id=request.user.organisatie_id)


def tweede_factor_actie_registreren(site: admin.AdminSite) -> None:
    """Offer the beheerder's "Tweede factor resetten" on the User admin: added to the User admin
    another module registered, or through the minimal one above."""
    model_admin = site._registry.get(User)
    if model_admin is None:
        site.register(User, MinimaleGebruikerAdmin)
        return
    acties = list(model_admin.actions or [])
    if tweede_factor_reset_actie not in acties:
        model_admin.actions = [*acties, tweede_factor_reset_actie]
