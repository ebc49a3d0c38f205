"""Forms of the dossier tabs and the new-dossier wizard. Messages in Dutch; nothing typed is
thrown away on an error (the views keep the raw input)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Rol, User
from dossiers.models import Adres, Leerling
from dossiers.search import fold
from organisaties.models import School, Sector

DATUM_WIDGET = forms.DateInput(attrs={"placeholder": "dd-mm-jjjj", "inputmode": "numeric"})
POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")


class BasisgegevensForm(forms.ModelForm):
    """Step 1 of "Nieuw dossier": the pupil and their current address."""

    straat = forms.CharField(label=_("Straat"), max_length=200)
    huisnummer = forms.CharField(label=_("Huisnummer"), max_length=20)
    postcode = forms.CharField(label=_("Postcode"), max_length=7)
    woonplaats = forms.CharField(label=_("Woonplaats"), max_length=100)
    toch_nieuw = forms.BooleanField(
        label=_("Dit is een andere leerling: toch een nieuw dossier aanmaken"), required=False
    )

    class Meta:
        model = Leerling
        fields = [
            "voornamen",
            "roepnaam",
            "tussenvoegsel",
            "achternaam",
            "geboortedatum",
            "geslacht",
            "bsn",
            "onderwijsnummer",
        ]
        widgets = {"geboortedatum": DATUM_WIDGET}
        help_texts = {"bsn": _("Of het onderwijsnummer, als de leerling geen BSN heeft.")}

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip().upper()
        if not POSTCODE.match(value):
            raise forms.ValidationError(_("Vul een postcode in als 1234 AB."))
        return f"{value[:4]} {value[-2:]}"

    def clean(self):
        data = super().clean()
        has_both_fields = "bsn" in data and "onderwijsnummer" in data
        if has_both_fields and not (data["bsn"] or data["onderwijsnummer"]):
            self.add_error("bsn", _("Vul het BSN of het onderwijsnummer in."))
        return data

    def validate_unique(self):
        # Duplicates are the wizard's own check (it offers the existing dossier instead).
        pass

    def leerling_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}

    def adres_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in ("straat", "huisnummer", "postcode", "woonplaats")}


class AdresForm(forms.ModelForm):
    """ "+ Adres toevoegen" on Basisgegevens."""

    class Meta:
        model = Adres
        fields = ["straat", "huisnummer", "postcode", "woonplaats", "ingangsdatum"]
        widgets = {"ingangsdatum": DATUM_WIDGET}

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip().upper()
        if not POSTCODE.match(value):
            raise forms.ValidationError(_("Vul een postcode in als 1234 AB."))
        return f"{value[:4]} {value[-2:]}"


def scholen_for(user: User):
    scholen = School.objects.filter(organisatie_id=user.organisatie_id, actief=True)
    if user.rol == Rol.SCHOOL:
        scholen = scholen.filter(pk__in=user.scholen.values("pk"))
    return scholen.order_by("naam")


class SchoolgegevensForm(forms.Form):
    """Step 2 of "Nieuw dossier" and the Schoolgegevens tab. No einddatum: the manual says not
    to enter one, so it is not asked."""

    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    leerjaar_groep = forms.IntegerField(
        label=_("Leerjaar / groep"),
        min_value=1,
        max_value=8,
        help_text=_(
            "Basisschool: groep 1 tot en met 8. Voortgezet onderwijs: leerjaar 1 tot en met 6."
        ),
    )
    doublures = forms.IntegerField(
        label=_("Aantal doublures"),
        min_value=0,
        max_value=5,
        initial=0,
        help_text=_("Doublures vanaf groep 3; nodig voor de didactische leeftijd."),
    )
    aanvrager = forms.ModelChoiceField(
        label=_("Aanvrager"), queryset=User.objects.none(), required=False
    )
    contactpersoon = forms.CharField(label=_("Contactpersoon"), max_length=200)
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Meldingen over statuswijzigingen gaan naar dit adres."),
    )
    telefoon = forms.CharField(label=_("Telefoon"), max_length=20, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = scholen_for(user)
        self.fields["aanvrager"].queryset = User.objects.filter(
            organisatie_id=user.organisatie_id, rol=Rol.SCHOOL, is_active=True
        ).order_by("last_name", "first_name")

    def clean(self):
        data = super().clean()
        school, n = data.get("school"), data.get("leerjaar_groep")
        if school and n and school.sector == Sector.VO and n > 6:
            self.add_error(
                "leerjaar_groep", _("Een leerjaar in het voortgezet onderwijs is 1 tot en met 6.")
            )
        aanvrager = data.get("aanvrager")
        if school and aanvrager and not aanvrager.scholen.filter(pk=school.pk).exists():
            self.add_error("aanvrager", _("De aanvrager werkt niet op deze school."))
        return data

    def model_data(self) -> dict:
        d = self.cleaned_data
        po = d["school"].sector == Sector.PO
        return {
            "school": d["school"],
            "groep": d["leerjaar_groep"] if po else None,
            "leerjaar": None if po else d["leerjaar_groep"],
            "doublures": d["doublures"],
            "aanvrager": d.get("aanvrager"),
            "contactpersoon": d["contactpersoon"],
            "email": d["email"],
            "telefoon": d.get("telefoon", ""),
        }

    @staticmethod
    def initial_from(sg) -> dict:
        return {
            "school": sg.school_id,
            "leerjaar_groep": sg.groep or sg.leerjaar,
            "doublures": sg.doublures,
            "aanvrager": sg.aanvrager_id,
            "contactpersoon": sg.contactpersoon,
            "email": sg.email,
            "telefoon": sg.telefoon,
        }


def bevat_naam(tekst: str, namen: list[str]) -> bool:
    """True when the text names the pupil (any of their names as a whole word, accents and case
    ignored)."""
    words = set(re.findall(r"\w+", fold(tekst)))
    for naam in namen:
        for part in fold(naam or "").split():
            if len(part) >= 2 and part in words:
                return True
    return False


class HulpvraagForm(forms.Form):
    """Step 4 of the manual: Titel from the list, optional Omschrijving without names, and a
    Coördinator only the SWV sets."""

    type = forms.ChoiceField(
        label=_("Titel"),
        error_messages={
            "invalid_choice": _(
                "Deze titel wordt niet aangeboden voor scholen in de sector van deze school. "
                "Kies een titel uit de lijst."
            )
        },
    )
    omschrijving = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Een korte relevante toelichting mag, maar hoeft niet. Zet er geen naam in."),
    )
    coordinator = forms.ModelChoiceField(
        label=_("Coördinator"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, user: User, types: list[tuple[str, str]], namen: list[str], **kw):
        super().__init__(*args, **kw)
        self.namen = namen
        self.fields["type"].choices = [("", "---------"), *types]
        if user.rol == Rol.SWV_LOKET:
            self.fields["coordinator"].queryset = User.objects.filter(
                organisatie_id=user.organisatie_id, rol=Rol.SWV_LOKET, is_active=True
            ).order_by("last_name", "first_name")
        else:
            # "Bij 'Coördinator' vult u niets in": a school never sets it.
            del self.fields["coordinator"]

    def clean_omschrijving(self) -> str:
        tekst = self.cleaned_data["omschrijving"].strip()
        if tekst and bevat_naam(tekst, self.namen):
            raise forms.ValidationError(
                _("Zet in de omschrijving geen naam: die informatie is al bekend.")
            )
        return tekst


class NotitieForm(forms.Form):
    tekst = forms.CharField(
        label=_("Notitie"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ToegangForm(forms.Form):
    gebruiker = forms.ModelChoiceField(label=_("Deskundige"), queryset=User.objects.none())
    reden = forms.CharField(label=_("Reden"), max_length=200, required=False)
    geldig_tot = forms.DateField(
        label=_("Geldig tot en met"),
        required=False,
        widget=DATUM_WIDGET,
        help_text=_("Leeg: tot de toegang wordt ingetrokken."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebruiker"].queryset = User.objects.filter(
            organisatie_id=user.organisatie_id, rol=Rol.DESKUNDIGE, is_active=True
        ).order_by("last_name", "first_name")


class UitnodigingForm(forms.Form):
    """Invite an outsider (not an SWV or school user) to read this hulpvraag until a date."""

    prefix = "uitnodiging"

    voornaam = forms.CharField(label=_("Voornaam"), max_length=150)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("De uitnodiging en het account (gebruikersnaam) gaan naar dit adres."),
    )
    geldig_tot = forms.DateField(label=_("Geldig tot en met"), widget=DATUM_WIDGET)
    reden = forms.CharField(label=_("Reden"), max_length=200, required=False)
