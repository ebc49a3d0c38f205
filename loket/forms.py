from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from hulpvragen.models import Label
from loket.models import LoketInstellingen, Uitkomst, VergaderingSoort


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


class VragenForm(forms.Form):
    """Incompleet or vragen gesteld: what the school must supply, and the questions."""

    naar = forms.TypedChoiceField(coerce=int, label=_("Status"), widget=forms.RadioSelect)
    toelichting = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Wat ontbreekt of wat wilt u weten? De school leest dit bij de status en in de e-mail "
            "staat alleen dat de status is gewijzigd."
        ),
    )
    vragen = forms.CharField(
        label=_("Vragen (wordt een Word-document bij de bijlagen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Laat een lege regel tussen de vragen; elke vraag krijgt een nummer."),
    )
    document = forms.FileField(label=_("Of voeg een eigen vragendocument toe"), required=False)
    gezien_status = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, keuzes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["naar"].choices = [(s.pk, s.naam) for s in keuzes]


class VergaderingForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Soort"),
        choices=[
            (VergaderingSoort.BAG, VergaderingSoort.BAG.label),
            (VergaderingSoort.PRO, VergaderingSoort.PRO.label),
        ],
    )
    datum = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    tijd = forms.TimeField(label=_("Tijd"), widget=forms.TimeInput(attrs={"type": "time"}))
    plaats = forms.CharField(label=_("Plaats"), max_length=200)
    deelnemers = forms.CharField(
        label=_("Deelnemers"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InternOverlegForm(VergaderingForm):
    """A school's own overlegronde: no soort to choose."""

    soort = None


class VerplaatsenForm(VergaderingForm):
    """Another date, time or place for a planned meeting."""

    soort = None
    deelnemers = None


# The words the loket reads wherever a BAG only reserves a date (manual, BAG step 4).
RESERVERING_LABEL = _("Alleen datum gereserveerd")


class AgendaForm(forms.Form):
    hulpvraag = forms.TypedChoiceField(coerce=int, label=_("Hulpvraag"))

    def __init__(self, *args, kandidaten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hulpvraag"].choices = [
            (
                h.pk,
                f"{h.get_type_display()} {h.pk} — {h.leerling.naam} "
                f"({h.schoolgegevens.school.naam}, {h.status.naam}"
                + (f"; {RESERVERING_LABEL}" if h.alleen_datum_gereserveerd else "")
                + ")",
            )
            for h in kandidaten
        ]


class BagAdviesForm(forms.Form):
    toelichting = forms.CharField(
        label=_("Toelichting voor de school"), widget=forms.Textarea(attrs={"rows": 3})
    )
    advies = forms.FileField(label=_("Advies (bestand)"))


class ProUitkomstForm(forms.Form):
    uitkomst = forms.ChoiceField(
        label=_("Uitkomst"),
        widget=forms.RadioSelect,
        choices=[
            (Uitkomst.AKKOORD, _("akkoord: PrO afgegeven")),
            (Uitkomst.AFWIJZING, _("afwijzing (met toelichting)")),
            (Uitkomst.AANGEHOUDEN, _("aangehouden: vragen aan de school (met toelichting)")),
        ],
    )
    toelichting = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Akkoord: the TLV PrO's period (einddatum empty: 31 July, at least one school year on).
    ingangsdatum = forms.DateField(label=_("Ingangsdatum TLV PrO"), required=False)
    einddatum = forms.DateField(label=_("Einddatum TLV PrO"), required=False)


class AanpakForm(forms.Form):
    beschikking = forms.CharField(
        label=_("Beschikking (arrangement)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    aanpak = forms.CharField(
        label=_("Afgesproken aanpak"), widget=forms.Textarea(attrs={"rows": 6})
    )


class GenodigdeForm(forms.Form):
    """Invite an outsider to a school's internal overlegronde (Toegang service)."""

    email = forms.EmailField(label=_("E-mailadres"))
    voornaam = forms.CharField(label=_("Voornaam"), max_length=150)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=150)
    geldig_tot = forms.DateField(
        label=_("Leestoegang tot en met"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
