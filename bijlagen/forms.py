from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bijlagen.checks import SOORTEN
from bijlagen.models import Documentsoort


class MeerdereBestandenInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadForm(forms.Form):
    """The non-file fields of the upload; the files themselves are checked one by one by
    bijlagen.services.bestanden_check, so each refusal names its own file."""

    bestanden = forms.FileField(
        label=_("Bestanden"),
        required=False,
        widget=MeerdereBestandenInput(
            attrs={"accept": ",".join(e for s in SOORTEN.values() for e in s.extensies)}
        ),
        help_text=_("U kunt meerdere bestanden tegelijk kiezen; elk bestand maximaal 10 MB."),
    )
    documentsoort = forms.ChoiceField(
        label=_("Soort document"),
        choices=Documentsoort.choices,
        required=False,
        help_text=_(
            "Geldt voor alle bestanden van deze keer; daarna kunt u de soort per bijlage wijzigen."
        ),
    )
    beantwoordt_vragen = forms.BooleanField(
        label=_("Deze bestanden zijn de beantwoording van de gestelde vragen"),
        required=False,
        help_text=_(
            "Ze krijgen dan de naam “beantwoordingvragen” met de datum van vandaag; u hoeft "
            "niets te hernoemen."
        ),
    )


class DocumentsoortForm(forms.Form):
    documentsoort = forms.ChoiceField(label=_("Soort document"), choices=Documentsoort.choices)
