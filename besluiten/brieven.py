"""Decision letters: the organisation's template text (or the default shipped in
besluiten/sjablonen/), its placeholders filled in, written as .docx with python-docx.

Placeholders are `{{ naam }}` from a fixed list per letter; the text is never evaluated as a
template language (a beheerder edits it), so nothing else in it has a meaning. The bezwaar clause
of a TLV letter is not part of the editable text: the law requires it, so the code always adds it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.shared import Pt

from besluiten.models import Briefsjabloon, BriefSoort

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SJABLONEN_DIR = Path(__file__).resolve().parent / "sjablonen"
PLAATSHOUDER = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")
BEZWAARTERMIJN = timedelta(weeks=6)

ALGEMEEN: dict[str, StrOrPromise] = {
    "organisatie": _("naam van het samenwerkingsverband"),
    "datum": _("datum van het besluit"),
    "kenmerk": _("kenmerk (organisatiecode en hulpvraagnummer)"),
    "leerling_naam": _("naam van de leerling"),
    "geboortedatum": _("geboortedatum van de leerling"),
    "school": _("naam van de school"),
    "aanvraagdatum": _("datum van de hulpvraag"),
    "ondertekenaar": _("naam van wie het besluit vastlegt"),
}
PLAATSHOUDERS: dict[str, dict[str, StrOrPromise]] = {
    BriefSoort.TLV_VSO: {
        **ALGEMEEN,
        "bekostigingscategorie": _("bekostigingscategorie (laag, midden, hoog)"),
        "ingangsdatum": _("ingangsdatum van de TLV"),
        "einddatum": _("einddatum van de TLV"),
    },
    BriefSoort.TLV_PRO: {
        **ALGEMEEN,
        "ingangsdatum": _("ingangsdatum van de TLV"),
        "einddatum": _("einddatum van de TLV"),
    },
    BriefSoort.AFWIJZING_TLV: {**ALGEMEEN, "motivering": _("motivering van de afwijzing")},
    BriefSoort.AFWIJZING_FA: {**ALGEMEEN, "motivering": _("motivering van de afwijzing")},
    BriefSoort.FA: {
        **ALGEMEEN,
        "bedrag": _("bedrag van het arrangement"),
        "ingangsdatum": _("begin van de periode"),
        "einddatum": _("einde van de periode"),
        "evaluatiedatum": _("uiterste datum van de evaluatie"),
    },
}
TITELS: dict[str, str] = {
    BriefSoort.TLV_VSO: "Toekenningsbrief TLV VSO",
    BriefSoort.TLV_PRO: "Toekenningsbrief TLV PrO",
    BriefSoort.AFWIJZING_TLV: "Afwijzingsbrief TLV",
    BriefSoort.FA: "Toewijzingsbrief Financieel Arrangement",
    BriefSoort.AFWIJZING_FA: "Afwijzingsbrief Financieel Arrangement",
}
BESTANDSNAMEN: dict[str, str] = {
    BriefSoort.TLV_VSO: "toekenningsbrief-tlv-vso",
    BriefSoort.TLV_PRO: "toekenningsbrief-tlv-pro",
    BriefSoort.AFWIJZING_TLV: "afwijzingsbrief-tlv",
    BriefSoort.FA: "toewijzingsbrief-fa",
    BriefSoort.AFWIJZING_FA: "afwijzingsbrief-fa",
}
# Letters that are a TLV decision carry the bezwaar clause (DESIGN.md §6).
MET_BEZWAAR = frozenset({BriefSoort.TLV_VSO, BriefSoort.TLV_PRO, BriefSoort.AFWIJZING_TLV})


def standaardtekst(soort: str) -> str:
    return (SJABLONEN_DIR / f"{soort}.txt").read_text(encoding="utf-8")


def sjabloon_tekst(*, organisatie_id: int, soort: str) -> str:
    eigen = (
        Briefsjabloon.objects.filter(organisatie_id=organisatie_id, soort=soort)
        .values_list("tekst", flat=True)
        .first()
    )
    return eigen if eigen is not None else standaardtekst(soort)


def sjabloon_problemen(*, tekst: str, soort: str) -> list[str]:
    """What is wrong with a template text: placeholders this letter does not know."""
    bekend = PLAATSHOUDERS[soort]
    onbekend = sorted({n for n in PLAATSHOUDER.findall(tekst) if n not in bekend})
    return [str(_("Onbekende plaatshouder {{ %(naam)s }}.")) % {"naam": naam} for naam in onbekend]


def invullen(tekst: str, waarden: dict[str, str]) -> str:
    return PLAATSHOUDER.sub(lambda m: waarden.get(m.group(1), m.group(0)), tekst)


def datum(d: date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else ""


def bedrag(b: Decimal) -> str:
    # Dutch notation: € 12.345,60
    geheel, _punt, centen = f"{b:,.2f}".partition(".")
    return f"€ {geheel.replace(',', '.')},{centen}"


def bezwaarclausule(*, organisatie: str, besluitdatum: date, kenmerk: str) -> list[str]:
    uiterlijk = datum(besluitdatum + BEZWAARTERMIJN)
    return [
        f"Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de datum van dit "
        f"besluit, dus uiterlijk {uiterlijk}, schriftelijk bezwaar maken bij {organisatie}. "
        f"Vermeld in uw bezwaarschrift uw naam en adres, de datum, het kenmerk van dit besluit "
        f"({kenmerk}) en waarom u het er niet mee eens bent, en onderteken het.",
        "Het samenwerkingsverband vraagt over uw bezwaar advies aan de Landelijke "
        "Bezwaaradviescommissie Toelaatbaarheidsverklaringen (LBT), binnen twee weken na "
        "ontvangst van uw bezwaarschrift, en beslist daarna op uw bezwaar.",
    ]


@dataclass
class Brief:
    soort: str
    organisatie: str
    kenmerk: str
    besluitdatum: date
    adres: list[str]
    tekst: str  # filled in
    ondertekenaar: str

    @property
    def titel(self) -> str:
        return TITELS[self.soort]

    @property
    def bestandsnaam(self) -> str:
        return f"{BESTANDSNAMEN[self.soort]}-{self.besluitdatum:%d%m%y}"


def brief_docx(brief: Brief) -> bytes:
    doc = Document()
    stijl = doc.styles["Normal"]
    stijl.font.name = "Liberation Sans"
    stijl.font.size = Pt(10.5)
    doc.core_properties.title = brief.titel
    doc.core_properties.author = brief.organisatie

    doc.add_paragraph(brief.organisatie).runs[0].bold = True
    adres = doc.add_paragraph()
    for i, regel in enumerate(brief.adres):
        run = adres.add_run(regel)
        if i < len(brief.adres) - 1:
            run.add_break()
    meta = doc.add_paragraph()
    meta.add_run(f"Datum: {datum(brief.besluitdatum)}").add_break()
    meta.add_run(f"Kenmerk: {brief.kenmerk}")

    for blok in re.split(r"\n\s*\n", brief.tekst.strip()):
        if blok.startswith("## "):
            doc.add_heading(blok[3:].strip(), level=2)
            continue
        paragraaf = doc.add_paragraph()
        regels = blok.splitlines()
        for i, regel in enumerate(regels):
            run = paragraaf.add_run(regel)
            if i < len(regels) - 1:
                run.add_break()

    if brief.soort in MET_BEZWAAR:
        doc.add_heading("Bezwaar", level=2)
        for alinea in bezwaarclausule(
            organisatie=brief.organisatie, besluitdatum=brief.besluitdatum, kenmerk=brief.kenmerk
        ):
            doc.add_paragraph(alinea)

    slot = doc.add_paragraph()
    slot.add_run("Met vriendelijke groet,").add_break()
    slot.add_run(brief.organisatie).add_break()
    slot.add_run(brief.ondertekenaar)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
