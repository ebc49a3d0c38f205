"""Read the pupils of an EDEXML 2.x export (Edustandaard; ParnasSys, Esis, Magister, Somtoday)
for "Importeren uit de leerlingadministratie".

Parsed in memory with the standard library's expat, refusing any DOCTYPE, entity declaration or
external entity: EDEXML uses none, and that shuts out entity expansion ("billion laughs") and
external fetches without a new dependency. The file itself is never stored; only the few fields
the wizard prefills are read (`Leerling`), and the caller keeps no more than the chosen one."""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from django.utils.translation import gettext as _

from dossiers.validators import elfproef

MAX_GROOTTE = 5 * 1024 * 1024
VERSIES = ("2.0", "2.1")

# EDEXGeslachtType (EDEXML.types.vast.xsd), NEN-ISO 5218: 0 onbekend, 1 jongen, 2 meisje,
# 9 niet gespecificeerd → Kindkans' Geslacht (M / V / O "Onbekend / anders").
GESLACHT = {"0": "O", "1": "M", "2": "V", "9": "O"}


class EdexmlFout(Exception):
    """A Dutch message for the user: the file cannot be imported."""


@dataclass(frozen=True)
class Leerling:
    key: str
    achternaam: str
    voorvoegsel: str
    voornamen: str
    roepnaam: str
    geboortedatum: str  # ISO yyyy-mm-dd or ""
    geslacht: str  # EDEXML code as in the file
    jaargroep: str
    bsn: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Bestand:
    brincode: str
    dependancecode: str
    versie: str
    leerlingen: list[Leerling]


def _weiger(*_args):
    raise EdexmlFout(_("Dit bestand bevat een DOCTYPE of entiteiten; die staat EDEXML niet toe."))


def _parse(data: bytes) -> Element:
    builder = TreeBuilder()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _weiger
    parser.EntityDeclHandler = _weiger
    parser.UnparsedEntityDeclHandler = _weiger
    parser.ExternalEntityRefHandler = _weiger
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise EdexmlFout(_("Dit is geen EDEXML-bestand: het is geen geldige XML.")) from exc
    return builder.close()


def _tekst(el: Element | None, naam: str, max_len: int = 200) -> str:
    if el is None:
        return ""
    kind = el.find(naam)
    return " ".join((kind.text or "").split())[:max_len] if kind is not None else ""


def _datum(waarde: str) -> str:
    try:
        return datetime.date.fromisoformat(waarde).isoformat()
    except ValueError:
        return ""


def lees(bestand) -> Bestand:
    """Parse an uploaded file (anything with .size and .read()). Raises EdexmlFout."""
    if bestand.size > MAX_GROOTTE:
        raise EdexmlFout(_("Het bestand is groter dan 5 MB."))
    data = bestand.read(MAX_GROOTTE + 1)
    if len(data) > MAX_GROOTTE:
        raise EdexmlFout(_("Het bestand is groter dan 5 MB."))
    wortel = _parse(data)
    school = wortel.find("school")
    if wortel.tag != "EDEX" or school is None:
        raise EdexmlFout(_("Dit is geen EDEXML-bestand."))
    versie = _tekst(school, "xsdversie", 10)
    if versie not in VERSIES:
        raise EdexmlFout(
            _("Dit EDEXML-bestand heeft versie %(versie)s; Kindkans leest versie 2.0 en 2.1.")
            % {"versie": versie or "?"}
        )
    leerlingen = []
    for el in wortel.findall("leerlingen/leerling"):
        bsn = _tekst(el, "bsn", 9)
        leerlingen.append(
            Leerling(
                key=(el.get("key") or "")[:40],
                achternaam=_tekst(el, "achternaam"),
                voorvoegsel=_tekst(el, "voorvoegsel", 20),
                voornamen=_tekst(el, "voornamen"),
                roepnaam=_tekst(el, "roepnaam"),
                geboortedatum=_datum(_tekst(el, "geboortedatum", 10)),
                geslacht=_tekst(el, "geslacht", 1),
                jaargroep=_tekst(el, "jaargroep", 2),
                bsn=bsn if re.fullmatch(r"[0-9]{9}", bsn) else "",
            )
        )
    if not leerlingen:
        raise EdexmlFout(_("Dit EDEXML-bestand bevat geen leerlingen."))
    brin = _tekst(school, "brincode", 4).upper()
    dependance = _tekst(school, "dependancecode", 2)
    return Bestand(brincode=brin, dependancecode=dependance, versie=versie, leerlingen=leerlingen)


def bsn_geldig(bsn: str) -> bool:
    return bool(bsn) and elfproef(bsn, bsn=True)


def groep(jaargroep: str) -> int | None:
    """EDEXJaargroepType: 1–8 are basisschool groups; the rest (B, D, P, S, H, 0, …) no groep."""
    return int(jaargroep) if jaargroep in {str(n) for n in range(1, 9)} else None
