"""The shape of a form definition, its validation, and the rules every question follows.

A definition is plain JSON (one file per form in this folder, loaded for each organisation):

    {"sleutel", "naam", "hulpvraag_type", "versie", "ondertekening_vereist",
     "ouders": {"contact": [keys], "gezagssituatie": key, "zienswijze": key},
     "checklist_bijlagen": key (optional: printed as a checklist in the Word export),
     "secties": [{"titel", "intro"?, "vereist_als"?, "vragen": [question, ...]}]}

    question: {"sleutel", "label", "type", "help"?, "optioneel"? (the manual's "^"),
               "bron"? (prefilled from the dossier, read-only), "opties"? [[waarde, label]],
               "meerdere"?, "min"?, "max"?, "decimalen"?, "max_lengte"?, "na"? (a date question
               this date must come after), "niet_in_verleden"? (a date typed on or after
               today; a date saved earlier stays valid), "vereist_als"? (condition)}

    condition: {"vraag": key, "in": [values]} | {"context": name, "niet": value}

docs/formulieren.md describes the format for beheerders.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

DEFINITIES_DIR = Path(__file__).resolve().parent

VRAAGTYPEN = frozenset(
    {"tekst", "lange_tekst", "datum", "keuze", "ja_nee", "getal", "ondertekenaar"}
)
# Where prefilled answers come from; formulieren.prefill computes them.
BRONNEN = frozenset(
    {
        "leerling.naam",
        "leerling.voornamen",
        "leerling.geboortedatum",
        "leerling.geslacht",
        "leerling.bsn",
        "leerling.adres",
        "school.naam",
        "school.brin",
        "school.bestuur",
        "schoolgegevens.leerjaar",
        "schoolgegevens.contactpersoon",
        "schoolgegevens.email",
        "schoolgegevens.telefoon",
        "lvs.sociaal_emotioneel",
    }
)
# Facts outside the form that a condition may test (see formulieren.selectors).
CONTEXTEN = frozenset({"pro_advies"})
_VRAAG_VELDEN = frozenset(
    {
        "sleutel",
        "label",
        "type",
        "help",
        "optioneel",
        "bron",
        "opties",
        "meerdere",
        "min",
        "max",
        "decimalen",
        "max_lengte",
        "na",
        "niet_in_verleden",
        "vereist_als",
    }
)


def shipped_definities() -> list[dict[str, Any]]:
    """The definitions that ship with Kindkans, in a stable order."""
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(DEFINITIES_DIR.glob("*.json"))
    ]


def vragen(inhoud: Mapping[str, Any]) -> Iterator[tuple[dict, dict]]:
    """Every (section, question) pair in order."""
    for sectie in inhoud["secties"]:
        for vraag in sectie["vragen"]:
            yield sectie, vraag


def vraag_conditie(sectie: Mapping, vraag: Mapping) -> dict | None:
    """A question's own condition wins over its section's."""
    return vraag.get("vereist_als") or sectie.get("vereist_als")


def conditie_geldt(
    conditie: Mapping | None, antwoorden: Mapping[str, Any], context: Mapping[str, Any]
) -> bool:
    """Whether a condition holds. An unknown context value (e.g. no computed PrO advice yet)
    never makes a question required: the form cannot demand what nobody can know yet."""
    if conditie is None:
        return True
    if "vraag" in conditie:
        waarde = antwoorden.get(conditie["vraag"])
        return waarde in conditie["in"]
    waarde = context.get(conditie["context"])
    if waarde is None:
        return False
    return waarde != conditie["niet"]


def is_verplicht(
    sectie: Mapping, vraag: Mapping, antwoorden: Mapping[str, Any], context: Mapping[str, Any]
) -> bool:
    """Prefilled questions are never typed, so never required. A "^" question becomes required
    only through its own condition (e.g. a toelichting when "anders" is chosen)."""
    if vraag.get("bron"):
        return False
    conditie = vraag_conditie(sectie, vraag)
    if vraag.get("optioneel") and not vraag.get("vereist_als"):
        return False
    return conditie_geldt(conditie, antwoorden, context)


def definitie_fouten(inhoud: Any) -> list[str]:
    """Everything wrong with a definition, as sentences for the beheerder (empty: valid)."""
    fouten: list[str] = []
    if not isinstance(inhoud, dict):
        return ["De definitie moet een JSON-object zijn."]
    for veld in ("sleutel", "naam", "hulpvraag_type", "secties"):
        if not inhoud.get(veld):
            fouten.append(f"Het veld “{veld}” ontbreekt.")
    if fouten:
        return fouten
    sleutels: dict[str, dict] = {}
    for i, sectie in enumerate(inhoud["secties"], start=1):
        if not sectie.get("titel"):
            fouten.append(f"Sectie {i} heeft geen titel.")
        if not sectie.get("vragen"):
            fouten.append(f"Sectie {i} heeft geen vragen.")
        for vraag in sectie.get("vragen", []):
            fouten.extend(_vraag_fouten(vraag, sleutels))
            sleutels.setdefault(vraag.get("sleutel", ""), vraag)
    for sectie, vraag in vragen(inhoud):
        conditie = vraag_conditie(sectie, vraag)
        if conditie is not None:
            fouten.extend(_conditie_fouten(vraag.get("sleutel"), conditie, sleutels))
        if vraag.get("na") and sleutels.get(vraag["na"], {}).get("type") != "datum":
            fouten.append(f"Vraag “{vraag.get('sleutel')}”: “na” moet een datumvraag noemen.")
        if vraag.get("niet_in_verleden") and vraag.get("type") != "datum":
            fouten.append(
                f"Vraag “{vraag.get('sleutel')}”: “niet_in_verleden” hoort bij een datumvraag."
            )
    ouders = inhoud.get("ouders", {})
    for sleutel in [*ouders.get("contact", []), ouders.get("gezagssituatie")]:
        if sleutel and sleutel not in sleutels:
            fouten.append(f"Ouders: vraag “{sleutel}” bestaat niet.")
    if ouders.get("zienswijze") and ouders["zienswijze"] not in sleutels:
        fouten.append(f"Ouders: vraag “{ouders['zienswijze']}” bestaat niet.")
    checklist = inhoud.get("checklist_bijlagen")
    if checklist and not sleutels.get(checklist, {}).get("meerdere"):
        fouten.append("“checklist_bijlagen” moet een meerkeuzevraag noemen.")
    ondertekenaars = [v for v in sleutels.values() if v.get("type") == "ondertekenaar"]
    if inhoud.get("ondertekening_vereist") and len(ondertekenaars) != 1:
        fouten.append(
            "Een formulier met ondertekening heeft precies één vraag “Ondertekening door”."
        )
    return fouten


def _vraag_fouten(vraag: Mapping, sleutels: Mapping[str, dict]) -> list[str]:
    naam = vraag.get("sleutel") or "?"
    fouten = []
    if not vraag.get("sleutel") or not str(vraag["sleutel"]).replace("_", "").isalnum():
        fouten.append(f"Vraag “{naam}”: de sleutel mag alleen letters, cijfers en _ bevatten.")
    elif vraag["sleutel"] in sleutels:
        fouten.append(f"Vraag “{naam}” komt twee keer voor.")
    if not vraag.get("label"):
        fouten.append(f"Vraag “{naam}” heeft geen label.")
    if vraag.get("type") not in VRAAGTYPEN:
        fouten.append(f"Vraag “{naam}”: onbekend type “{vraag.get('type')}”.")
    if vraag.get("type") == "keuze" and not vraag.get("opties"):
        fouten.append(f"Vraag “{naam}”: een keuzevraag heeft opties nodig.")
    for optie in vraag.get("opties", []):
        if not (isinstance(optie, list) and len(optie) == 2):
            fouten.append(f"Vraag “{naam}”: elke optie is [waarde, label].")
    if vraag.get("bron") and vraag["bron"] not in BRONNEN:
        fouten.append(f"Vraag “{naam}”: onbekende bron “{vraag['bron']}”.")
    onbekend = set(vraag) - _VRAAG_VELDEN
    if onbekend:
        fouten.append(f"Vraag “{naam}”: onbekende velden {', '.join(sorted(onbekend))}.")
    return fouten


def _conditie_fouten(naam: str | None, conditie: Mapping, sleutels: Mapping) -> list[str]:
    if "vraag" in conditie:
        if conditie["vraag"] not in sleutels or not isinstance(conditie.get("in"), list):
            return [f"Vraag “{naam}”: de voorwaarde noemt een onbekende vraag of mist “in”."]
        return []
    if conditie.get("context") in CONTEXTEN and "niet" in conditie:
        return []
    return [f"Vraag “{naam}”: onbekende voorwaarde."]
