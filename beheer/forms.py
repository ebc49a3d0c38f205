from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import GebruikerKeuze
from accounts.models import Rol, User
from beheer.models import BewaarSoort
from hulpvragen.models import HulpvraagType
from organisaties.models import School


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


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["naam", "brin", "vestiging", "bestuur", "sector", "plaats"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bestuur"].queryset = self.fields["bestuur"].queryset.filter(
            organisatie_id=user.organisatie_id
        )
        self.fields["brin"].help_text = _("Twee cijfers en twee hoofdletters, bijvoorbeeld 12AB.")

    def _post_clean(self):
        # The model is validated by the service (with the organisation filled in).
        pass


class SchoolKeuzeForm(forms.Form):
    doel = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())

    def __init__(self, *args, user: User, school: School, verplicht: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doel"].queryset = School.objects.filter(
            organisatie_id=user.organisatie_id, actief=True
        ).exclude(pk=school.pk)
        self.fields["doel"].required = verplicht


class BewaartermijnenForm(forms.Form):
    """Years to keep a closed dossier, one field per hulpvraag type."""

    def __init__(self, *args, termijnen: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for type_, label in HulpvraagType.choices:
            self.fields[type_] = forms.IntegerField(
                label=_("%(type)s: jaren na afsluiten") % {"type": label},
                min_value=1,
                max_value=30,
                initial=termijnen[type_],
            )


class VerwijderenForm(forms.Form):
    leerling_ids = forms.CharField(widget=forms.HiddenInput)
    soort = forms.ChoiceField(
        label=_("Wat moet er gebeuren?"),
        choices=[
            (
                BewaarSoort.VERWIJDEREN,
                _("Verwijderen: de dossiers met hun hulpvragen, formulieren en bijlagen."),
            ),
            (
                BewaarSoort.ANONIMISEREN,
                _(
                    "Anonimiseren: namen, BSN, adressen en geboortedag worden gewist, formulieren, "
                    "notities en bijlagen verwijderd; de hulpvragen blijven voor de kengetallen."
                ),
            ),
        ],
        initial=BewaarSoort.VERWIJDEREN,
        widget=forms.RadioSelect,
    )
    bevestigd = forms.BooleanField(
        label=_("Ik bevestig dit; het kan niet ongedaan worden gemaakt.")
    )

    def clean_leerling_ids(self):
        try:
            return [int(i) for i in self.cleaned_data["leerling_ids"].split(",") if i]
        except ValueError:
            raise forms.ValidationError(_("Ongeldige lijst.")) from None


class InzageZoekForm(forms.Form):
    """A request for inzage names the pupil; the beheerder finds the dossier by its BSN or the
    dossier number, never by browsing names."""

    bsn = forms.CharField(label=_("BSN"), required=False, max_length=9)
    dossier = forms.IntegerField(label=_("Dossiernummer"), required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if not data.get("bsn") and not data.get("dossier"):
            raise forms.ValidationError(_("Vul het BSN of het dossiernummer in."))
        return data


class PeriodeForm(forms.Form):
    van = forms.DateField(label=_("Hulpvraagdatum vanaf"), widget=DATUM)
    tot = forms.DateField(label=_("tot en met"), widget=DATUM)

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            raise forms.ValidationError(_("De begindatum ligt na de einddatum."))
        return data


class AuditlogZoekForm(forms.Form):
    dossier = forms.IntegerField(label=_("Dossiernummer"), required=False, min_value=1)
    bsn = forms.CharField(label=_("BSN"), required=False, max_length=9)
    gebruiker = GebruikerKeuze(label=_("Gebruiker"), queryset=User.objects.none(), required=False)
    van = forms.DateField(label=_("Vanaf"), required=False, widget=DATUM)
    tot = forms.DateField(label=_("tot en met"), required=False, widget=DATUM)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebruiker"].queryset = (
            User.objects.filter(organisatie_id=user.organisatie_id)
            .prefetch_related("scholen")
            .order_by("last_name", "first_name", "username")
        )

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("dossier", "bsn", "gebruiker", "van", "tot")):
            raise forms.ValidationError(_("Zoek op een leerling, een gebruiker of een periode."))
        return data
