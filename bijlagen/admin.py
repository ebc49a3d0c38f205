"""Which document kinds each hulpvraag type requires (data, per organisation): loket and
beheerder set it in admin; without a row the defaults of bijlagen/vereisten.json apply."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.rechten import Recht
from bijlagen.models import Bijlage, Bijlagevereiste, Documentsoort
from bijlagen.selectors import documentsoorten_verplicht_for
from hulpvragen.access_admin import PupilDataAdmin
from organisaties.admin_scope import (
    OrganisatieScopedAdmin,
    RelatedOnly,
    alle,
)


class BijlagevereisteForm(forms.ModelForm):
    documentsoorten = forms.MultipleChoiceField(
        label=_("Verplichte documentsoorten"),
        choices=Documentsoort.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "De controle “Verplichte bijlagen toegevoegd” noemt elke soort die ontbreekt. Niets "
            "aangevinkt: er moet ten minste één bijlage zijn."
        ),
    )

    class Meta:
        model = Bijlagevereiste
        fields = ["organisatie", "type", "documentsoorten"]


@admin.register(Bijlagevereiste)
class BijlagevereisteAdmin(OrganisatieScopedAdmin, admin.ModelAdmin):
    form = BijlagevereisteForm
    list_display = ["type", "soorten", "organisatie"]
    list_select_related = ["organisatie"]
    list_filter = ["type", ("organisatie", RelatedOnly)]
    search_fields = ["organisatie__naam", "organisatie__code"]
    rechten_per_actie = alle(Recht.BIJLAGEVEREISTEN_BEHEREN)

    @admin.display(description=_("verplichte documentsoorten"))
    def soorten(self, obj: Bijlagevereiste) -> str:
        labels = dict(Documentsoort.choices)
        return ", ".join(str(labels.get(s, s)) for s in obj.documentsoorten) or "-"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "type" in initial and request.user.organisatie_id:
            initial["documentsoorten"] = documentsoorten_verplicht_for(
                organisatie_id=request.user.organisatie_id, type=initial["type"]
            )
        return initial


# --- The bijlagen themselves and their download log, read-only ------------------------------------


@admin.register(Bijlage)
class BijlageAdmin(PupilDataAdmin, admin.ModelAdmin):
    """What was uploaded, by whom, and the scan result; no file link here (downloads go through
    the hulpvraag screen, which checks access and writes the download log)."""

    list_display = ("naam", "documentsoort", "hulpvraag", "grootte", "geupload_op", "scan_status")
    list_select_related = ("hulpvraag",)
    list_filter = ("documentsoort", "scan_status", ("ingetrokken_op", admin.EmptyFieldListFilter))
    search_fields = ("naam", "originele_naam", "hulpvraag__leerling__achternaam")
    date_hierarchy = "geupload_op"
    exclude = ("sleutel", "upload")

    via_hulpvraag = "hulpvraag"
