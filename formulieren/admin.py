"""Admin for the beheerder: the organisation's form definitions, edited as JSON (docs/formulieren.md
describes the format), validated as a whole, versioned when in use: like processes, a definition
that hulpvragen use is read-only; make a new version (action), change it, then activate it."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.rechten import Recht
from formulieren.definities import definitie_fouten
from formulieren.models import Formulier, FormulierDefinitie, Ondertekening
from formulieren.services import (
    formulierdefinitie_activate,
    formulierdefinitie_check,
    formulierdefinitie_new_version,
    formulierdefinitie_save,
)
from hulpvragen.access_admin import PupilDataAdmin
from organisaties.admin_scope import (
    DienstAdmin,
    OrganisatieScopedAdmin,
    RelatedOnly,
    rechten,
    sees_all_organisations,
)


class LeesbareJSONField(forms.JSONField):
    """JSON shown indented and with its accents, so a beheerder can read and edit it."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, indent=2, ensure_ascii=False)


class FormulierDefinitieForm(forms.ModelForm):
    inhoud = LeesbareJSONField(
        label=_("inhoud"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 110, "spellcheck": "false"}),
        help_text=_("Secties en vragen als JSON; docs/formulieren.md beschrijft het formaat."),
    )

    class Meta:
        model = FormulierDefinitie
        fields = ("organisatie", "inhoud", "ondertekening_vereist")

    # Validated by formulierdefinitie_check (the service), through DienstAdmin.


@admin.register(FormulierDefinitie)
class FormulierDefinitieAdmin(DienstAdmin, OrganisatieScopedAdmin, admin.ModelAdmin):
    form = FormulierDefinitieForm
    list_display = ("naam", "hulpvraag_type", "versie", "actief", "in_gebruik", "organisatie")
    list_filter = ("hulpvraag_type", "actief", ("organisatie", RelatedOnly))
    list_select_related = ("organisatie",)
    search_fields = ("naam", "sleutel")
    readonly_fields = ("sleutel", "naam", "hulpvraag_type", "versie", "actief", "controle")
    actions = ("nieuwe_versie", "activeren")
    rechten_per_actie = rechten(
        view=Recht.PROCESSEN_BEKIJKEN, add=Recht.PROCESSEN_BEHEREN, change=Recht.PROCESSEN_BEHEREN
    )

    def get_fields(self, request, obj=None):
        return (
            "organisatie",
            "sleutel",
            "naam",
            "hulpvraag_type",
            "versie",
            "actief",
            "ondertekening_vereist",
            "controle",
            "inhoud",
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_in_gebruik=Count("formulieren"))

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._in_gebruik(obj):
            return False  # in use: change a new version instead
        return super().has_change_permission(request, obj)

    @staticmethod
    def _in_gebruik(obj: FormulierDefinitie) -> int:
        if getattr(obj, "_in_gebruik", None) is None:
            obj._in_gebruik = obj.formulieren.count()
        return obj._in_gebruik

    def dienst_check(self, request, obj, gegevens):
        formulierdefinitie_check(door=request.user, definitie=obj, inhoud=obj.inhoud)

    def dienst_save(self, request, obj, form, change):
        if not sees_all_organisations(request.user):
            obj.organisatie_id = request.user.organisatie_id
        formulierdefinitie_save(
            door=request.user,
            definitie=obj,
            inhoud=form.cleaned_data["inhoud"],
            ondertekening_vereist=obj.ondertekening_vereist,
        )

    @admin.display(description=_("in gebruik"))
    def in_gebruik(self, obj: FormulierDefinitie) -> int:
        return self._in_gebruik(obj)

    @admin.display(description=_("controle"))
    def controle(self, obj: FormulierDefinitie):
        if obj.pk is None:
            return "-"
        fouten = definitie_fouten(obj.inhoud)
        if not fouten:
            return _("De definitie is geldig.")
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((f,) for f in fouten))
        )

    @admin.action(
        description=_("Nieuwe versie maken (om een formulier in gebruik te wijzigen)"),
        permissions=["add"],
    )
    def nieuwe_versie(self, request, queryset):
        for definitie in queryset:
            nieuw = formulierdefinitie_new_version(definitie=definitie)
            messages.success(
                request,
                _("Versie %(v)d van het formulier “%(naam)s” is gemaakt (nog niet actief).")
                % {"v": nieuw.versie, "naam": nieuw.naam},
            )

    @admin.action(
        description=_("Activeren: nieuwe hulpvragen krijgen deze versie"), permissions=["add"]
    )
    def activeren(self, request, queryset):
        for definitie in queryset:
            try:
                formulierdefinitie_activate(definitie=definitie)
            except ValidationError as invalid:
                messages.error(
                    request,
                    _("Het formulier %(d)s is niet geactiveerd: %(fouten)s")
                    % {"d": definitie, "fouten": " ".join(invalid.messages)},
                )
            else:
                messages.success(request, _("Het formulier %(d)s is nu actief.") % {"d": definitie})


# --- Filled-in forms and signatures, read-only (the hulpvraag screens edit and sign them) ------


@admin.register(Formulier)
class FormulierAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("definitie", "hulpvraag", "revisie", "opgeslagen_op", "opgeslagen_door")
    list_select_related = ("definitie", "hulpvraag", "opgeslagen_door")
    list_filter = (("definitie", RelatedOnly), "opgeslagen_op")
    search_fields = ("definitie__naam", "hulpvraag__leerling__achternaam")
    exclude = ("concept",)

    via_hulpvraag = "hulpvraag"


@admin.register(Ondertekening)
class OndertekeningAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("naam", "functie", "formulier", "revisie", "ondertekend_op", "ongeldig_op")
    list_select_related = ("formulier__definitie",)
    list_filter = ("ondertekend_op", ("ongeldig_op", admin.EmptyFieldListFilter))
    search_fields = ("naam", "functie", "bestuur")

    via_hulpvraag = "formulier__hulpvraag"
