from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class StatusWijzigenForm(forms.Form):
    """The radio buttons are drawn from available_transitions in the template; which target is
    allowed is the engine's decision (it also answers a stale page), not the form's."""

    naar = forms.IntegerField(
        label=_("Nieuwe status"), error_messages={"required": _("Kies een nieuwe status.")}
    )
    toelichting = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # The status the page showed: the engine refuses the change when it has moved since.
    gezien_status = forms.IntegerField(widget=forms.HiddenInput)
