"""The login screen (the manual's "Inloggen"), the code step, enrolment and password reset."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.http import client_ip
from accounts.models import Gebeurtenis, User
from accounts.selectors import organisaties_zoek
from accounts.services import beveiliging_log, inlogpoging_geslaagd, inlogpoging_reserveer
from organisaties.models import Organisatie

ONJUIST = _("De combinatie van organisatie, gebruikersnaam en wachtwoord is onjuist.")


class OrganisatieField(forms.CharField):
    """Type-ahead organisation: an <input list> with a <datalist> of every active organisation
    (the browser offers "VO2505 Apeldoorn" when "VO25" is typed). The server matches the text on
    code or name itself, so it works without JavaScript and without picking from the list."""

    def __init__(self, *, required: bool = True, **kwargs):
        kwargs.setdefault("label", _("Organisatie"))
        kwargs.setdefault("max_length", 200)
        super().__init__(required=required, **kwargs)
        self.widget.attrs.update(
            {"list": "organisaties", "autocomplete": "organization", "spellcheck": "false"}
        )

    def clean(self, value) -> Organisatie | None:
        tekst = super().clean(value)
        if not tekst:
            return None
        gevonden = organisaties_zoek(tekst=tekst)
        if len(gevonden) == 1:
            return gevonden[0]
        if not gevonden:
            raise ValidationError(
                _("Geen organisatie gevonden bij “%(tekst)s”."), params={"tekst": tekst}
            )
        raise ValidationError(
            _("Meerdere organisaties passen bij “%(tekst)s”: %(namen)s. Kies er één."),
            params={"tekst": tekst, "namen": ", ".join(o.naam for o in gevonden)},
        )


class LoginForm(forms.Form):
    """Organisatie, gebruikersnaam, wachtwoord and code on one screen, as the manual shows.

    The form itself does the password step. The order matters: the lockout for organisation +
    username + IP is checked (and this attempt counted) *before* the password hash is computed;
    an unknown username costs a hash too (accounts.backends) and gets the same answer.
    The code is checked by the view, after the password.
    """

    organisatie = OrganisatieField(
        required=False,
        help_text=_("Typ een deel van de naam of code, bijvoorbeeld “VO25”."),
    )
    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=20,
        help_text=_("De zescijferige code uit uw authenticator-app, of een reservecode."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, request, **kwargs):
        self.request = request
        self.user_cache: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        organisatie = cleaned.get("organisatie")
        username = cleaned["username"]
        ip = client_ip(self.request)
        if not inlogpoging_reserveer(organisatie=organisatie, gebruikersnaam=username, ip=ip):
            beveiliging_log(
                gebeurtenis=Gebeurtenis.GEBLOKKEERD,
                gebruikersnaam=username,
                organisatie=organisatie,
                ip=ip,
            )
            minuten = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
            raise ValidationError(
                _(
                    "Te veel mislukte pogingen om in te loggen. Wacht %(minuten)d minuten en "
                    "probeer het dan opnieuw, of vraag het loket om hulp."
                ),
                code="geblokkeerd",
                params={"minuten": minuten},
            )
        user = authenticate(
            self.request, username=username, password=cleaned["password"], organisatie=organisatie
        )
        if user is None:
            beveiliging_log(
                gebeurtenis=Gebeurtenis.LOGIN_MISLUKT,
                gebruikersnaam=username,
                organisatie=organisatie,
                ip=ip,
                toelichting="wachtwoord",
            )
            raise ValidationError(ONJUIST, code="invalid_login")
        inlogpoging_geslaagd(organisatie=organisatie, gebruikersnaam=username, ip=ip)
        self.user_cache = user
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("De zescijferige code uit uw authenticator-app, of een reservecode."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class KoppelForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit de app"),
        max_length=10,
        help_text=_("Typ de zescijferige code die de app nu toont."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class HuidigWachtwoordForm(forms.Form):
    """Asked again before a new authenticator app replaces the old one: a session left open on
    someone's computer is not enough to take over the second factor."""

    wachtwoord = forms.CharField(
        label=_("Uw huidige wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class WachtwoordHerstelForm(forms.Form):
    """One field, "gebruikersnaam of e-mailadres": the manual's trap (two fields that hang when
    both are filled) cannot happen."""

    organisatie = OrganisatieField(
        required=False,
        help_text=_("Nodig bij een gebruikersnaam; bij een e-mailadres mag u het leeg laten."),
    )
    invoer = forms.CharField(
        label=_("Gebruikersnaam of e-mailadres"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
