"""Reading DUO's open-data files (onderwijsdata.duo.nl): the per-sector address files of the
vestigingen ("Adressen alle vestigingen", one row per school location), optionally the file of
the bevoegde gezagen (for the besturen's names) and a transitions file (for mergers).

DUO writes these as CSV with a header row; the address files use ';' between fields and have
been published in Windows-1252 as well as UTF-8, and the column names changed over the years
(BRIN NUMMER → INSTELLINGSCODE, VESTIGINGSNUMMER → VESTIGINGSCODE), so both are read. Which
column names are read is listed in docs/overstappen.md; a file without them is refused with the
missing names, in Dutch, before anything is compared.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Our name → the column names DUO used for it (normalised: upper case, single spaces).
VESTIGING_KOLOMMEN: dict[str, tuple[str, ...]] = {
    "brin": ("INSTELLINGSCODE", "BRIN NUMMER", "BRINNUMMER", "BRIN"),
    "vestiging": ("VESTIGINGSCODE", "VESTIGINGSNUMMER"),
    "naam": ("VESTIGINGSNAAM", "NAAM VESTIGING", "INSTELLINGSNAAM"),
    "plaats": ("PLAATSNAAM", "PLAATS"),
    "bestuur_nummer": ("BEVOEGD GEZAG NUMMER", "BEVOEGDGEZAGNUMMER", "BEVOEGD GEZAG"),
}
OPTIONELE_KOLOMMEN: dict[str, tuple[str, ...]] = {
    "straat": ("STRAATNAAM",),
    "huisnummer": ("HUISNUMMER-TOEVOEGING", "HUISNUMMER TOEVOEGING", "HUISNUMMER"),
    "postcode": ("POSTCODE",),
    "bestuur_naam": ("BEVOEGD GEZAG NAAM", "NAAM BEVOEGD GEZAG"),
}
# The SWV column: DUO names it after the sector ("SAMENWERKINGSVERBAND VO", in older files
# "SWV VO" or "SAMENWERKINGSVERBAND PASSEND ONDERWIJS VO"); its values are codes such as
# "VO 25.05", "VO2505" or "SWV VO 25-05".
SWV_KOLOM_BEGIN = ("SAMENWERKINGSVERBAND", "SWV")

BESTUUR_KOLOMMEN: dict[str, tuple[str, ...]] = {
    "nummer": ("BEVOEGD GEZAG NUMMER", "BEVOEGDGEZAGNUMMER"),
    "naam": ("BEVOEGD GEZAG NAAM", "NAAM BEVOEGD GEZAG", "BEVOEGDGEZAGNAAM", "NAAM"),
}
OVERGANG_KOLOMMEN: dict[str, tuple[str, ...]] = {
    "van": (
        "NR ADMINISTRATIE VAN",
        "VAN INSTELLINGSCODE VESTIGINGSCODE",
        "VESTIGINGSCODE VAN",
        "VAN",
    ),
    "naar": (
        "NR ADMINISTRATIE NAAR",
        "NAAR INSTELLINGSCODE VESTIGINGSCODE",
        "VESTIGINGSCODE NAAR",
        "NAAR",
    ),
}

BRIN_RE = re.compile(r"^[0-9]{2}[A-Z]{2}$")


def normaliseer_kolom(naam: str) -> str:
    return " ".join(naam.replace("_", " ").replace("\ufeff", "").strip().upper().split())


def normaliseer_swv_code(waarde: str) -> str:
    """'VO 25.05', 'SWV VO 25-05', 'vo2505' → 'VO2505' (the form of Organisatie.code)."""
    code = re.sub(r"[^0-9A-Z]", "", waarde.upper())
    return code.removeprefix("SWV")


def _tekst(inhoud: bytes) -> str:
    for codering in ("utf-8-sig", "cp1252"):
        try:
            return inhoud.decode(codering)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("Dit bestand is geen tekstbestand (CSV)."))


def _lezer(inhoud: bytes) -> tuple[list[str], Iterator[list[str]]]:
    tekst = _tekst(inhoud)
    eerste = tekst.split("\n", 1)[0]
    scheiding = ";" if eerste.count(";") >= eerste.count(",") else ","
    if "\t" in eerste and eerste.count("\t") > eerste.count(scheiding):
        scheiding = "\t"
    rijen = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)
    kop = next(rijen, None)
    if not kop:
        raise ValidationError(_("Het bestand is leeg."))
    return [normaliseer_kolom(k) for k in kop], rijen


def _zoek(kop: list[str], namen: dict[str, tuple[str, ...]]) -> tuple[dict[str, int], list[str]]:
    """Column index per our name, and the names (as DUO writes them) that are missing."""
    gevonden, ontbreekt = {}, []
    for onze, duo in namen.items():
        index = next((kop.index(n) for n in duo if n in kop), None)
        if index is None:
            ontbreekt.append(duo[0] if len(duo) == 1 else f"{duo[0]} (of {duo[1]})")
        else:
            gevonden[onze] = index
    return gevonden, ontbreekt


def _weiger(soort: str, ontbreekt: list[str]) -> ValidationError:
    return ValidationError(
        _(
            "Dit bestand heeft niet de indeling van %(soort)s van DUO. Deze kolommen ontbreken: "
            "%(kolommen)s."
        )
        % {"soort": soort, "kolommen": ", ".join(ontbreekt)}
    )


@dataclass
class Vestigingen:
    """The rows of one SWV from an address file."""

    scholen: list[dict] = field(default_factory=list)
    rijen_in_bestand: int = 0
    overgeslagen: list[str] = field(default_factory=list)
    swv_codes: set[str] = field(default_factory=set)


def _sector(swv_kolom: str, standaard: str) -> str:
    woorden = swv_kolom.split()
    if "PO" in woorden:
        return "PO"
    if "VO" in woorden:
        return "VO"
    return standaard


def lees_vestigingen(inhoud: bytes, *, swv_code: str, standaard_sector: str) -> Vestigingen:
    """The school locations of SWV `swv_code` in DUO's address file. Raises ValidationError with
    the missing columns when the file is not in that layout."""
    kop, rijen = _lezer(inhoud)
    kolommen, ontbreekt = _zoek(kop, VESTIGING_KOLOMMEN)
    swv_index = next(
        (i for i, k in enumerate(kop) if k.startswith(SWV_KOLOM_BEGIN) and "NAAM" not in k), None
    )
    if swv_index is None:
        ontbreekt.append("SAMENWERKINGSVERBAND VO (of SAMENWERKINGSVERBAND PO)")
    if ontbreekt:
        raise _weiger(_("een adressenbestand van vestigingen"), ontbreekt)
    optioneel, _niet = _zoek(kop, OPTIONELE_KOLOMMEN)
    sector = _sector(kop[swv_index], standaard_sector)
    gezocht = normaliseer_swv_code(swv_code)
    uit = Vestigingen()
    ib, iv, inm, ipl, ibn = (
        kolommen["brin"],
        kolommen["vestiging"],
        kolommen["naam"],
        kolommen["plaats"],
        kolommen["bestuur_nummer"],
    )
    breedte = max(max(kolommen.values()), swv_index, *optioneel.values(), 0) + 1
    for nummer, rij in enumerate(rijen, start=2):
        if not rij or not any(rij):
            continue
        uit.rijen_in_bestand += 1
        if len(rij) < breedte:
            rij = rij + [""] * (breedte - len(rij))
        code = normaliseer_swv_code(rij[swv_index])
        if code:
            uit.swv_codes.add(code)
        if code != gezocht:
            continue
        brin = rij[ib].strip().upper()
        vestiging = rij[iv].strip().upper()
        if len(vestiging) == 6:  # DUO's older form: BRIN + number, e.g. "00AA01"
            brin = brin or vestiging[:4]
            vestiging = vestiging[4:]
        vestiging = vestiging.zfill(2) if vestiging.isdigit() else vestiging
        if not BRIN_RE.match(brin) or not re.fullmatch(r"[0-9]{2}", vestiging):
            uit.overgeslagen.append(
                _("Regel %(n)d: code %(brin)s %(vestiging)s is geen BRIN met vestigingsnummer.")
                % {"n": nummer, "brin": brin, "vestiging": vestiging}
            )
            continue

        def waarde(naam: str, rij: list[str] = rij) -> str:
            return rij[optioneel[naam]].strip() if naam in optioneel else ""

        adres = " ".join(p for p in (waarde("straat"), waarde("huisnummer")) if p)
        uit.scholen.append(
            {
                "brin": brin,
                "vestiging": vestiging,
                "naam": " ".join(rij[inm].split())[:200],
                "plaats": rij[ipl].strip().title()[:100],
                "adres": ", ".join(p for p in (adres, waarde("postcode")) if p),
                "sector": sector,
                "bestuur_nummer": rij[ibn].strip(),
                "bestuur_naam": " ".join(waarde("bestuur_naam").split())[:200],
            }
        )
    return uit


def lees_besturen(inhoud: bytes) -> dict[str, str]:
    """{bevoegd-gezagnummer: naam} from DUO's file of the bevoegde gezagen."""
    kop, rijen = _lezer(inhoud)
    kolommen, ontbreekt = _zoek(kop, BESTUUR_KOLOMMEN)
    if ontbreekt:
        raise _weiger(_("het bestand met bevoegde gezagen"), ontbreekt)
    uit = {}
    for rij in rijen:
        if len(rij) > max(kolommen.values()) and rij[kolommen["nummer"]].strip():
            uit[rij[kolommen["nummer"]].strip()] = " ".join(rij[kolommen["naam"]].split())[:200]
    return uit


def _brin_vestiging(waarde: str) -> str | None:
    code = re.sub(r"[^0-9A-Z]", "", waarde.upper())
    if len(code) == 4:
        code += "00"
    return code if len(code) == 6 and BRIN_RE.match(code[:4]) and code[4:].isdigit() else None


def lees_overgangen(inhoud: bytes) -> list[list[str]]:
    """[[from, into], ...] as BRIN+vestiging codes ("00AA01"): a school that went into another
    (merger). Rows about anything else (a bestuur, an unknown code) are skipped."""
    kop, rijen = _lezer(inhoud)
    kolommen, ontbreekt = _zoek(kop, OVERGANG_KOLOMMEN)
    if ontbreekt:
        raise _weiger(_("het overgangenbestand"), ontbreekt)
    uit = []
    for rij in rijen:
        if len(rij) <= max(kolommen.values()):
            continue
        van, naar = _brin_vestiging(rij[kolommen["van"]]), _brin_vestiging(rij[kolommen["naar"]])
        if van and naar and van != naar:
            uit.append([van, naar])
    return uit
