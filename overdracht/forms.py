from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BESTAND = 50 * 1024 * 1024  # DUO's largest address file is a few MB


class DuoUploadForm(forms.Form):
    swv_code = forms.CharField(
        label=_("Code van uw samenwerkingsverband"),
        max_length=20,
        help_text=_("Zoals DUO hem schrijft, bijvoorbeeld VO 25.05 of VO2505."),
    )
    vestigingen = forms.FileField(
        label=_("Adressenbestand van de vestigingen (CSV van DUO)"),
        help_text=_("Bijvoorbeeld “Adressen alle vestigingen” voortgezet onderwijs."),
    )
    besturen = forms.FileField(
        label=_("Adressen bevoegde gezagen (CSV van DUO, niet verplicht)"),
        required=False,
        help_text=_("Voor de namen van de besturen."),
    )
    overgangen = forms.FileField(
        label=_("Overgangen (CSV van DUO, niet verplicht)"),
        required=False,
        help_text=_("Om samengevoegde scholen te herkennen."),
    )

    def clean(self):
        for naam in ("vestigingen", "besturen", "overgangen"):
            bestand = self.cleaned_data.get(naam)
            if bestand is not None and bestand.size > MAX_BESTAND:
                self.add_error(naam, _("Dit bestand is groter dan 50 MB."))
        return self.cleaned_data


class UitnodigenForm(forms.Form):
    regels = forms.CharField(
        label=_("Regels: naam; e-mailadres; rol; school of scholen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "Eén persoon per regel. Rol: school, bevoegd gezag, loket, deskundige of beheerder. "
            "Scholen als BRIN met vestiging (12AB00) of de naam, meerdere gescheiden door |; "
            "voor het bevoegd gezag de naam of het nummer van het bestuur."
        ),
    )
    bestand = forms.FileField(label=_("Of een CSV-bestand met dezelfde kolommen"), required=False)

    def clean(self):
        bestand = self.cleaned_data.get("bestand")
        if bestand is not None:
            if bestand.size > 2 * 1024 * 1024:
                raise forms.ValidationError(_("Dit bestand is groter dan 2 MB."))
            inhoud = bestand.read()
            try:
                self.cleaned_data["regels"] = inhoud.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.cleaned_data["regels"] = inhoud.decode("cp1252", errors="replace")
        if not (self.cleaned_data.get("regels") or "").strip():
            raise forms.ValidationError(_("Typ de regels of kies een bestand."))
        return self.cleaned_data


class ExportForm(forms.Form):
    wachtzin = forms.CharField(
        label=_("Wachtzin"),
        min_length=12,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Minstens 12 tekens, bijvoorbeeld vier losse woorden. Bewaar hem goed: zonder de "
            "wachtzin kan niemand de export openen, ook wij niet."
        ),
    )
    wachtzin_nogmaals = forms.CharField(
        label=_("Wachtzin nogmaals"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("wachtzin") and data.get("wachtzin") != data.get("wachtzin_nogmaals"):
            self.add_error("wachtzin_nogmaals", _("De twee wachtzinnen zijn niet gelijk."))
        return data


class ImportForm(forms.Form):
    archief = forms.FileField(label=_("Export (7z-archief)"))
    wachtzin = forms.CharField(
        label=_("Wachtzin"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )
    code = forms.CharField(
        label=_("Code van de nieuwe organisatie"),
        max_length=16,
        required=False,
        help_text=_("Leeg: de code uit de export."),
    )
    naam = forms.CharField(
        label=_("Naam van de nieuwe organisatie"),
        max_length=200,
        required=False,
        help_text=_("Leeg: de naam uit de export."),
    )
