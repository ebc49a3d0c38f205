"""Admin that keeps every SWV inside its own organisation.

`OrganisatieScopedAdmin` is the one mixin for every ModelAdmin of organisation data:

- platform admins (superusers, rol "platform") see every organisation;
- everybody else (swv_loket, beheerder with is_staff) sees and edits only rows of their own
  organisation: the changelist, every object URL (another organisation's id answers 404, like
  the rest of the application), and the choices of every foreign key and many-to-many field;
- on create the organisation is set from the user, and the organisation field is shown but
  cannot be changed;
- what a role may do per model comes from `rechten_per_actie`: capabilities of
  accounts/rechten.py (not Django's per-user permission rows, so that a new loket account works
  without extra set-up, and the admin follows the same table as the screens).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rechten import Recht, is_platformbeheerder, mag
from organisaties.models import Organisatie
from organisaties.scope import scope_to_organisatie

# Read-only for the loket and the beheerder of the SWV (records kept by their own screens).
# (a `rechten_per_actie`: viewing needs the capability of the beheer screens)
LOKET_EN_BEHEERDER_BEKIJKEN = {"view": Recht.BEHEERSCHERMEN}


def sees_all_organisations(user: User) -> bool:
    return is_platformbeheerder(user)


class GelabeldeDatumTijd(AdminSplitDateTime):
    """Django's date + time inputs carry no label of their own (the field's <label> points at
    neither since Django 4.1): each gets the field's name and "datum" / "tijd" as its name."""

    def __init__(self, *, veld: str, **kwargs):
        self.veld = veld
        super().__init__(**kwargs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        delen = (_("datum"), _("tijd"))
        for sub, deel in zip(context["widget"]["subwidgets"], delen, strict=False):
            sub["attrs"]["aria-label"] = f"{self.veld}: {deel}"
        return context


class OrganisatieScopedAdmin:
    """Mix in before ModelAdmin: `class SchoolAdmin(OrganisatieScopedAdmin, admin.ModelAdmin)`."""

    #: Per admin action ("view", "add", "change", "delete") the capability of
    #: accounts/rechten.py that allows it; an action not listed is refused (a superuser may
    #: everything here). So the admin asks the same module as the screens and services.
    rechten_per_actie: Mapping[str, str] = {}
    #: Fields a non-platform user sees but may not change.
    readonly_fields_for_swv: tuple[str, ...] = ()

    # --- which rows -------------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_all_organisations(request.user):
            return queryset
        return scope_to_organisatie(queryset, request.user.organisatie_id)

    def get_object(self, request, object_id, from_field=None):
        # Django's admin redirects to the index for a missing object; we answer 404 as the rest
        # of the application does, so an id of another organisation reveals nothing.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if sees_all_organisations(request.user):
            return queryset
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return scope_to_organisatie(queryset, request.user.organisatie_id)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            kwargs["widget"] = GelabeldeDatumTijd(veld=str(db_field.verbose_name).capitalize())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organisatie and not sees_all_organisations(request.user):
            # Shown, fixed to the user's own organisation (a disabled field ignores posted data).
            kwargs["initial"] = request.user.organisatie_id
            kwargs["disabled"] = True
            # Not `required`: a disabled select needs no answer, and a required one must start
            # with an empty option (HTML), which would only add "---------" to a fixed choice.
            kwargs["required"] = False
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not sees_all_organisations(request.user) and hasattr(obj, "organisatie_id"):
            obj.organisatie_id = request.user.organisatie_id
        super().save_model(request, obj, form, change)

    # --- what the page shows -----------------------------------------------------------------

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if sees_all_organisations(request.user):
            return shown
        return [f for f in shown if f != "organisatie"]

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if sees_all_organisations(request.user):
            return filters
        return [f for f in filters if _filter_field(f) != "organisatie"]

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if sees_all_organisations(request.user):
            return readonly
        return readonly + tuple(f for f in self.readonly_fields_for_swv if f not in readonly)

    # --- what the user may do ------------------------------------------------------------------

    def _rol_mag(self, request, actie: str) -> bool:
        """From the capability module (`rechten_per_actie`); a superuser may everything."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        recht = self.rechten_per_actie.get(actie)
        return recht is not None and mag(user, recht)

    def has_module_permission(self, request):
        return any(self._rol_mag(request, a) for a in ("view", "add", "change", "delete"))

    def has_view_permission(self, request, obj=None):
        return self._rol_mag(request, "view") or self._rol_mag(request, "change")

    def has_add_permission(self, request, *args):
        return self._rol_mag(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._rol_mag(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._rol_mag(request, "delete")


class AlleenLezenAdmin:
    """Mix in first: the model is shown (list, search, filters, detail) but never added, changed
    or deleted in admin, not even by a superuser. For records whose changes belong to a screen
    with its own rules and audit (decisions, meetings, retention runs, audit logs)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _filter_field(list_filter) -> str | None:
    if isinstance(list_filter, str):
        return list_filter.split("__")[0]
    if isinstance(list_filter, tuple | list):
        return list_filter[0].split("__")[0]
    return None


#: Foreign-key filters offer only the values present in the (scoped) rows, never every row of
#: the related table (which would list other organisations' schools or users).
RelatedOnly = RelatedOnlyFieldListFilter


def fouten_naar_form(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where the form has that field,
    otherwise at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DienstAdmin:
    """Mix in first: the admin writes through a service, with the service's own checks.

    - `dienst_check(request, obj, gegevens)`: the service's validation (raises ValidationError),
      run by the form's clean once the instance holds the posted values (`gegevens`: the
      cleaned data), so the page shows the service's message before anything is saved;
    - `dienst_save(request, obj, form, change)` and `dienst_delete(request, obj)`: the service
      calls; `save_model`, `delete_model` and the bulk "delete selected" action go through them.
    A ModelAdmin that mixes this in without a `dienst_delete` cannot delete."""

    def dienst_check(self, request, obj, gegevens) -> None:
        return None

    def dienst_save(self, request, obj, form, change) -> None:
        raise NotImplementedError

    dienst_delete = None

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        admin = self

        class DienstForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                try:
                    admin.dienst_check(request, self.instance, self.cleaned_data)
                except ValidationError as error:
                    fouten_naar_form(self, error)

        DienstForm.__name__ = form_class.__name__
        return DienstForm

    def save_model(self, request, obj, form, change):
        # Not super(): the service saves (OrganisatieScopedAdmin's organisation is already set
        # by its disabled field, and the services check it again).
        self.dienst_save(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields are the service's business too (dienst_save); inlines still save.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request, obj=None):
        if self.dienst_delete is None:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        self.dienst_delete(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.dienst_delete(request, obj)


def rechten(
    *,
    view: Recht | None = None,
    add: Recht | None = None,
    change: Recht | None = None,
    delete: Recht | None = None,
) -> dict[str, Recht]:
    """`rechten_per_actie` for a ModelAdmin: `rechten(view=Recht.X, change=Recht.Y)`."""
    return {
        actie: recht
        for actie, recht in {"view": view, "add": add, "change": change, "delete": delete}.items()
        if recht is not None
    }


def alle(recht: Recht) -> dict[str, Recht]:
    return rechten(view=recht, add=recht, change=recht, delete=recht)
