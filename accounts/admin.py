"""Users in admin. A loket or beheerder manages the accounts of their own organisation (through
OrganisatieScopedAdmin); a platform admin manages all, including other platform accounts.

Kept as one UserAdmin class with plain class attributes so that additions (the login issue's
second-factor reset action, OTP devices) slot in as `actions = [...]` or extra fieldsets.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from accounts.models import Beveiligingsgebeurtenis, InlogTeller, Rol, User
from accounts.selectors import inlogteller_geblokkeerd
from accounts.services import (
    blokkering_opheffen_actie,
    mag_blokkering_opheffen,
    mag_tweede_factor_resetten,
    tweede_factor_reset_actie,
)
from organisaties.admin_scope import (
    ALLEEN_BEKIJKEN,
    LOKET_EN_BEHEERDER_BEKIJKEN,
    AlleenLezenAdmin,
    OrganisatieScopedAdmin,
    RelatedOnly,
    sees_all_organisations,
)


class _SameOrganisationMixin:
    """Schools and bestuur of a user belong to the user's own organisation, and a username is
    unique within its organisation regardless of case."""

    def clean(self):
        cleaned = super().clean()
        organisatie = cleaned.get("organisatie")
        if organisatie is None:
            return cleaned
        scholen = cleaned.get("scholen")
        if scholen is not None and any(s.organisatie_id != organisatie.pk for s in scholen):
            self.add_error("scholen", _("Kies scholen van de eigen organisatie."))
        bestuur = cleaned.get("bestuur")
        if bestuur is not None and bestuur.organisatie_id != organisatie.pk:
            self.add_error("bestuur", _("Kies een bestuur van de eigen organisatie."))
        username = cleaned.get("username")
        if username:
            same = User.objects.filter(organisatie=organisatie, username__iexact=username)
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(
                    "username",
                    _("Deze gebruikersnaam bestaat al in deze organisatie."),
                )
        return cleaned


class GebruikerCreationForm(_SameOrganisationMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("organisatie", "username", "rol", "email")

    def clean_username(self):
        # Django checks uniqueness over all users; ours is per organisation (see clean()).
        return self.cleaned_data.get("username")


class GebruikerChangeForm(_SameOrganisationMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


_PLATFORM_ONLY_FIELDS = ("is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(OrganisatieScopedAdmin, DjangoUserAdmin):
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
    filter_horizontal = ("scholen", "groups", "user_permissions")
    readonly_fields = ("last_login", "date_joined")
    # The beheerder's reset of a lost authenticator app (audited; the user enrols again).
    actions = [tweede_factor_reset_actie]

    def has_tweede_factor_reset_permission(self, request) -> bool:
        return mag_tweede_factor_resetten(request.user)

    fieldsets = (
        (None, {"fields": ("organisatie", "username", "password")}),
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
                "fields": (
                    "organisatie",
                    "username",
                    "email",
                    "rol",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Only platform admins hand out superuser status or Django permissions.
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


@admin.register(Beveiligingsgebeurtenis)
class BeveiligingsgebeurtenisAdmin(AlleenLezenAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    """The security log, read-only: the beheerder sees the events of the own organisation."""

    rol_rechten = {Rol.BEHEERDER: ALLEEN_BEKIJKEN}
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

    rol_rechten = LOKET_EN_BEHEERDER_BEKIJKEN
    list_display = ("gebruikersnaam", "organisatie_code", "ip", "mislukt", "laatste", "geblokkeerd")
    list_filter = ("organisatie_code",)
    search_fields = ("gebruikersnaam", "ip")
    date_hierarchy = "laatste"
    list_select_related = ()
    # Read-only rows, but the loket or beheerder lifts a lockout (audited) when a user calls.
    actions = [blokkering_opheffen_actie]

    def has_blokkering_opheffen_permission(self, request) -> bool:
        return mag_blokkering_opheffen(request.user)

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
        return inlogteller_geblokkeerd(teller)
