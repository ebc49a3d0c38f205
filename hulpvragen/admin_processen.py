"""Processes in admin: the beheerder edits an organisation's Proces with its statuses and
transitions as inlines, validated as a whole (hulpvragen.process_validation), versioned (a process
in use is read-only: make a new version, change it, activate it) and drawn as a diagram; and which
hulpvraag types each sector may choose (TypePerSector). Registered by importing it from
hulpvragen/admin.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.rechten import Recht
from hulpvragen.diagram import proces_diagram_html
from hulpvragen.guards import guard_choices
from hulpvragen.models import (
    KiezenDoor,
    Overgang,
    Proces,
    Status,
    TypePerSector,
)
from hulpvragen.process_validation import (
    OvergangSpec,
    StatusSpec,
    proces_problems,
    proces_validate,
    vereiste_statussen,
)
from hulpvragen.services_processen import (
    proces_activate,
    proces_check_beheer,
    proces_create,
    proces_new_version,
)
from organisaties.admin_scope import (
    OrganisatieScopedAdmin,
    RelatedOnly,
    rechten,
    sees_all_organisations,
)


class _ProcesFormSet(BaseInlineFormSet):
    """The inline formsets of one process page share a dict (`gedeeld`), so that the transitions'
    formset can validate the whole process as it is about to be saved."""

    naam = ""

    def __init__(self, *args, gedeeld: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.gedeeld = gedeeld if gedeeld is not None else {}
        self.gedeeld[self.naam] = self

    def blijvend(self):
        """(index, form) of the forms that will exist after saving."""
        for i, form in enumerate(self.forms):
            if not getattr(form, "cleaned_data", None):
                continue  # an empty extra form
            if self.can_delete and self._should_delete_form(form):
                continue
            yield i, form


class StatusFormSet(_ProcesFormSet):
    naam = "statussen"


class OvergangFormSet(_ProcesFormSet):
    naam = "overgangen"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Only this process's statuses (which also keeps other organisations' statuses out),
        # read once per page rather than once per select.
        if not hasattr(self, "_statussen"):
            self._statussen = (
                Status.objects.filter(proces_id=self.instance.pk)
                if self.instance.pk
                else Status.objects.none()
            )
            self._keuzes = [("", "---------"), *((s.pk, s.naam) for s in self._statussen)]
        for name in ("van", "naar"):
            form.fields[name].queryset = self._statussen
            form.fields[name].widget.choices = self._keuzes

    def clean(self):
        super().clean()
        statussen_fs = self.gedeeld.get("statussen")
        if statussen_fs is None or not statussen_fs.is_valid() or any(self.errors):
            return
        self._weiger_verwijderen(statussen_fs)
        statussen = [
            StatusSpec(
                form.instance.pk or f"nieuw-{i}",
                form.cleaned_data["naam"],
                form.cleaned_data.get("initieel", False),
                form.cleaned_data.get("eindstatus", False),
                form.cleaned_data.get("kiezen_door", KiezenDoor.SWV),
                form.cleaned_data.get("vervolg_toegestaan", False),
            )
            for i, form in statussen_fs.blijvend()
        ]
        overgangen = [
            OvergangSpec(
                form.cleaned_data["van"].pk,
                form.cleaned_data["naar"].pk,
                form.cleaned_data["door"],
                form.cleaned_data["trigger"],
                tuple(form.cleaned_data.get("controles") or ()),
            )
            for _i, form in self.blijvend()
        ]
        problems = proces_problems(
            statussen, overgangen, vereist=vereiste_statussen(self.instance.type)
        )
        self.gedeeld["problemen"] = problems
        if problems and self.instance.actief:
            # New hulpvragen start in an active process: it must stay valid. A draft (inactive
            # version) may be saved half-done; activating it checks again.
            raise ValidationError(problems)

    def _weiger_verwijderen(self, statussen_fs) -> None:
        """A status ticked for deletion is refused, with the real cause, when the manual
        prescribes it or when transitions that stay use it (name them: the beheerder ticks
        those too to remove them along, knowingly). Before, the database silently dropped the
        transitions with it and the page blamed "a status of another process"."""
        fouten = []
        for form in statussen_fs.deleted_forms:
            status = form.instance
            if status.pk is None:
                continue
            if status.vereist:
                fouten.append(
                    _(
                        "De status “%(s)s” kan niet worden verwijderd: de handleiding schrijft "
                        "haar voor."
                    )
                    % {"s": status.naam}
                )
                continue
            gebruikt = [
                f"{f.cleaned_data['van'].naam} → {f.cleaned_data['naar'].naam}"
                for _i, f in self.blijvend()
                if status.pk in (f.cleaned_data["van"].pk, f.cleaned_data["naar"].pk)
            ]
            if gebruikt:
                fouten.append(
                    _(
                        "De status “%(s)s” kan niet worden verwijderd: %(n)d overgang(en) "
                        "gebruiken haar (%(lijst)s). Wilt u die overgangen ook kwijt, vink dan "
                        "bij elk daarvan “Verwijderen?” aan en sla opnieuw op."
                    )
                    % {"s": status.naam, "n": len(gebruikt), "lijst": "; ".join(gebruikt)}
                )
        if fouten:
            raise ValidationError(fouten)


class OvergangForm(forms.ModelForm):
    van = forms.ModelChoiceField(label=_("van"), queryset=Status.objects.none())
    naar = forms.ModelChoiceField(label=_("naar"), queryset=Status.objects.none())
    controles = forms.MultipleChoiceField(
        label=_("controles"),
        required=False,
        choices=guard_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Controles uit de code die moeten slagen voordat de overgang mag."),
    )

    class Meta:
        model = Overgang
        fields = (
            "van",
            "naar",
            "door",
            "trigger",
            "controles",
            "toelichting_verplicht",
            "volgorde",
        )


class _ProcesInline:
    """Inline rows follow the process page's rights (the role table of ProcesAdmin), not
    Django's per-user permission rows."""

    def _proces_admin(self):
        return self.admin_site._registry[Proces]

    def has_view_permission(self, request, obj=None):
        return self._proces_admin().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._proces_admin().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if obj is None:
            return self._proces_admin().has_add_permission(request)
        return self._proces_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


