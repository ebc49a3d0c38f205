from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiClient, Scope
from organisaties.models import School


class KoppelingForm(forms.Form):
    naam = forms.CharField(label=_("Naam"), max_length=100)
    swv_breed = forms.BooleanField(
        label=_("Hele samenwerkingsverband, alleen lezen (eigen hulpmiddelen van het loket)"),
        required=False,
    )
    scholen = forms.ModelMultipleChoiceField(
        label=_("Scholen"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De koppeling ziet alleen de leerlingen en hulpvragen van deze scholen."),
    )
    scope = forms.ChoiceField(label=_("Rechten"), choices=Scope.choices, initial=Scope.LEZEN)
    per_minuut = forms.IntegerField(
        label=_("Maximaal aantal verzoeken per minuut"), min_value=1, max_value=6000, initial=120
    )
    contact_email = forms.EmailField(
        label=_("E-mailadres van de leverancier (voor technische vragen)"), required=False
    )

    def __init__(self, *args, organisatie_id: int, client: ApiClient | None = None, **kw):
        super().__init__(*args, **kw)
        self.fields["scholen"].queryset = School.objects.filter(
            organisatie_id=organisatie_id, actief=True
        ).order_by("naam")
        if client is not None:
            # Who the account is stays fixed: a school client does not become SWV-wide.
            del self.fields["swv_breed"]
            if client.swv_breed:
                del self.fields["scholen"]


class VernieuwenForm(forms.Form):
    overlap = forms.ChoiceField(
        label=_("Het oude token blijft werken"),
        choices=[("7", _("nog 7 dagen")), ("1", _("nog 1 dag")), ("0", _("niet: stopt nu"))],
        initial="7",
    )
