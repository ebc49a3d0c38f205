from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from hulpvragen.models import Label
from loket.models import LoketInstellingen


class ToewijzenForm(forms.Form):
    """The werkvoorraad's quick form per row: coördinator and labels."""

    coordinator = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Coördinator")
    )
    labels = forms.ModelMultipleChoiceField(
        queryset=Label.objects.none(), required=False, label=_("Labels")
    )
    terug = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, coordinatoren, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinatoren
        self.fields["labels"].queryset = labels


class LoketInstellingenForm(forms.ModelForm):
    class Meta:
        model = LoketInstellingen
        fields = ["beslistermijn_weken"]