class StatusInline(_ProcesInline, admin.TabularInline):
    model = Status
    formset = StatusFormSet
    extra = 1
    fields = (
        "naam",
        "omschrijving",
        "initieel",
        "eindstatus",
        "vervolg_toegestaan",
        "zichtbaar_voor_swv",
        "kiezen_door",
        "swv_informeren",
        "vereist",
        "volgorde",
    )
    readonly_fields = ("vereist",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}


class OvergangInline(_ProcesInline, admin.TabularInline):
    model = Overgang
    form = OvergangForm
    formset = OvergangFormSet
    extra = 1
    fk_name = "proces"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("van", "naar")


def _in_gebruik(proces: Proces) -> int:
    # Annotated by ProcesAdmin.get_queryset; asked for every inline row, so remember it.
    if getattr(proces, "_in_gebruik", None) is None:
        proces._in_gebruik = proces.hulpvragen.count()
    return proces._in_gebruik


@admin.register(Proces)
class ProcesAdmin(OrganisatieScopedAdmin, admin.ModelAdmin):
    """The beheerder edits the organisation's processes. A process that hulpvragen use is shown
    read-only: make a new version (action), change that draft, then activate it; hulpvragen keep
    the version they started on."""

    list_display = ("__str__", "type", "versie", "actief", "in_gebruik", "geldig", "organisatie")
    list_filter = ("type", "actief", ("organisatie", RelatedOnly))
    list_select_related = ("organisatie",)
    search_fields = ("statussen__naam",)
    fields = ("organisatie", "type", "versie", "actief", "controle", "diagram")
    readonly_fields = ("versie", "actief", "controle", "diagram")
    inlines = (StatusInline, OvergangInline)
    actions = ("nieuwe_versie", "activeren")
    rechten_per_actie = rechten(
        view=Recht.PROCESSEN_BEKIJKEN, add=Recht.PROCESSEN_BEHEREN, change=Recht.PROCESSEN_BEHEREN
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_in_gebruik=Count("hulpvragen"))

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + ("type",) if obj is not None else readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and _in_gebruik(obj):
            return False  # in use: change a new version instead
        return super().has_change_permission(request, obj)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if not hasattr(request, "_proces_formsets"):
            request._proces_formsets = {}
        kwargs["gedeeld"] = request._proces_formsets
        return kwargs

    def save_model(self, request, obj, form, change):
        if change:
            # Nothing of the process itself changes here (type and versie are read-only); its
            # statuses and transitions are saved by save_related, after the shared check.
            proces_check_beheer(door=request.user, organisatie_id=obj.organisatie_id)
            return
        # A new process is a draft version of its type; activating it is a separate step.
        organisatie = obj.organisatie
        if not sees_all_organisations(request.user):
            organisatie = request.user.organisatie
        nieuw = proces_create(door=request.user, organisatie=organisatie, type=obj.type)
        obj.__dict__.update(nieuw.__dict__)

    def save_related(self, request, form, formsets, change):
        proces_check_beheer(door=request.user, organisatie_id=form.instance.organisatie_id)
        super().save_related(request, form, formsets, change)
        problems = proces_validate(form.instance)
        if problems:
            messages.warning(
                request,
                format_html(
                    "{}<ul>{}</ul>",
                    _(
                        "Deze versie is opgeslagen maar nog niet geldig; zo kan zij niet actief "
                        "worden:"
                    ),
                    format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
                ),
            )

    @admin.display(description=_("in gebruik"))
    def in_gebruik(self, obj: Proces) -> int:
        return obj._in_gebruik

    @admin.display(description=_("geldig"), boolean=True)
    def geldig(self, obj: Proces) -> bool:
        return not proces_validate(obj)

    @admin.display(description=_("controle"))
    def controle(self, obj: Proces):
        if obj.pk is None:
            return "-"
        problems = proces_validate(obj)
        if not problems:
            return _("Het proces is geldig.")
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems))
        )

    @admin.display(description=_("diagram"))
    def diagram(self, obj: Proces):
        if obj.pk is None:
            return "-"
        return proces_diagram_html(obj)

    @admin.action(
        description=_("Nieuwe versie maken (om een proces in gebruik te wijzigen)"),
        permissions=["add"],
    )
    def nieuwe_versie(self, request, queryset):
        for proces in queryset:
            nieuw = proces_new_version(proces=proces)
            messages.success(
                request,
                _("Versie %(v)d van het proces %(type)s is gemaakt (nog niet actief).")
                % {"v": nieuw.versie, "type": nieuw.get_type_display()},
            )

    @admin.action(
        description=_("Activeren: nieuwe hulpvragen starten in deze versie"), permissions=["add"]
    )
    def activeren(self, request, queryset):
        for proces in queryset:
            try:
                proces_activate(proces=proces)
            except ValidationError as invalid:
                messages.error(
                    request,
                    _("Het proces %(proces)s is niet geactiveerd: %(fouten)s")
                    % {"proces": proces, "fouten": " ".join(invalid.messages)},
                )
            else:
                messages.success(
                    request, _("Het proces %(proces)s is nu actief.") % {"proces": proces}
                )


@admin.register(TypePerSector)
class TypePerSectorAdmin(OrganisatieScopedAdmin, admin.ModelAdmin):
    """Which hulpvraag types a school of each sector may choose (VO2505: VO schools TLV VSO, FA,
    PrO, SV; basisscholen BAG)."""

    list_display = ("sector", "type", "organisatie")
    list_filter = ("sector", "type", ("organisatie", RelatedOnly))
    list_select_related = ("organisatie",)
    search_fields = ("organisatie__naam", "organisatie__code")
    fields = ("organisatie", "sector", "type")
    rechten_per_actie = rechten(
        view=Recht.PROCESSEN_BEKIJKEN, add=Recht.PROCESSEN_BEHEREN, delete=Recht.PROCESSEN_BEHEREN
    )
