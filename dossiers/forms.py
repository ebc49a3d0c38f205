"""The LVS tab's forms: IQ tests and toetsen as formsets, the sociaal-emotionele questions as one
form. Validation messages are Dutch and the same as the PrO calculation's (dossiers.validators)."""

from __future__ import annotations

from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from dossiers import lvs
from dossiers.models import SEP_VRAGEN, IqTest, Leerling, SociaalEmotioneleProblematiek, Toets


class DatumInput(forms.DateInput):
    """dd-mm-jjjj, as everywhere in Kindkans; a text field works in every browser without JS."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd-mm-jjjj", "size": 10, **(attrs or {})}, format="%d-%m-%Y"
        )


class IqTestForm(forms.ModelForm):
    class Meta:
        model = IqTest
        fields = ["testdatum", "totaal_iq", "verbaal_iq", "performaal_iq", "test", "interval"]
        # In a table row the hints stand above the table (no dangling aria-describedby).
        help_texts = {"test": "", "interval": ""}
        widgets = {
            "testdatum": DatumInput(),
            "totaal_iq": forms.NumberInput(attrs={"class": "smal"}),
            "verbaal_iq": forms.NumberInput(attrs={"class": "smal"}),
            "performaal_iq": forms.NumberInput(attrs={"class": "smal"}),
            "interval": forms.Textarea(attrs={"rows": 2, "cols": 30}),
        }


class ToetsForm(forms.ModelForm):
    class Meta:
        model = Toets
        fields = ["toetsdatum", "domein", "dle", "naam", "ruwe_score"]
        help_texts = {"dle": "", "naam": ""}
        widgets = {
            "toetsdatum": DatumInput(),
            "dle": forms.NumberInput(attrs={"class": "smal"}),
            "ruwe_score": forms.TextInput(attrs={"size": 6}),
        }


JA_NEE = [("True", _("Ja")), ("False", _("Nee")), ("", _("Niet ingevuld"))]


class SociaalEmotioneelForm(forms.ModelForm):
    class Meta:
        model = SociaalEmotioneleProblematiek
        fields = [v for veld, _vraag in SEP_VRAGEN for v in (veld, f"{veld}_toelichting")]
        widgets = {
            **{veld: forms.RadioSelect(choices=JA_NEE) for veld, _vraag in SEP_VRAGEN},
            **{
                f"{veld}_toelichting": forms.Textarea(attrs={"rows": 2, "cols": 50})
                for veld, _vraag in SEP_VRAGEN
            },
        }

    def vragen(self):
        """(question field, toelichting field) per question, for the template."""
        return [(self[veld], self[f"{veld}_toelichting"]) for veld, _vraag in SEP_VRAGEN]


IqTestFormSet = modelformset_factory(IqTest, form=IqTestForm, extra=1, can_delete=True)
ToetsFormSet = modelformset_factory(Toets, form=ToetsForm, extra=4, can_delete=True)


class LvsFormulier:
    """The whole tab as one form: saved together or not at all, so nothing is half stored and,
    on an error, everything typed comes back."""

    def __init__(
        self,
        *,
        leerling: Leerling,
        iq_tests,
        toetsen,
        sociaal_emotioneel: SociaalEmotioneleProblematiek | None,
        data=None,
    ):
        self.iq = IqTestFormSet(data, queryset=iq_tests, prefix="iq")
        # The four blank rows come with their domain chosen: untouched, they are skipped.
        self.toetsen = ToetsFormSet(
            data,
            queryset=toetsen,
            prefix="toets",
            initial=[{"domein": code} for code in lvs.DOMEINEN],
        )
        self.sep = SociaalEmotioneelForm(
            data,
            prefix="sep",
            instance=sociaal_emotioneel
            or SociaalEmotioneleProblematiek(
                leerling=leerling, organisatie_id=leerling.organisatie_id
            ),
        )

    def is_valid(self) -> bool:
        # Evaluate all three, so every error shows at once.
        return all([self.iq.is_valid(), self.toetsen.is_valid(), self.sep.is_valid()])

    @property
    def heeft_fouten(self) -> bool:
        return bool(
            self.iq.total_error_count() or self.toetsen.total_error_count() or self.sep.errors
        )

    def wijzigingen(self) -> dict:
        """Keyword arguments for dossiers.services.lvs_gegevens_save."""
        opslaan = [*self.iq.save(commit=False), *self.toetsen.save(commit=False)]
        verwijderen = [*self.iq.deleted_objects, *self.toetsen.deleted_objects]
        sep = self.sep.instance if self.sep.has_changed() else None
        if sep is not None:
            sep = self.sep.save(commit=False)
        return {"opslaan": opslaan, "verwijderen": verwijderen, "sociaal_emotioneel": sep}
