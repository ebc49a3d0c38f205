"""A Django form built from a definition: one field per question that the school types.

Prefilled questions get no field (they come from the dossier and are never typed twice).
Conditional requirements and "date after date" checks live in clean(), so the messages appear at
the question they concern.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from formulieren.definities import is_verplicht, vragen

JA_NEE = [("ja", _("Ja")), ("nee", _("Nee"))]
DATUM_FORMATEN = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"]


def _veld(vraag: Mapping, ondertekenaars: Mapping[str, str]) -> forms.Field:
    type_ = vraag["type"]
    common: dict[str, Any] = {"label": vraag["label"], "required": False}
    if type_ == "tekst":
        return forms.CharField(max_length=vraag.get("max_lengte", 200), **common)
    if type_ == "lange_tekst":
        return forms.CharField(
            max_length=vraag.get("max_lengte", 5000),
            widget=forms.Textarea(attrs={"rows": 5}),
            **common,
        )
    if type_ == "datum":
        return forms.DateField(
            input_formats=DATUM_FORMATEN,
            widget=forms.DateInput(
                format="%d-%m-%Y", attrs={"placeholder": "dd-mm-jjjj", "autocomplete": "off"}
            ),
            error_messages={"invalid": _("Vul een geldige datum in als dd-mm-jjjj.")},
            **common,
        )
    if type_ == "keuze" and vraag.get("meerdere"):
        return forms.MultipleChoiceField(
            choices=[tuple(o) for o in vraag["opties"]],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if type_ == "keuze":
        return forms.ChoiceField(
            choices=[tuple(o) for o in vraag["opties"]], widget=forms.RadioSelect, **common
        )
    if type_ == "ja_nee":
        return forms.ChoiceField(choices=JA_NEE, widget=forms.RadioSelect, **common)
    if type_ == "getal":
        limits = {"min_value": vraag.get("min"), "max_value": vraag.get("max")}
        if vraag.get("decimalen"):
            return forms.DecimalField(
                decimal_places=vraag["decimalen"],
                localize=True,
                error_messages={"invalid": _("Vul een getal in, bijvoorbeeld 2,5.")},
                **limits,
                **common,
            )
        return forms.IntegerField(
            error_messages={"invalid": _("Vul een heel getal in.")}, **limits, **common
        )
    if type_ == "ondertekenaar":
        return forms.ChoiceField(
            choices=[("", _("Kies een bestuurder")), *ondertekenaars.items()],
            error_messages={
                "invalid_choice": _(
                    "Kies een bestuurder van het bevoegd gezag van de school; de gekozen "
                    "persoon kan niet (meer) ondertekenen."
                )
            },
            **common,
        )
    raise ValueError(f"onbekend vraagtype {type_}")


class FormulierForm(forms.Form):
    """`ondertekenaars` maps user id (as text) to the name shown; `context` holds facts outside
    the form that conditions test (the computed PrO advice)."""

    def __init__(
        self,
        *args,
        inhoud: Mapping,
        context: Mapping[str, Any],
        ondertekenaars: Mapping[str, str],
        opgeslagen: Mapping[str, Any] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.inhoud = inhoud
        self.context = context
        self.opgeslagen = opgeslagen or {}
        self._vragen = [(s, v) for s, v in vragen(inhoud) if not v.get("bron")]
        for _sectie, vraag in self._vragen:
            veld = _veld(vraag, ondertekenaars)
            sleutel = vraag["sleutel"]
            # The help text (when the definition has one) and the error message (full_clean,
            # only when there is one) are read with the input; a question without help or
            # error refers to no missing element.
            if vraag.get("help"):
                veld.widget.attrs["aria-describedby"] = f"help-{sleutel}"
            self.fields[sleutel] = veld

    def clean(self):
        data = super().clean()
        antwoorden = {k: _json(v) for k, v in data.items()}
        for sectie, vraag in self._vragen:
            sleutel = vraag["sleutel"]
            if sleutel in self.errors:
                continue
            leeg = data.get(sleutel) in (None, "", [])
            if leeg and is_verplicht(sectie, vraag, antwoorden, self.context):
                self.add_error(sleutel, _("Dit veld is verplicht."))
            elif (
                vraag.get("niet_in_verleden")
                and not leeg
                and data[sleutel] < timezone.localdate()
                and _json(data[sleutel]) != self.opgeslagen.get(sleutel)
            ):
                # A date saved earlier stays as it was; a newly typed one may not have passed.
                self.add_error(
                    sleutel,
                    _("Deze datum ligt in het verleden; kies vandaag of een latere datum."),
                )
            elif vraag.get("na") and not leeg:
                eerder = data.get(vraag["na"])
                if isinstance(eerder, dt.date) and data[sleutel] <= eerder:
                    label = self.fields[vraag["na"]].label
                    self.add_error(
                        sleutel,
                        _("Deze datum moet na “%(label)s” liggen.") % {"label": label},
                    )
        return data

    def full_clean(self):
        super().full_clean()
        for sleutel in self.errors:
            if sleutel in self.fields:
                attrs = self.fields[sleutel].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(
                    filter(None, [attrs.get("aria-describedby"), f"fout-{sleutel}"])
                )

    def antwoorden(self) -> dict[str, Any]:
        """The cleaned answers as JSON values; empty answers are left out."""
        return {k: _json(v) for k, v in self.cleaned_data.items() if v not in (None, "", [], ())}


def _json(waarde: Any) -> Any:
    if isinstance(waarde, dt.date):
        return waarde.isoformat()
    if isinstance(waarde, Decimal):
        return format(waarde.normalize(), "f")
    return waarde


def initial_uit(inhoud: Mapping, antwoorden: Mapping[str, Any]) -> dict[str, Any]:
    """Saved answers (or a draft) as a form's initial values: ISO dates become dates so the
    widget shows them as dd-mm-jjjj; a half-typed draft value stays exactly as it was typed."""
    initial: dict[str, Any] = {}
    for _sectie, vraag in vragen(inhoud):
        waarde = antwoorden.get(vraag["sleutel"])
        if waarde is None:
            continue
        if vraag["type"] == "datum" and isinstance(waarde, str):
            with contextlib.suppress(ValueError):
                waarde = dt.date.fromisoformat(waarde)
        initial[vraag["sleutel"]] = waarde
    return initial


def vraag_veld(vraag: Mapping) -> forms.Field:
    """The form field of one question, as Formulier bewerken has it (for another app's form
    over a few of the questions: the parents' correction proposal)."""
    return _veld(vraag, {})
