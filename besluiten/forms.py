from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from besluiten.models import Bekostigingscategorie, Discipline

DATUM = forms.DateInput(attrs={"placeholder": "dd-mm-jjjj", "inputmode": "numeric"})
TOELICHTING_HULP = _(
    "Komt in de Statushistorie en in de e-mail aan de school. Noem geen namen of andere "
    "gegevens van de leerling."
)


class BesluitBasis(forms.Form):
    gezien_status = forms.IntegerField(widget=forms.HiddenInput, required=False)
    besluitdatum = forms.DateField(label=_("Besluitdatum"), widget=DATUM)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["besluitdatum"].initial = timezone.localdate()


class TlvForm(BesluitBasis):
    bekostigingscategorie = forms.ChoiceField(
        label=_("Bekostigingscategorie"),
        choices=[("", "---------")] + Bekostigingscategorie.choices,
    )
    ingangsdatum = forms.DateField(label=_("Ingangsdatum"), widget=DATUM)
    einddatum = forms.DateField(
        label=_("Einddatum"),
        widget=DATUM,
        required=False,
        help_text=_("Leeg: 31 juli, ten minste één schooljaar na de ingangsdatum."),
    )
    toelichting = forms.CharField(
        label=_("Toelichting bij de status"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=TOELICHTING_HULP,
    )


class AfwijzingForm(BesluitBasis):
    motivering = forms.CharField(
        label=_("Motivering (in de afwijzingsbrief)"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    toelichting = forms.CharField(
        label=_("Toelichting bij de status"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=TOELICHTING_HULP,
    )


class FaForm(BesluitBasis):
    bedrag = forms.DecimalField(
        label=_("Bedrag (€)"), max_digits=10, decimal_places=2, min_value=0.01, localize=True
    )
    ingangsdatum = forms.DateField(label=_("Ingangsdatum"), widget=DATUM)
    einddatum = forms.DateField(label=_("Einddatum"), widget=DATUM)
    evaluatiedatum = forms.DateField(label=_("Evaluatiedatum"), widget=DATUM)
    toelichting = forms.CharField(
        label=_("Toelichting bij de status"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=TOELICHTING_HULP,
    )


class ToewijzenForm(forms.Form):
    volgorde = forms.TypedChoiceField(
        choices=[(1, "1"), (2, "2")], coerce=int, widget=forms.HiddenInput
    )
    deskundige = forms.ModelChoiceField(label=_("Deskundige"), queryset=None)
    discipline = forms.ChoiceField(
        label=_("Discipline"), choices=[("", "---------")] + Discipline.choices
    )

    def __init__(self, *args, deskundigen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deskundige"].queryset = deskundigen
        self.fields["deskundige"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}" + (f" ({u.functie})" if u.functie else "")
        )


class AdviesForm(forms.Form):
    toelaatbaar = forms.TypedChoiceField(
        label=_("Toelaatbaar tot het voortgezet speciaal onderwijs"),
        choices=[("ja", _("ja")), ("nee", _("nee"))],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
    )
    bekostigingscategorie = forms.ChoiceField(
        label=_("Geadviseerde bekostigingscategorie"),
        choices=[("", "---------")] + Bekostigingscategorie.choices,
        required=False,
        help_text=_("Alleen bij toelaatbaar."),
    )
    duur_schooljaren = forms.IntegerField(
        label=_("Geadviseerde duur (schooljaren)"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Alleen bij toelaatbaar."),
    )
    motivering = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 8}))


class SjabloonForm(forms.Form):
    tekst = forms.CharField(label=_("Tekst"), widget=forms.Textarea(attrs={"rows": 24}))
