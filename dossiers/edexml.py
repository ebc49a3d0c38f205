"""Read the pupils of an EDEXML 2.x export (Edustandaard; ParnasSys, Esis, Magister, Somtoday)
for "Importeren uit de leerlingadministratie".

Parsed in memory with defusedxml (any DOCTYPE, entity declaration or external entity is refused:
EDEXML uses none, and that shuts out entity expansion ("billion laughs") and external fetches),
keeping each element's line number, then validated against the EDEXML 2.1 XML schema
(dossiers/edexml_xsd/2.1/, the standard's own files) with xmlschema. An invalid file is refused
as a whole with the first few problems (line, element, what is wrong) in Dutch; nothing of it is
offered. EDEXML 2.0 files are validated against the 2.1 schema: the 2.0 schema files are not
available to us, and 2.1 only added optional parts (the eckid attribute, the rol "TAL").
The file itself is never stored; only the few fields the wizard prefills are read (`Leerling`),
and the caller keeps no more than the chosen one."""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import xmlschema
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dossiers.validators import elfproef

MAX_GROOTTE = 5 * 1024 * 1024
VERSIES = ("2.0", "2.1")
SCHEMA = Path(__file__).with_name("edexml_xsd") / "2.1" / "EDEXML.structuur.xsd"
MAX_PROBLEMEN = 5  # named in the refusal; the count says how many more

# EDEXGeslachtType (EDEXML.types.vast.xsd), NEN-ISO 5218: 0 onbekend, 1 jongen, 2 meisje,
# 9 niet gespecificeerd → Kindkans' Geslacht (M / V / O "Onbekend / anders").
GESLACHT = {"0": "O", "1": "M", "2": "V", "9": "O"}


class EdexmlFout(Exception):
    """A Dutch message for the user: the file cannot be imported; `problemen` lists what the
    schema found (line, element, what is wrong)."""

    def __init__(self, message: str, problemen: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problemen = list(problemen)


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
    # The name of the pupil's groep in the file ("4B"); empty when it has none. For the
    # whole-class import's choice of a group.
    groep: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Bestand:
    brincode: str
    dependancecode: str
    versie: str
    leerlingen: list[Leerling]
    instellingsnummer: str = ""  # a Flemish school's number instead of a BRIN


class _Element(Element):
    """An element that remembers its line (xmlschema reports `sourceline` when it is there)."""


class _Bouwer:
    """Parser target: builds the tree and stamps each element with the line it starts on."""

    def __init__(self) -> None:
        self.builder = TreeBuilder(element_factory=_Element)
        self.parser: DefusedXMLParser | None = None

    def start(self, tag, attrs):
        element = self.builder.start(tag, attrs)
        element.sourceline = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag):
        return self.builder.end(tag)

    def data(self, data):
        self.builder.data(data)

    def close(self):
        return self.builder.close()


def _parse(data: bytes) -> Element:
    bouwer = _Bouwer()
    parser = DefusedXMLParser(target=bouwer, forbid_dtd=True, forbid_entities=True)
    bouwer.parser = parser
    try:
        parser.feed(data)
        return parser.close()
    except DefusedXmlException as exc:
        raise EdexmlFout(
            _("Dit bestand bevat een DOCTYPE of entiteiten; die staat EDEXML niet toe.")
        ) from exc
    except (ParseError, ValueError) as exc:
        raise EdexmlFout(_("Dit is geen EDEXML-bestand: het is geen geldige XML.")) from exc


XS = "{http://www.w3.org/2001/XMLSchema}"
_PAD = re.compile(r"^[A-Za-z_*][\w*./-]*$")
_VELD = re.compile(r"^@[A-Za-z_][\w.-]*$")


@dataclass(frozen=True)
class Identiteit:
    """An xs:unique / xs:key / xs:keyref of the EDEX element, checked by `_identiteiten`."""

    soort: str  # "unique", "key" or "keyref"
    naam: str
    selector: str  # a relative path, e.g. "leerlingen/leerling" or "groepen/*"
    veld: str  # an attribute, e.g. "key"
    verwijst_naar: str = ""


