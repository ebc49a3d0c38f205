"""Which document kinds each hulpvraag type requires (data, per organisation): loket and
beheerder set it in admin; without a row the defaults of bijlagen/vereisten.json apply."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from bijlagen.models import Bijlagevereiste, Documentsoort
from bijlagen.selectors import verplichte_documentsoorten
from organisaties.admin_scope import OrganisatieScopedAdmin


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

    @admin.display(description=_("verplichte documentsoorten"))
    def soorten(self, obj: Bijlagevereiste) -> str:
        labels = dict(Documentsoort.choices)
        return ", ".join(str(labels.get(s, s)) for s in obj.documentsoorten) or "-"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "type" in initial and request.user.organisatie_id:
            initial["documentsoorten"] = verplichte_documentsoorten(
                organisatie_id=request.user.organisatie_id, type=initial["type"]
            )
        return initial
