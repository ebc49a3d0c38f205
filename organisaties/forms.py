from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class InformatieForm(forms.Form):
    informatie = forms.CharField(
        label=_("Informatie op de startpagina"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60}),
        help_text=_(
            "Wordt getoond onder “Aangemeld” aan iedereen van uw samenwerkingsverband. "
            "Gewone tekst; een lege regel begint een nieuwe alinea."
        ),
    )
