"""Users in admin: the platform admin manages all accounts through accounts.services_gebruikers;
the loket and beheerder see their own organisation's read-only (the beheerder manages them on the
Gebruikers screen).

Kept as one UserAdmin class with plain class attributes so that additions (the login issue's
second-factor reset action, OTP devices) slot in as `actions = [...]` or extra fieldsets.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from accounts.models import Beveiligingsgebeurtenis, InlogTeller, Rol, User
from accounts.rechten import Recht
from accounts.selectors import inlogteller_blocked
from accounts.services import (
    blokkering_lift_allowed,
    blokkering_opheffen_actie,
    tweede_factor_reset_actie,
    tweede_factor_reset_allowed,
)
from accounts.services_gebruikers import (
    gebruiker_check,
    gebruiker_create,
    gebruiker_update,
)
from organisaties.admin_scope import (
    LOKET_EN_BEHEERDER_BEKIJKEN,
    AlleenLezenAdmin,
    DienstAdmin,
    OrganisatieScopedAdmin,
    RelatedOnly,
    rechten,
    sees_all_organisations,
)


class GebruikerCreationForm(forms.ModelForm):
    """A new account has no password: the person sets one through “Wachtwoord vergeten”, as for
    an account made on the Gebruikers screen (accounts.services_gebruikers.gebruiker_create)."""

    class Meta:
        model = User
        fields = ("organisatie", "username", "first_name", "last_name", "email", "rol")


class GebruikerChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = (
            "organisatie",
            "username",
            "first_name",
            "last_name",
            "email",
            "functie",
            "rol",
            "scholen",
            "bestuur",
            "is_active",
            "is_superuser",
        )


_PLATFORM_ONLY_FIELDS = ("is_superuser",)


@admin.register(User)
class UserAdmin(DienstAdmin, OrganisatieScopedAdmin, DjangoUserAdmin):
    """Users are managed by the beheerder on the Gebruikers screen (/swv/gebruikers/) and by the
    platform admin here; both write through accounts.services_gebruikers (`gebruiker_create`,
    `gebruiker_update`), so the rules (who manages users, roles, schools and bestuur of the own
    organisation, usernames unique per organisation) are the same. The loket and the beheerder
    see the accounts here read-only; the beheerder's second-factor reset is an action. Nobody
    sets a password here: the person sets it through “Wachtwoord vergeten”."""

    form = GebruikerChangeForm
    add_form = GebruikerCreationForm
    list_display = (
        "username",
        "first_name",
        "last_name",
        "rol",
        "organisatie",
        "bestuur",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_select_related = ("organisatie", "bestuur")
    list_filter = (
        "rol",
        "is_active",
        "is_staff",
        ("organisatie", RelatedOnly),
        ("scholen", RelatedOnly),
        ("bestuur", RelatedOnly),
    )
    search_fields = ("username", "first_name", "last_name", "email", "functie")
    ordering = ("organisatie__naam", "username")

    # Schools as checkboxes (an SWV has tens): Django's two-box widget needs JavaScript and
    # draws icons with a prohibited aria-label.
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "scholen":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    readonly_fields = ("last_login", "date_joined", "is_staff")
    rechten_per_actie = rechten(
        view=Recht.GEBRUIKERS_BEKIJKEN,
        add=Recht.GEBRUIKERS_BEHEREN_IN_ADMIN,
        change=Recht.GEBRUIKERS_BEHEREN_IN_ADMIN,
    )
    # The beheerder's reset of a lost authenticator app (audited; the user enrols again).
    actions = [tweede_factor_reset_actie]

    def has_tweede_factor_reset_permission(self, request) -> bool:
        return tweede_factor_reset_allowed(request.user)

    fieldsets = (
        (None, {"fields": ("organisatie", "username")}),
        (
            _("Persoonlijke gegevens"),
            {"fields": ("first_name", "last_name", "email", "functie")},
        ),
        (_("Rol en koppelingen"), {"fields": ("rol", "scholen", "bestuur")}),
        (
            _("Rechten"),
            {"fields": ("is_active", "is_staff", *_PLATFORM_ONLY_FIELDS)},
        ),
        (_("Belangrijke datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("organisatie", "username", "first_name", "last_name", "email", "rol"),
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Only platform admins hand out superuser status.
        return [
            (
                name,
                {**opts, "fields": [f for f in opts["fields"] if f not in _PLATFORM_ONLY_FIELDS]},
            )
            for name, opts in fieldsets
        ]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "rol" and not sees_all_organisations(request.user):
            kwargs["choices"] = BLANK_CHOICE_DASH + [
                (value, label) for value, label in Rol.choices if value != Rol.PLATFORM
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "organisatie" in form.base_fields and sees_all_organisations(request.user):
            form.base_fields["organisatie"].help_text = _(
                "Leeg alleen voor platformbeheerders (rol Platformbeheerder)."
            )
        return form

    def user_change_password(self, request, id, form_url=""):
        # Another organisation's account answers 404 as everywhere; for the rest: nobody sets
        # someone else's password (the person uses “Wachtwoord vergeten”).
        self.get_object(request, unquote(id))
        raise PermissionDenied

    def dienst_check(self, request, obj, gegevens):
        gebruiker_check(door=request.user, gebruiker=obj, scholen=gegevens.get("scholen") or ())

    def dienst_save(self, request, obj, form, change):
        scholen = form.cleaned_data.get("scholen") or ()
        if change:
            gebruiker_update(door=request.user, gebruiker=obj, scholen=scholen)
            return
        gegevens = {
            veld: form.cleaned_data.get(veld)
            for veld in ("username", "first_name", "last_name", "email", "rol")
        }
        gegevens["organisatie"] = form.cleaned_data.get("organisatie")
        nieuw = gebruiker_create(door=request.user, gegevens=gegevens, scholen=scholen)
        obj.pk = nieuw.pk
        obj._state.adding = False


@admin.register(Beveiligingsgebeurtenis)
class BeveiligingsgebeurtenisAdmin(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """The security log, read-only: the beheerder sees the events of the own organisation."""

    rechten_per_actie = {"view": Recht.AUDITLOG_BEKIJKEN}
    list_display = (
        "tijdstip",
        "gebeurtenis",
        "gebruikersnaam",
        "organisatie_code",
        "ip",
        "door",
        "toelichting",
    )
    list_filter = ("gebeurtenis",)
    search_fields = ("gebruikersnaam", "ip", "toelichting")
    date_hierarchy = "tijdstip"
    list_select_related = ("door",)


@admin.register(InlogTeller)
class InlogTellerAdmin(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """The password lockout counters (organisation + typed username + address), read-only: the
    loket, who gets the "ik kan niet inloggen" mails (the manual's "Wat te doen bij
    inlogproblemen?"), and the beheerder can see whether a user is locked out and from where. A
    lockout ends by itself after LOGIN_LOCKOUT_SECONDS. The row has no foreign key to its
    organisation (it counts typed usernames, which may not exist), so it is scoped by code."""

    rechten_per_actie = LOKET_EN_BEHEERDER_BEKIJKEN
    list_display = ("gebruikersnaam", "organisatie_code", "ip", "mislukt", "laatste", "geblokkeerd")
    list_filter = ("organisatie_code",)
    search_fields = ("gebruikersnaam", "ip")
    date_hierarchy = "laatste"
    list_select_related = ()
    # Read-only rows, but the loket or beheerder lifts a lockout (audited) when a user calls.
    actions = [blokkering_opheffen_actie]

    def has_blokkering_opheffen_permission(self, request) -> bool:
        return blokkering_lift_allowed(request.user)

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if sees_all_organisations(request.user):
            return queryset
        organisatie = request.user.organisatie
        if organisatie is None:
            return queryset.none()
        return queryset.filter(organisatie_code=organisatie.code)

    def get_list_filter(self, request):
        return self.list_filter if sees_all_organisations(request.user) else ()

    @admin.display(boolean=True, description=_("geblokkeerd"))
    def geblokkeerd(self, teller: InlogTeller) -> bool:
        return inlogteller_blocked(teller)
