"""Checks that processes can require of a transition (hulpvragen.guards registry)."""

from __future__ import annotations

from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from bijlagen.models import Documentsoort
from bijlagen.selectors import aanwezige_documentsoorten, verplichte_documentsoorten
from hulpvragen.guards import GuardContext, register_guard

# How the check names a missing kind; a kind without a sentence here gets the generic one.
ONTBREEKT = {
    Documentsoort.OPP: _("Het OPP ontbreekt."),
    Documentsoort.OUDERFORMULIER: _(
        "Het door de ouders ondertekende aanvraagformulier (toestemming ouders) ontbreekt."
    ),
    Documentsoort.ONDERZOEKSVERSLAG: _("Het onderzoeksverslag ontbreekt."),
    Documentsoort.EVALUATIE: _("De evaluatie ontbreekt."),
    Documentsoort.BEANTWOORDING_VRAGEN: _("De beantwoording van de vragen ontbreekt."),
}


@register_guard("bijlagen_aanwezig", label=_("Verplichte bijlagen toegevoegd"))
def bijlagen_aanwezig(ctx: GuardContext) -> list[str]:
    """The manual (step 7): add at least the form signed by the parents and the OPP before
    indienen. Which kinds a type requires is data (bijlagen.selectors.verplichte_documentsoorten);
    each missing kind is named. Withdrawn and quarantined bijlagen do not count. With no kind
    required, any bijlage will do."""
    hv = ctx.hulpvraag
    aanwezig = aanwezige_documentsoorten(hulpvraag=hv)
    verplicht = verplichte_documentsoorten(organisatie_id=hv.organisatie_id, type=hv.type)
    if not verplicht:
        if aanwezig:
            return []
        return [
            _gettext(
                "Er is nog geen bijlage toegevoegd. Voeg via de knop “Bijlagen” de stukken toe."
            )
        ]
    ontbrekend = []
    for soort in verplicht:
        if soort in aanwezig:
            continue
        zin = ONTBREEKT.get(soort)
        if zin is None:
            label = Documentsoort(soort).label if soort in Documentsoort.values else soort
            ontbrekend.append(_gettext("Een bijlage “%(soort)s” ontbreekt.") % {"soort": label})
        else:
            ontbrekend.append(str(zin))
    if ontbrekend:
        ontbrekend.append(
            _gettext(
                "Voeg de ontbrekende stukken toe via de knop “Bijlagen” en kies bij het toevoegen "
                "de juiste soort document."
            )
        )
    return ontbrekend
