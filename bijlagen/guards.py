"""Checks that processes can require of a transition (hulpvragen.guards registry)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from bijlagen.models import Documentsoort
from bijlagen.selectors import bijlagen_vereisten_for, documentsoorten_aanwezig_for
from hulpvragen.guards import GuardContext, register_guard

# How the check names a missing kind, in the manual's words ("Stap voor stap", step 7 of TLV VSO
# and FA: "het door ouders ondertekende aanvraagformulier en het OPP"); a kind without a sentence
# here gets the generic one.
ONTBREEKT = {
    Documentsoort.OPP: _("Het OPP ontbreekt."),
    Documentsoort.OUDERFORMULIER: _("Het door ouders ondertekende aanvraagformulier ontbreekt."),
    Documentsoort.ONDERZOEKSVERSLAG: _("Het onderzoeksverslag ontbreekt."),
    Documentsoort.EVALUATIE: _("De evaluatie ontbreekt."),
    Documentsoort.BEANTWOORDING_VRAGEN: _("De beantwoording van de vragen ontbreekt."),
}
# Where one type's manual names the kind differently (BAG, step 7).
ONTBREEKT_PER_TYPE = {
    ("BAG", Documentsoort.OPP): _(
        "Het recente, geëvalueerde OPP met instemming van ouders op het handelingsdeel ontbreekt "
        "(niet verplicht als alleen wordt getwijfeld over het onderwijsniveau: geef dat aan op "
        "het formulier)."
    ),
}


def ontbreekt_zin(*, type: str, soort: str, label: str | None = None) -> str:
    """The sentence naming one missing kind."""
    if label:
        return _gettext(
            "Aangevinkt op de checklist van het formulier, maar nog niet toegevoegd: %(label)s."
        ) % {"label": label}
    zin = ONTBREEKT_PER_TYPE.get((type, soort)) or ONTBREEKT.get(soort)
    if zin is None:
        naam = Documentsoort(soort).label if soort in Documentsoort.values else soort
        return _gettext("Een bijlage “%(soort)s” ontbreekt.") % {"soort": naam}
    return str(zin)


def _bijlagen_url(hulpvraag) -> str:
    return reverse("bijlagen:lijst", args=[hulpvraag.pk])


@register_guard(
    "bijlagen_aanwezig",
    label=_("Verplichte bijlagen toegevoegd"),
    actie=(_("Bijlagen toevoegen"), _bijlagen_url),
)
def bijlagen_aanwezig(ctx: GuardContext) -> list[str]:
    """The manual's "Stap voor stap": the documents to add before indienen. Which kinds a type
    requires is data (bijlagen.selectors.bijlagen_vereisten_for: the organisation's list with the
    manual's conditions on the form's answers); each missing kind is named. Withdrawn and
    quarantined bijlagen do not count. With no kind required any bijlage will do, unless the
    manual waives them all (a BAG that only reserves a date) or a condition made the only
    required kind optional (a BAG about the level only)."""
    hv = ctx.hulpvraag
    vereisten = bijlagen_vereisten_for(hulpvraag=hv)
    if vereisten.geen:
        return []
    aanwezig = documentsoorten_aanwezig_for(hulpvraag=hv)
    if not vereisten.soorten:
        if aanwezig or vereisten.vervallen:
            return []
        return [
            _gettext(
                "Er is nog geen bijlage toegevoegd. Voeg via de knop “Bijlagen” de stukken toe."
            )
        ]
    ontbrekend = [
        ontbreekt_zin(type=hv.type, soort=soort, label=vereisten.labels.get(soort))
        for soort in vereisten.soorten
        if soort not in aanwezig
    ]
    if ontbrekend:
        ontbrekend.append(
            _gettext(
                "Voeg de ontbrekende stukken toe via de knop “Bijlagen” en kies bij het toevoegen "
                "de juiste soort document."
            )
        )
    return ontbrekend
