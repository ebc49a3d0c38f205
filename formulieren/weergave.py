"""One renderer: (definition, answers) → a plain structure that both the HTML pages and the Word
export consume, so what the bevoegd gezag signs on screen is what the parents read on paper."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.forms import BoundField
from django.utils import timezone

from formulieren.definities import is_verplicht, vragen
from formulieren.models import Formulier, Ondertekening


@dataclass
class Optie:
    waarde: str
    label: str
    gekozen: bool


@dataclass
class VraagWeergave:
    sleutel: str
    label: str
    type: str
    help: str
    optioneel: bool  # the manual's "^": answer only if applicable
    vooringevuld: bool
    verplicht: bool
    tekst: str  # the answer as shown, "" when unanswered
    opties: list[Optie] = field(default_factory=list)
    veld: BoundField | None = None

    @property
    def beantwoord(self) -> bool:
        return bool(self.tekst)

    @property
    def in_export(self) -> bool:
        """Unanswered "^" questions are left out of the printed form."""
        return self.beantwoord or not self.optioneel


@dataclass
class SectieWeergave:
    titel: str
    intro: str
    vragen: list[VraagWeergave]


@dataclass
class OndertekeningWeergave:
    vereist: bool
    aangewezen: str  # the name chosen under "Ondertekening door"
    geldig: bool
    naam: str = ""
    functie: str = ""
    bestuur: str = ""
    datum: str = ""
    hash: str = ""
    vervallen: bool = False
    vervallen_reden: str = ""


@dataclass
class OudersWeergave:
    contact: list[tuple[str, str]]
    gezagssituatie: tuple[str, str] | None
    zienswijze: str


@dataclass
class Weergave:
    organisatie: str
    formulier: str
    versie: int
    leerling: str
    school: str
    secties: list[SectieWeergave]
    ondertekening: OndertekeningWeergave
    ouders: OudersWeergave
    checklist: list[Optie] | None
    opgeslagen_op: str

    def vraag(self, sleutel: str) -> VraagWeergave | None:
        for sectie in self.secties:
            for vraag in sectie.vragen:
                if vraag.sleutel == sleutel:
                    return vraag
        return None


def datum_nl(waarde: Any) -> str:
    """dd-mm-jjjj for a date or an ISO date text; anything else unchanged (a half-typed draft)."""
    if isinstance(waarde, dt.datetime):
        return timezone.localtime(waarde).strftime("%d-%m-%Y %H:%M")
    if isinstance(waarde, dt.date):
        return waarde.strftime("%d-%m-%Y")
    if isinstance(waarde, str):
        try:
            return dt.date.fromisoformat(waarde).strftime("%d-%m-%Y")
        except ValueError:
            return waarde
    return ""


def _tekst(vraag: Mapping, waarde: Any, ondertekenaars: Mapping[str, str]) -> str:
    if waarde in (None, "", []):
        return ""
    type_ = vraag["type"]
    if type_ == "datum":
        return datum_nl(waarde)
    if type_ == "ja_nee":
        return {"ja": "Ja", "nee": "Nee"}.get(waarde, str(waarde))
    if type_ == "keuze":
        labels = dict((str(w), label) for w, label in vraag["opties"])
        gekozen = waarde if isinstance(waarde, list) else [waarde]
        return "; ".join(labels.get(str(w), str(w)) for w in gekozen)
    if type_ == "getal":
        return str(waarde).replace(".", ",")
    if type_ == "ondertekenaar":
        return ondertekenaars.get(str(waarde), "")
    return str(waarde)


def _opties(vraag: Mapping, waarde: Any) -> list[Optie]:
    if vraag["type"] != "keuze":
        return []
    gekozen = {str(w) for w in (waarde if isinstance(waarde, list) else [waarde])}
    return [Optie(str(w), label, str(w) in gekozen) for w, label in vraag["opties"]]


def formulier_weergave(
    *,
    formulier: Formulier,
    antwoorden: Mapping[str, Any],
    prefill: Mapping[str, Any],
    context: Mapping[str, Any],
    ondertekenaars: Mapping[str, str],
    ondertekening: Ondertekening | None,
    ondertekening_geldig: bool,
    form=None,
) -> Weergave:
    """`form` (a bound or unbound FormulierForm) adds an input to every typed question."""
    inhoud = formulier.definitie.inhoud
    secties: list[SectieWeergave] = []
    per_sectie: dict[int, SectieWeergave] = {}
    for sectie, vraag in vragen(inhoud):
        if id(sectie) not in per_sectie:
            per_sectie[id(sectie)] = SectieWeergave(sectie["titel"], sectie.get("intro", ""), [])
            secties.append(per_sectie[id(sectie)])
        bron = vraag.get("bron")
        waarde = prefill.get(bron) if bron else antwoorden.get(vraag["sleutel"])
        per_sectie[id(sectie)].vragen.append(
            VraagWeergave(
                sleutel=vraag["sleutel"],
                label=vraag["label"],
                type=vraag["type"],
                help=vraag.get("help", ""),
                optioneel=bool(vraag.get("optioneel")),
                vooringevuld=bool(bron),
                verplicht=is_verplicht(sectie, vraag, antwoorden, context),
                tekst=_tekst(vraag, waarde, ondertekenaars),
                opties=_opties(vraag, waarde),
                veld=form[vraag["sleutel"]] if form is not None and not bron else None,
            )
        )
    hulpvraag = formulier.hulpvraag
    weergave = Weergave(
        organisatie=formulier.organisatie.naam,
        formulier=formulier.definitie.naam,
        versie=formulier.definitie.versie,
        leerling=hulpvraag.leerling.naam,
        school=hulpvraag.schoolgegevens.school.naam,
        secties=secties,
        ondertekening=OndertekeningWeergave(
            vereist=formulier.definitie.ondertekening_vereist, aangewezen="", geldig=False
        ),
        ouders=OudersWeergave([], None, ""),
        checklist=None,
        opgeslagen_op=datum_nl(formulier.opgeslagen_op) if formulier.opgeslagen_op else "",
    )
    _ouders(weergave, inhoud)
    checklist = inhoud.get("checklist_bijlagen")
    if checklist and (checklist_vraag := weergave.vraag(checklist)):
        weergave.checklist = checklist_vraag.opties
    _ondertekening(weergave, ondertekening, ondertekening_geldig)
    return weergave


def _ouders(weergave: Weergave, inhoud: Mapping) -> None:
    ouders = inhoud.get("ouders", {})
    for sleutel in ouders.get("contact", []):
        vraag = weergave.vraag(sleutel)
        if vraag and vraag.in_export:
            weergave.ouders.contact.append((vraag.label, vraag.tekst))
    if ouders.get("gezagssituatie") and (vraag := weergave.vraag(ouders["gezagssituatie"])):
        weergave.ouders.gezagssituatie = (vraag.label, vraag.tekst)
    if ouders.get("zienswijze") and (vraag := weergave.vraag(ouders["zienswijze"])):
        weergave.ouders.zienswijze = vraag.tekst


def _ondertekening(weergave: Weergave, ondertekening: Ondertekening | None, geldig: bool) -> None:
    o = weergave.ondertekening
    aangewezen = next(
        (v for s in weergave.secties for v in s.vragen if v.type == "ondertekenaar"), None
    )
    o.aangewezen = aangewezen.tekst if aangewezen else ""
    o.geldig = geldig
    if ondertekening is None:
        return
    o.naam = ondertekening.naam
    o.functie = ondertekening.functie
    o.bestuur = ondertekening.bestuur
    o.datum = datum_nl(ondertekening.ondertekend_op)
    o.hash = ondertekening.hash
    o.vervallen = not geldig
    o.vervallen_reden = ondertekening.ongeldig_reden or (
        "" if geldig else "Het formulier of de dossiergegevens zijn na ondertekening gewijzigd."
    )