@cache
def _schema_en_identiteiten() -> tuple[xmlschema.XMLSchema, tuple[Identiteit, ...]]:
    """The EDEXML 2.1 schema, built once per process (about half a second). Its identity
    constraints (unique keys, key references) are taken out and checked here with plain
    ElementTree paths: xmlschema evaluates each through a schema-aware XPath context, which made
    a 1,000-pupil file take seconds; EDEXML's constraints are all of the simple form
    path/attribute. A constraint of another form stays in the schema."""
    from xml.etree import ElementTree

    from defusedxml.ElementTree import parse as veilig_parse

    boom = veilig_parse(SCHEMA)
    identiteiten = []
    for element in boom.getroot().iter(f"{XS}element"):
        for soort in ("unique", "key", "keyref"):
            for regel in element.findall(f"{XS}{soort}"):
                selector = regel.find(f"{XS}selector").get("xpath", "")
                velden = [v.get("xpath", "") for v in regel.findall(f"{XS}field")]
                if (
                    element.get("name") == "EDEX"
                    and _PAD.match(selector)
                    and len(velden) == 1
                    and _VELD.match(velden[0])
                ):
                    identiteiten.append(
                        Identiteit(
                            soort,
                            regel.get("name"),
                            selector,
                            velden[0][1:],
                            regel.get("refer", ""),
                        )
                    )
                    element.remove(regel)
    bron = ElementTree.tostring(boom.getroot(), encoding="unicode")
    return xmlschema.XMLSchema(bron, base_url=str(SCHEMA.parent)), tuple(identiteiten)


def schema() -> xmlschema.XMLSchema:
    return _schema_en_identiteiten()[0]


def _waar(element) -> str:
    regel = getattr(element, "sourceline", None)
    if regel:
        return _("regel %(regel)s, element %(element)s") % {
            "regel": regel,
            "element": _label(element),
        }
    return _("element %(element)s") % {"element": _label(element)}


def _identiteiten(wortel: Element):
    """Yield a Dutch problem per violated unique / key / keyref of the EDEX element."""
    _schema, identiteiten = _schema_en_identiteiten()
    sleutels: dict[str, set[str]] = {}
    for regel in identiteiten:
        if regel.soort == "keyref":
            continue
        gezien: set[str] = set()
        for element in wortel.findall(regel.selector):
            waarde = element.get(regel.veld)
            if waarde is None:
                if regel.soort == "key":
                    yield _("%(waar)s: het attribuut %(veld)s ontbreekt") % {
                        "waar": _waar(element),
                        "veld": regel.veld,
                    }
                continue
            if waarde in gezien:
                yield _("%(waar)s: %(veld)s=“%(waarde)s” komt dubbel voor") % {
                    "waar": _waar(element),
                    "veld": regel.veld,
                    "waarde": waarde[:60],
                }
            gezien.add(waarde)
        sleutels[regel.naam] = gezien
    for regel in identiteiten:
        if regel.soort != "keyref":
            continue
        bestaand = sleutels.get(regel.verwijst_naar, set())
        for element in wortel.findall(regel.selector):
            waarde = element.get(regel.veld)
            if waarde is not None and waarde not in bestaand:
                yield _("%(waar)s: verwijst naar %(veld)s=“%(waarde)s”, die niet bestaat") % {
                    "waar": _waar(element),
                    "veld": regel.veld,
                    "waarde": waarde[:60],
                }


# Built-in XSD types (local names) by what a user understands.
_TYPEN = {
    "date": gettext_lazy("een datum (jjjj-mm-dd)"),
    "dateTime": gettext_lazy("een datum met tijd (jjjj-mm-ddTuu:mm:ss)"),
    "integer": gettext_lazy("een geheel getal"),
    "positiveInteger": gettext_lazy("een positief geheel getal"),
    "boolean": gettext_lazy("true of false"),
}


def _label(element) -> str:
    tag = getattr(element, "tag", None)
    return f"<{tag}>" if tag else _("(onbekend element)")


