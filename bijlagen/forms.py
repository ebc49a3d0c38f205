from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from bijlagen.checks import SOORTEN
from bijlagen.models import BijlageConcept, Documentsoort
from bijlagen.names import documentsoort_raden, extensie_van, naam_opschonen
from bijlagen.services import Afgewezen


class MeerdereBestandenInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadForm(forms.Form):
    """The non-file fields of the upload; the files themselves are checked one by one by
    bijlagen.services.bestanden_check, so each refusal names its own file."""

    bestanden = forms.FileField(
        label=_("Bestanden"),
        required=False,
        widget=MeerdereBestandenInput(
            attrs={"accept": ",".join(e for s in SOORTEN.values() for e in s.extensies)}
        ),
        help_text=_("U kunt meerdere bestanden tegelijk kiezen; elk bestand maximaal 10 MB."),
    )
    documentsoort = forms.ChoiceField(
        label=_("Soort document"),
        choices=Documentsoort.choices,
        required=False,
        help_text=_(
            "Geldt voor alle bestanden van deze keer; daarna kunt u de soort per bijlage wijzigen."
        ),
    )
    beantwoordt_vragen = forms.BooleanField(
        label=_("Deze bestanden zijn de beantwoording van de gestelde vragen"),
        required=False,
        help_text=_(
            "Ze krijgen dan de naam “beantwoordingvragen” met de datum van vandaag; u hoeft "
            "niets te hernoemen."
        ),
    )

    def __init__(self, *args, raden: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if raden:  # the file-name rule applies (bijlagen.forms.documentsoorten_bepalen)
            self.fields["documentsoort"].help_text = _(
                "Geldt voor de bestanden van deze keer. Laat u het voorstel staan, dan krijgt een "
                "bestand waarvan de naam de soort noemt (zoals “OPP” of “toestemming”) die soort. "
                "Daarna kunt u de soort per bijlage wijzigen."
            )


class DocumentsoortForm(forms.Form):
    documentsoort = forms.ChoiceField(label=_("Soort document"), choices=Documentsoort.choices)


SOORT_PER_BESTAND = "documentsoort_bestand"
VOORSTEL = "documentsoort_voorstel"


def concept_soort_veld(concept_pk: int) -> str:
    return f"documentsoort_bewaard_{concept_pk}"


def documentsoorten_bepalen(
    *,
    data: QueryDict,
    bestanden: list[UploadedFile],
    concepten: list[BijlageConcept],
    voorstel: str,
    raden: bool,
) -> tuple[list[str], list[Afgewezen]]:
    """The kind of each file of one upload action (in the order of `bestanden`) and the Dutch
    refusals of posted kinds that are no Documentsoort. Staged files (`concepten`) take their
    posted kind in place. Three sources, in this order:

    - a kind per file (`documentsoort_bestand`, one per file, posted by
      static/js/bijlagen-upload.js);
    - else the single "Soort document" select: when it still holds the proposal the form made
      (`documentsoort_voorstel`; the user did not change it) and `raden` is on, a file whose name
      names a kind (bijlagen.names.documentsoort_raden) gets that kind, any other the proposal;
      once the user chose another kind in the select, every file gets that kind;
    - nothing posted: the proposal, with the same name rule.

    A refused value never becomes a kind: the file falls back to the rule above, so it can be
    staged with the other good files and corrected."""
    fouten: list[Afgewezen] = []
    onbekend = _gettext("Onbekende soort document. Kies een soort uit de lijst.")
    geldig = set(Documentsoort.values)

    enkel = data.get("documentsoort") or voorstel
    if enkel not in geldig:
        fouten.append(Afgewezen(naam="", melding=onbekend))
        enkel = voorstel
    getoond = data.get(VOORSTEL) if data.get(VOORSTEL) in geldig else voorstel
    gokken = raden and enkel == getoond

    def regel(naam: str) -> str:
        return (documentsoort_raden(naam) if gokken else None) or enkel

    soorten = [regel(b.name or "") for b in bestanden]
    per_bestand = data.getlist(SOORT_PER_BESTAND)
    if per_bestand and len(per_bestand) != len(bestanden):
        fouten.append(
            Afgewezen(
                naam="",
                melding=_gettext(
                    "De soorten document horen niet bij de gekozen bestanden. Kies de bestanden "
                    "opnieuw en controleer de soort per bestand."
                ),
            )
        )
    elif per_bestand:
        for i, (bestand, waarde) in enumerate(zip(bestanden, per_bestand, strict=True)):
            if waarde in geldig:
                soorten[i] = waarde
            else:
                naam = naam_opschonen(bestand.name or "", extensie=extensie_van(bestand.name or ""))
                fouten.append(Afgewezen(naam=naam, melding=onbekend))

    for concept in concepten:
        waarde = data.get(concept_soort_veld(concept.pk))
        if waarde is None:
            concept.documentsoort = concept.documentsoort or enkel
        elif waarde in geldig:
            concept.documentsoort = waarde
        else:
            fouten.append(Afgewezen(naam=concept.originele_naam, melding=onbekend))
    return soorten, fouten
