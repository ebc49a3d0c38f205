from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from organisaties.models import Organisatie


class OrganisatieLoginForm(AuthenticationForm):
    """Organisation, gebruikersnaam and wachtwoord (the manual's "Inloggen")."""

    organisatie = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisatie.objects.filter(actief=True),
        empty_label=_("Kies uw samenwerkingsverband"),
    )

    error_messages = {
        "invalid_login": _(
            "De combinatie van organisatie, gebruikersnaam en wachtwoord is onjuist."
        ),
        "inactive": _("Dit account is niet actief."),
    }

    field_order = ["organisatie", "username", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["password"].label = _("Wachtwoord")

    def clean(self):
        organisatie = self.cleaned_data.get("organisatie")
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if organisatie and username is not None and password:
            self.user_cache = authenticate(
                self.request, username=username, password=password, organisatie=organisatie
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
