from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Rol, User
from organisaties.models import School


class GebruikerKeuze(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        naam = obj.get_full_name() or obj.username
        scholen = ", ".join(s.naam for s in obj.scholen.all())
        extra = [p for p in (obj.email, scholen) if p]
        if not obj.is_active:
            extra.append(str(_("gedeactiveerd")))
        return f"{naam} ({'; '.join(extra)})" if extra else naam


def _schoolgebruikers(organisatie_id: int, *, alleen_actief: bool):
    qs = User.objects.filter(organisatie_id=organisatie_id, rol=Rol.SCHOOL).prefetch_related(
        "scholen"
    )
    if alleen_actief:
        qs = qs.filter(is_active=True)
    return qs.order_by("last_name", "first_name", "username")


DATUM = forms.DateInput(format="%d-%m-%Y", attrs={"placeholder": "dd-mm-jjjj"})


class PersoneelswijzigingForm(forms.Form):
    """The loket's form: the school, who leaves, who follows and from when."""

    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    vertrekkend = GebruikerKeuze(
        label=_("Vertrekkende ondersteuningscoördinator"),
        queryset=User.objects.none(),
        required=False,
    )
    vertrekkend_email = forms.EmailField(
        label=_("E-mailadres vertrekkende"),
        required=False,
        help_text=_("Alleen nodig als de vertrekkende geen account (meer) heeft."),
    )
    opvolger = GebruikerKeuze(
        label=_("Nieuwe ondersteuningscoördinator"), queryset=User.objects.none()
    )
    ingangsdatum = forms.DateField(label=_("Startdatum opvolger"), widget=DATUM)
    toelichting = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        org = user.organisatie_id
        self.fields["school"].queryset = School.objects.filter(organisatie_id=org, actief=True)
        self.fields["vertrekkend"].queryset = _schoolgebruikers(org, alleen_actief=False)
        self.fields["opvolger"].queryset = _schoolgebruikers(org, alleen_actief=True)

    def clean(self):
        data = super().clean()
        if not data.get("vertrekkend") and not data.get("vertrekkend_email"):
            raise forms.ValidationError(
                _("Kies de vertrekkende coördinator of vul het e-mailadres in.")
            )
        return data


class GoedkeurenForm(forms.Form):
    """Approving a school's request: the loket picks the successor's account."""

    opvolger = GebruikerKeuze(
        label=_("Account van de nieuwe ondersteuningscoördinator"), queryset=User.objects.none()
    )
    ingangsdatum = forms.DateField(label=_("Startdatum opvolger"), widget=DATUM)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opvolger"].queryset = _schoolgebruikers(
            user.organisatie_id, alleen_actief=True
        )


class AfwijzenForm(forms.Form):
    toelichting = forms.CharField(
        label=_("Reden van afwijzen (de school ziet deze)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AanvraagForm(forms.Form):
    """A school asks for a personeelswijziging: the manual's e-mail to the loket as a form."""

    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    vertrekkend = GebruikerKeuze(
        label=_("Vertrekkende ondersteuningscoördinator"),
        queryset=User.objects.none(),
        required=False,
    )
    vertrekkend_email = forms.EmailField(
        label=_("E-mailadres vertrekkende"),
        required=False,
        help_text=_("Alleen nodig als de vertrekkende niet in de lijst staat."),
    )
    opvolger_naam = forms.CharField(
        label=_("Voornaam en achternaam nieuwe ondersteuningscoördinator"), max_length=200
    )
    opvolger_email = forms.EmailField(label=_("E-mailadres nieuwe ondersteuningscoördinator"))
    ingangsdatum = forms.DateField(
        label=_("Startdatum nieuwe ondersteuningscoördinator"), widget=DATUM
    )
    toelichting = forms.CharField(
        label=_("Toelichting"),
        required=False,
        help_text=_("Bijvoorbeeld de vertrekdatum, of de school waar de vertrekkende gaat werken."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        scholen = user.scholen.filter(organisatie_id=user.organisatie_id)
        self.fields["school"].queryset = scholen
        self.fields["vertrekkend"].queryset = (
            User.objects.filter(
                organisatie_id=user.organisatie_id, rol=Rol.SCHOOL, scholen__in=scholen
            )
            .distinct()
            .prefetch_related("scholen")
            .order_by("last_name", "first_name", "username")
        )

    def clean(self):
        data = super().clean()
        if not data.get("vertrekkend") and not data.get("vertrekkend_email"):
            raise forms.ValidationError(
                _("Kies de vertrekkende coördinator of vul het e-mailadres in.")
            )
        return data
