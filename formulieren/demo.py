"""Realistic answers for demo data and test set-up: a plausible Dutch aanvraag, validated by the
same form the school uses (so demo data can never be something the page would refuse)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.models import User
from formulieren.definities import vragen
from formulieren.forms import FormulierForm
from formulieren.models import Formulier
from formulieren.selectors import formulier_context, ondertekenaars_for
from formulieren.services import formulier_save, formulier_sign
from hulpvragen.models import Hulpvraag

VOORBEELD: dict[str, Any] = {
    "gezagssituatie": "beide_ouders",
    "ouder1_naam": "M. (Marieke) de Boer",
    "ouder1_telefoon": "06-12345678",
    "ouder1_email": "m.deboer@example.nl",
    "ouder2_naam": "R. (Ruud) de Boer",
    "ouder2_telefoon": "06-87654321",
    "onderwijsbehoeften": (
        "Heeft behoefte aan een kleine, rustige groep met een vaste mentor, een voorspelbare "
        "dagstructuur en korte, visueel ondersteunde instructie. Heeft hulp nodig bij plannen "
        "en bij overgangsmomenten tussen lessen."
    ),
    "sterke_kanten": (
        "Praktisch ingesteld en creatief; werkt goed in een-op-eensituaties; gemotiveerd bij "
        "techniek en sport; heeft een goede band met de mentor."
    ),
    "belemmerende_factoren": (
        "Raakt in grote groepen snel overprikkeld, wat leidt tot conflicten en verzuim. "
        "Faalangst bij toetsen; leerachterstand bij begrijpend lezen."
    ),
    "geboden_ondersteuning": (
        "Sinds september: twee keer per week begeleiding door de ondersteuningscoördinator, "
        "een time-outplek, een aangepast rooster, inzet van schoolmaatschappelijk werk en "
        "overleg met het wijkteam. Evaluatie na tien weken: beperkte vooruitgang."
    ),
    "opp_evaluatiedatum": "2026-01-20",
    "ouders_ingestemd_handelingsdeel": "ja",
    "externe_betrokkenen": "Wijkteam Apeldoorn-Zuid; ambulante gezinsbegeleiding (jeugdhulp).",
    "bekostigingscategorie": "laag",
    "beoogde_school": "De Sprengen, Apeldoorn",
    "motivatie": (
        "Ondanks de extra ondersteuning van het afgelopen jaar komt de leerling in het "
        "regulier onderwijs niet tot leren. De onderwijsbehoeften (kleine groep, intensieve "
        "begeleiding gedurende de hele dag) overstijgen wat de school kan bieden."
    ),
    "arrangement": (
        "Vier uur per week individuele begeleiding door een ambulant begeleider, gericht op "
        "plannen, sociale vaardigheden en het omgaan met spanning."
    ),
    "doelen": "Na een half jaar volgt de leerling zelfstandig 80 % van de lessen.",
    "uren_per_week": "4",
    "gevraagd_bedrag": "6500",
    "startdatum": "2026-08-24",
    "einddatum": "2027-07-31",
    "evaluatiedatum": "2027-01-29",
    "doel_plaatsing": "Herstel van het schoolritme en de werkhouding, zodat terugkeer mogelijk is.",
    "verwachte_duur": "12",
    "terugkeer": "Terugkeer naar de eigen klas, begeleid door de mentor en de coördinator.",
    "ouders_geinformeerd": "ja",
    "zienswijze_ouders": (
        "Ouders herkennen het beeld en staan achter de aanvraag. Zij willen betrokken blijven "
        "bij de keuze van de school."
    ),
    "zienswijze_leerling": "Wil graag naar een school waar het rustiger is.",
    "alleen_reserveren": "nee",
    "vraagstelling": "Welk onderwijsniveau en welke ondersteuning passen na groep 8?",
    "twijfel_niveau": "nee",
}

# Where one form needs a different example: a schakelvoorziening is a placement of weeks.
VOORBEELD_PER_FORMULIER: dict[str, dict[str, Any]] = {
    "sv": {"einddatum": "2026-11-16"},
}

_PER_TYPE: dict[str, Any] = {
    "tekst": "-",
    "lange_tekst": "Zie het OPP in de bijlagen.",
    "datum": "2026-03-15",
    "ja_nee": "nee",
    "getal": "0",
}


def formulier_demo_antwoorden(*, formulier: Formulier, ondertekenaar_id: int | None) -> dict:
    """Validated answers for every typed question (raises ValueError when invalid)."""
    data: dict[str, Any] = {}
    voorbeeld = {
        **VOORBEELD,
        # a preferred meeting date may not have passed: four weeks from today
        "voorkeursdatum": (timezone.localdate() + dt.timedelta(weeks=4)).isoformat(),
        **VOORBEELD_PER_FORMULIER.get(formulier.definitie.sleutel, {}),
    }
    for _sectie, vraag in vragen(formulier.definitie.inhoud):
        if vraag.get("bron"):
            continue
        sleutel, type_ = vraag["sleutel"], vraag["type"]
        if type_ == "ondertekenaar":
            data[sleutel] = str(ondertekenaar_id or "")
        elif type_ == "keuze":
            waarden = [w for w, _label in vraag["opties"]]
            if vraag.get("meerdere"):
                data[sleutel] = waarden[:3]
            else:
                data[sleutel] = voorbeeld.get(sleutel, waarden[0])
        elif vraag.get("optioneel") and sleutel not in voorbeeld:
            continue
        else:
            data[sleutel] = voorbeeld.get(sleutel, _PER_TYPE[type_])
    hulpvraag = formulier.hulpvraag
    form = FormulierForm(
        data,
        inhoud=formulier.definitie.inhoud,
        context=formulier_context(hulpvraag=hulpvraag),
        ondertekenaars=ondertekenaars_for(hulpvraag=hulpvraag),
    )
    if not form.is_valid():
        raise ValueError(f"demo-antwoorden ongeldig: {form.errors.as_text()}")
    return form.antwoorden()


def _zonder_code(user: User, code: str) -> bool:
    # Demo and test set-up only: nobody types a code there. Every view signs through
    # formulier_sign's default check, django-otp's TOTP verification.
    return True


def formulier_invullen_en_ondertekenen(*, hulpvraag: Hulpvraag) -> list[Formulier]:
    """Demo and test set-up: fill every form of the hulpvraag with the example answers and, where
    the form needs it, have the first bevoegd-gezag user of the school's bestuur sign it."""
    ingevuld = []
    ondertekenaars = ondertekenaars_for(hulpvraag=hulpvraag)
    ondertekenaar_id = int(next(iter(ondertekenaars))) if ondertekenaars else None
    for formulier in hulpvraag.formulieren.select_related("definitie"):
        formulier.hulpvraag = hulpvraag
        formulier = formulier_save(
            formulier=formulier,
            user=hulpvraag.aangemaakt_door,
            antwoorden=formulier_demo_antwoorden(
                formulier=formulier, ondertekenaar_id=ondertekenaar_id
            ),
            revisie=formulier.revisie,
        )
        if formulier.definitie.ondertekening_vereist and ondertekenaar_id:
            formulier_sign(
                formulier=formulier,
                user=User.objects.get(pk=ondertekenaar_id),
                code="",
                verify_code=_zonder_code,
            )
        ingevuld.append(formulier)
    return ingevuld