def _probleem(fout: xmlschema.XMLSchemaValidationError) -> str:
    """One schema error as a Dutch line: where (line, element) and what is wrong."""
    waar = _waar(fout.elem)
    if isinstance(fout, xmlschema.XMLSchemaChildrenValidationError):
        verwacht = [
            f"<{getattr(e, 'local_name', None) or getattr(e, 'name', e)}>"
            for e in (fout.expected or [])
            if getattr(e, "name", None) or isinstance(e, str)
        ]
        if fout.invalid_child is not None:
            wat = _("onverwacht element %(element)s") % {"element": _label(fout.invalid_child)}
            if verwacht:
                wat += "; " + _("verwacht: %(lijst)s") % {"lijst": _(" of ").join(verwacht)}
        elif verwacht:
            wat = _("het element %(lijst)s ontbreekt") % {"lijst": _(" of ").join(verwacht)}
        else:
            wat = _("de inhoud is niet compleet")
    elif (
        isinstance(fout, xmlschema.XMLSchemaDecodeError)
        or fout.obj is not None
        and not hasattr(fout.obj, "tag")
    ):
        waarde = str(fout.obj)[:60]
        type_naam = getattr(fout.validator, "local_name", None) or ""
        verwacht = str(_TYPEN.get(type_naam) or type_naam)
        if verwacht.startswith("EDEX"):
            verwacht = _("een waarde van %(type)s uit de EDEXML-standaard") % {"type": verwacht}
        wat = _("de waarde “%(waarde)s” is ongeldig") % {"waarde": waarde}
        if verwacht:
            wat += "; " + _("verwacht: %(type)s") % {"type": verwacht}
        reden = fout.reason or ""
        if "must be one of" in reden:
            wat = _("de waarde “%(waarde)s” is niet toegestaan") % {"waarde": waarde}
    else:
        reden = (fout.reason or "").strip()
        if "duplicat" in reden:
            wat = _("een sleutel (key) komt dubbel voor")
        elif "not in" in reden and "key" in reden.lower():
            wat = _("verwijst naar een sleutel (key) die niet bestaat")
        else:
            wat = _("voldoet niet aan het schema (%(reden)s)") % {"reden": reden[:120]}
    return f"{waar}: {wat}"


def valideer(wortel: Element) -> None:
    """Raise EdexmlFout naming the first problems when the tree is not valid EDEXML 2.1."""
    if wortel.tag != "EDEX":
        raise EdexmlFout(
            _(
                "Dit is geen EDEXML-bestand: het hoofdelement is %(element)s (regel %(regel)s), "
                "verwacht <EDEX>."
            )
            % {"element": _label(wortel), "regel": getattr(wortel, "sourceline", 1)}
        )
    problemen = []
    meer = 0
    alle = itertools.chain(
        (_probleem(fout) for fout in schema().iter_errors(wortel)), _identiteiten(wortel)
    )
    for probleem in alle:
        if len(problemen) < MAX_PROBLEMEN:
            problemen.append(probleem)
        else:
            meer += 1
    if problemen:
        zin = _(
            "Dit bestand voldoet niet aan de EDEXML-standaard (versie 2.1); er is niets "
            "ingelezen. Laat de leerlingadministratie een nieuwe export maken of neem contact op "
            "met de leverancier. Gevonden:"
        )
        if meer:
            problemen.append(
                ngettext("… en nog %(n)s probleem.", "… en nog %(n)s problemen.", meer)
                % {"n": meer}
            )
        raise EdexmlFout(zin, problemen)


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
    if wortel.tag == "EDEX" and school is not None:
        versie = _tekst(school, "xsdversie", 10)
        if versie and versie not in VERSIES:
            raise EdexmlFout(
                _("Dit EDEXML-bestand heeft versie %(versie)s; Kindkans leest versie 2.0 en 2.1.")
                % {"versie": versie}
            )
    valideer(wortel)
    versie = _tekst(school, "xsdversie", 10)
    groepnamen = {g.get("key"): _tekst(g, "naam", 40) for g in wortel.findall("groepen/groep")}
    leerlingen = []
    for el in wortel.findall("leerlingen/leerling"):
        bsn = _tekst(el, "bsn", 9)
        groep_el = el.find("groep")
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
                groep=groepnamen.get(groep_el.get("key"), "") if groep_el is not None else "",
            )
        )
    if not leerlingen:
        raise EdexmlFout(_("Dit EDEXML-bestand bevat geen leerlingen."))
    brin = _tekst(school, "brincode", 4).upper()
    dependance = _tekst(school, "dependancecode", 2)
    return Bestand(
        brincode=brin,
        dependancecode=dependance,
        versie=versie,
        leerlingen=leerlingen,
        instellingsnummer=_tekst(school, "instellingsnummer", 20),
    )


def bsn_geldig(bsn: str) -> bool:
    return bool(bsn) and elfproef(bsn, bsn=True)


def groep(jaargroep: str) -> int | None:
    """EDEXJaargroepType: 1–8 are basisschool groups; the rest (B, D, P, S, H, 0, …) no groep."""
    return int(jaargroep) if jaargroep in {str(n) for n in range(1, 9)} else None
