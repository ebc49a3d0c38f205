"""The login screen (the manual's "Inloggen"), the code step, enrolment and password reset."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.inlogregels import wachtwoord_geweigerd
from accounts.models import Gebeurtenis, Rol, User
from accounts.selectors import organisaties_search
from accounts.services import beveiliging_log, inlogpoging_reserve, inlogpoging_succeed
from kindkans.proxy import client_ip
from organisaties.models import Organisatie, School

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
        gevonden = organisaties_search(tekst=tekst)
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
        if not inlogpoging_reserve(organisatie=organisatie, gebruikersnaam=username, ip=ip):
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
        inlogpoging_succeed(organisatie=organisatie, gebruikersnaam=username, ip=ip)
        # Rules of other apps (accounts.inlogregels), e.g. a school that logs in only through
        # its own provider: the password was right, so the reason may be told.
        reden = wachtwoord_geweigerd(user)
        if reden:
            beveiliging_log(
                gebeurtenis=Gebeurtenis.LOGIN_MISLUKT,
                gebruiker=user,
                ip=ip,
                toelichting="wachtwoord niet toegestaan",
            )
            raise ValidationError(reden, code="wachtwoord_geweigerd")
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


class GebruikerKeuze(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        naam = obj.get_full_name() or obj.username
        scholen = ", ".join(s.naam for s in obj.scholen.all())
        extra = [p for p in (obj.email, scholen) if p]
        if not obj.is_active:
            extra.append(str(_("gedeactiveerd")))
        return f"{naam} ({'; '.join(extra)})" if extra else naam


class GebruikerForm(forms.ModelForm):
    """A personal account: one person, one account per organisation (no shared accounts)."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "username", "rol", "scholen", "bestuur"]
        fields += ["functie"]
        widgets = {"scholen": forms.CheckboxSelectMultiple}

    def __init__(self, *args, beheerder: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisatie_id = beheerder.organisatie_id
        for naam in ("first_name", "last_name", "email"):
            self.fields[naam].required = True
        self.fields["email"].help_text = _(
            "Het persoonlijke e-mailadres: Kindkans kent geen gedeelde accounts."
        )
        self.fields["username"].required = False
        self.fields["username"].help_text = _(
            "Leeg laten voor het voorstel: naam met de organisatiecode, bijvoorbeeld "
            "“Piet Jansen %(code)s”."
        ) % {"code": beheerder.organisatie.code}
        self.fields["rol"].choices = [c for c in Rol.choices if c[0] != Rol.PLATFORM]
        self.fields["scholen"].queryset = School.objects.filter(organisatie_id=self.organisatie_id)
        self.fields["scholen"].help_text = _("Alleen voor de rol school.")
        self.fields["bestuur"].queryset = self.fields["bestuur"].queryset.filter(
            organisatie_id=self.organisatie_id
        )
        self.fields["bestuur"].help_text = _("Alleen voor de rol bevoegd gezag.")

    def _andere(self):
        qs = User.objects.filter(organisatie_id=self.organisatie_id)
        return qs.exclude(pk=self.instance.pk) if self.instance.pk else qs

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip()
        if username and self._andere().filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Deze gebruikersnaam bestaat al in deze organisatie."))
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if self._andere().filter(email__iexact=email, is_active=True).exists():
            raise forms.ValidationError(
                _(
                    "Er is al een actief account met dit e-mailadres. Elke persoon heeft een "
                    "eigen account met een eigen e-mailadres."
                )
            )
        return email

    def clean(self):
        data = super().clean()
        rol = data.get("rol")
        if rol == Rol.SCHOOL and not data.get("scholen"):
            self.add_error("scholen", _("Kies ten minste één school."))
        if rol == Rol.BEVOEGD_GEZAG and not data.get("bestuur"):
            self.add_error("bestuur", _("Kies het bestuur."))
        # A role change takes away what belonged to the old role.
        if rol != Rol.BEVOEGD_GEZAG:
            data["bestuur"] = None
        if rol != Rol.SCHOOL:
            data["scholen"] = School.objects.none()
        return data


class GebruikersFilter(forms.Form):
    zoek = forms.CharField(label=_("Zoeken"), required=False)
    rol = forms.ChoiceField(
        label=_("Rol"),
        required=False,
        choices=[("", _("Alle rollen"))] + [c for c in Rol.choices if c[0] != Rol.PLATFORM],
    )
    actief = forms.ChoiceField(
        label=_("Actief"),
        required=False,
        choices=[("", _("Alle")), ("ja", _("Actief")), ("nee", _("Gedeactiveerd"))],
    )
