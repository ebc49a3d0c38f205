"""The red "Word" button: a .docx made from the same Weergave as the page, ready to print for the
parents (they check contact data and gezagssituatie, write their zienswijze, sign "voor gezien").

python-docx writes text runs as XML text nodes, so `&`, `<` and accents need no escaping of ours.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt, RGBColor

from formulieren.weergave import Weergave

logger = logging.getLogger(__name__)

AANGEVINKT = "☒"
LEEG_VAKJE = "☐"
SCHRIJFREGEL = "_" * 70
# An answer longer than this (characters, or lines) is printed under its label instead of beside
# it: a table row never splits (cantSplit), so a row of half a page that does not fit would move
# whole to the next page and leave a near-empty one behind.
LANG_ANTWOORD_TEKENS = 700
LANG_ANTWOORD_REGELS = 12


@dataclass
class VoorGezienOnline:
    """A parent's "voor gezien" given online (ouders app): printed instead of the paper part."""

    ouder: str  # "Ouder/verzorger 1"
    naam: str  # as typed by the parent
    datum: str
    hash: str  # SHA-256 of what the parent's page showed
    zienswijzen: list[tuple[str, bool, str]] = field(default_factory=list)  # text, niet eens, date
    voorstellen: list[str] = field(default_factory=list)  # proposed corrections, as lines


def formulier_docx(weergave: Weergave, *, online: VoorGezienOnline | None = None) -> bytes:
    doc = Document()
    _pagina(doc)
    doc.core_properties.title = weergave.formulier
    doc.core_properties.author = weergave.organisatie

    doc.add_paragraph(weergave.organisatie).runs[0].bold = True
    doc.add_heading(weergave.formulier, level=0)
    meta = doc.add_paragraph()
    meta.add_run(
        _("Leerling: %(leerling)s · School: %(school)s")
        % {"leerling": weergave.leerling, "school": weergave.school}
    )
    if weergave.opgeslagen_op:
        meta.add_run(" · " + _("Opgeslagen op %(datum)s") % {"datum": weergave.opgeslagen_op})
    meta.add_run(" · " + _("Formulierversie %(versie)s") % {"versie": weergave.versie})

    for sectie in weergave.secties:
        rijen = [v for v in sectie.vragen if v.in_export]
        if not rijen:
            continue
        doc.add_heading(sectie.titel, level=1)
        tabel = None
        for vraag in rijen:
            label = vraag.label + (" ^" if vraag.optioneel else "")
            if _lang(vraag.tekst):
                tabel = None
                _lang_antwoord(doc, label, vraag.tekst)
                continue
            if tabel is None:
                tabel = _tabel(doc, cols=2)
            cellen = _rij(tabel)
            cellen[0].text = label
            cellen[0].paragraphs[0].runs[0].bold = True
            if weergave.checklist is not None and vraag.opties is weergave.checklist:
                _vakjes(cellen[1], weergave.checklist)
            else:
                _meerregelig(cellen[1], vraag.tekst or "-")

    _ondertekening(doc, weergave)
    if online is None:
        _ouders(doc, weergave)
    else:
        _ouders_online(doc, weergave, online)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _pagina(doc) -> None:
    """A4 (python-docx's template is Letter) with 2 cm margins, compact spacing: the form is
    printed in the Netherlands and every line saved keeps a page from spilling a few lines."""
    for sectie in doc.sections:
        sectie.page_width, sectie.page_height = Cm(21), Cm(29.7)
        for kant in ("left_margin", "right_margin"):
            setattr(sectie, kant, Cm(2))
        sectie.top_margin = sectie.bottom_margin = Cm(1.8)
    stijl = doc.styles["Normal"]
    stijl.font.name = "Liberation Sans"
    stijl.font.size = Pt(10.5)
    stijl.paragraph_format.space_after = Pt(2)
    stijl.paragraph_format.widow_control = True
    for naam, voor in (("Heading 1", 12), ("Heading 2", 10)):
        kop = doc.styles[naam].paragraph_format
        kop.space_before, kop.space_after = Pt(voor), Pt(3)
        kop.keep_with_next = True  # a heading never ends a page


def _tabel(doc, *, cols: int):
    tabel = doc.add_table(rows=0, cols=cols)
    tabel.style = "Table Grid"
    tabel.alignment = WD_TABLE_ALIGNMENT.LEFT
    return tabel


def _rij(tabel, *, kop: bool = False):
    """A row that never breaks across pages (w:cantSplit); `kop` repeats it on a next page."""
    rij = tabel.add_row()
    tr_pr = rij._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if kop:
        tr_pr.append(OxmlElement("w:tblHeader"))
    return rij.cells


def _samen(*, tabel=None, paragrafen=(), met_volgende: bool = True) -> None:
    """Keep with next: every paragraph (of every cell of the table) stays on the page of what
    follows it, so a block chained this way moves to the next page as a whole. Without
    `met_volgende` the table's last row ends the chain (the block does not pull in what comes
    after it)."""
    if tabel is not None:
        for rij in tabel.rows if met_volgende else tabel.rows[:-1]:
            for cel in rij.cells:
                paragrafen = (*paragrafen, *cel.paragraphs)
    for paragraaf in paragrafen:
        paragraaf.paragraph_format.keep_with_next = True


def _lang(tekst: str) -> bool:
    return len(tekst) > LANG_ANTWOORD_TEKENS or tekst.count("\n") >= LANG_ANTWOORD_REGELS


def _lang_antwoord(doc, label: str, tekst: str) -> None:
    """A long answer under its bold label (kept with the answer's first lines), in paragraphs
    that may continue on the next page, with a rule underneath like the table's grid."""
    kop = doc.add_paragraph()
    kop.add_run(label).bold = True
    kop.paragraph_format.keep_with_next = True
    kop.paragraph_format.space_before = Pt(6)
    for regel in tekst.splitlines() or [""]:
        doc.add_paragraph(regel).paragraph_format.left_indent = Cm(0.5)


def _vakjes(cel, opties) -> None:
    """The PrO checklist of bijlagen in its own answer cell: ☒ chosen, ☐ not."""
    cel.paragraphs[0].text = _(
        "Voeg deze bijlagen toe op het tabblad Hulpvraag voordat u de aanvraag indient."
    )
    for optie in opties:
        cel.add_paragraph(f"{AANGEVINKT if optie.gekozen else LEEG_VAKJE} {optie.label}")


def _meerregelig(cel, tekst: str) -> None:
    """Line breaks typed in a long answer stay line breaks in Word."""
    paragraaf = cel.paragraphs[0]
    regels = tekst.splitlines() or [""]
    for i, regel in enumerate(regels):
        run = paragraaf.add_run(regel)
        if i < len(regels) - 1:
            run.add_break()


def _ondertekening(doc, weergave: Weergave) -> None:
    o = weergave.ondertekening
    if not o.vereist:
        return
    doc.add_heading(_("Ondertekening bevoegd gezag"), level=1)
    if o.geldig:
        tabel = _tabel(doc, cols=2)
        for label, waarde in (
            (_("Naam"), o.naam),
            (_("Functie"), o.functie),
            (_("Bevoegd gezag"), o.bestuur),
            (_("Datum"), o.datum),
            (_("Ondertekening"), _("digitaal ondertekend")),
            (_("Controlegetal (SHA-256)"), o.hash),
        ):
            cellen = _rij(tabel)
            cellen[0].text = label
            cellen[1].text = waarde
        _samen(tabel=tabel, met_volgende=False)  # the signature block is one piece
        return
    paragraaf = doc.add_paragraph()
    if o.vervallen:
        run = paragraaf.add_run(
            _(
                "Let op: de ondertekening door %(naam)s van %(datum)s is vervallen. %(reden)s "
                "Het formulier moet opnieuw ondertekend worden."
            )
            % {"naam": o.naam, "datum": o.datum, "reden": o.vervallen_reden}
        )
    else:
        run = paragraaf.add_run(
            _("Nog niet digitaal ondertekend door het bevoegd gezag")
            + (f" ({o.aangewezen})." if o.aangewezen else ".")
        )
    run.bold = True
    run.font.color.rgb = RGBColor(0xA4, 0x00, 0x00)


def _ouders(doc, weergave: Weergave) -> None:
    """The parents' part, one block: the check of their data, their zienswijze and "Voor gezien"
    are chained with keep-with-next, so the whole part moves to the next page when it does not
    fit on the current one (no hard page break: that left the form's last few lines alone on a
    near-empty page) and the signature table never lands alone on a last page."""
    ouders = weergave.ouders
    blok = [doc.add_heading(_("Voor ouders/verzorgers"), level=1)]
    intro = doc.add_paragraph(
        _(
            "Dit formulier gaat over %(leerling)s. Wilt u controleren of uw contactgegevens en "
            "de gezagssituatie kloppen? Verbeter ze hieronder als dat nodig is. U kunt uw "
            "zienswijze op de aanvraag opschrijven en daarna tekenen voor gezien."
        )
        % {"leerling": weergave.leerling}
    )
    blok += [intro, doc.add_heading(_("Contactgegevens en gezagssituatie"), level=2)]
    breedtes = (Cm(4.6), Cm(6.2), Cm(6.2))
    tabel = _tabel(doc, cols=3)
    kop = _rij(tabel, kop=True)
    for cel, tekst in zip(
        kop, (_("Gegeven"), _("Zoals ingevuld"), _("Klopt dit? Zo niet: juist")), strict=True
    ):
        cel.text = tekst
        cel.paragraphs[0].runs[0].bold = True
    rijen = list(ouders.contact)
    if ouders.gezagssituatie:
        rijen.append(ouders.gezagssituatie)
    for label, waarde in rijen:
        cellen = _rij(tabel)
        cellen[0].text = label
        cellen[1].text = waarde or "-"
        cellen[2].text = f"{LEEG_VAKJE} {_('ja')}   {LEEG_VAKJE} {_('nee')}: ____________"
    _breedtes(tabel, breedtes)
    _samen(tabel=tabel)

    blok.append(doc.add_heading(_("Zienswijze van ouders/verzorgers"), level=2))
    if ouders.zienswijze:
        blok.append(doc.add_paragraph(_("Door de school genoteerd:")))
        regels = [doc.add_paragraph(regel) for regel in ouders.zienswijze.splitlines()]
        if _lang(ouders.zienswijze):
            # A long note flows over pages (its first lines stay with the heading); the chain
            # starts again at "Uw zienswijze:", so "Voor gezien" still comes with the lines
            # the parents write on.
            _samen(paragrafen=blok + regels[:1])
            blok = []
        else:
            blok += regels
    blok.append(doc.add_paragraph(_("Uw zienswijze:")))
    for _regel in range(4):
        lijn = doc.add_paragraph(SCHRIJFREGEL)
        lijn.paragraph_format.space_before = Pt(6)
        blok.append(lijn)

    blok.append(doc.add_heading(_("Voor gezien"), level=2))
    blok.append(
        doc.add_paragraph(
            _(
                "Ondertekening betekent dat u het formulier hebt gezien, niet dat u het met de "
                "inhoud eens bent."
            )
        )
    )
    tabel = _tabel(doc, cols=3)
    for i, label in enumerate(("", _("Naam"), _("Datum"), _("Handtekening"))):
        cellen = _rij(tabel)
        cellen[0].text = label
        if i == 0:
            cellen[1].text, cellen[2].text = _("Ouder/verzorger 1"), _("Ouder/verzorger 2")
        else:
            cellen[0].paragraphs[0].paragraph_format.space_before = Pt(8)
    _breedtes(tabel, breedtes)
    _samen(tabel=tabel, paragrafen=blok, met_volgende=False)


def _ouders_online(doc, weergave: Weergave, online: VoorGezienOnline) -> None:
    """The parents' part as a parent completed it online: their data as shown, what they
    proposed to correct, their zienswijze and the "voor gezien" with name, time and hash."""
    ouders = weergave.ouders
    doc.add_heading(_("Voor ouders/verzorgers: online voor gezien getekend"), level=1)
    rijen = list(ouders.contact) + ([ouders.gezagssituatie] if ouders.gezagssituatie else [])
    if rijen:
        doc.add_heading(_("Contactgegevens en gezagssituatie"), level=2)
        tabel = _tabel(doc, cols=2)
        for label, waarde in rijen:
            cellen = _rij(tabel)
            cellen[0].text = label
            cellen[1].text = waarde or "-"
    if online.voorstellen:
        doc.add_paragraph(_("Voorgestelde verbeteringen (de school beoordeelt ze):"))
        for regel in online.voorstellen:
            doc.add_paragraph(regel, style="List Bullet")
    doc.add_heading(_("Zienswijze van ouders/verzorgers"), level=2)
    if ouders.zienswijze:
        doc.add_paragraph(_("Door de school genoteerd:"))
        for regel in ouders.zienswijze.splitlines():
            doc.add_paragraph(regel)
    if not online.zienswijzen:
        doc.add_paragraph(_("De ouder heeft online geen zienswijze gegeven."))
    for tekst, niet_eens, datum in online.zienswijzen:
        kop = doc.add_paragraph()
        kop.add_run(
            _("Zienswijze van %(ouder)s, %(datum)s") % {"ouder": online.ouder, "datum": datum}
        ).bold = True
        if niet_eens:
            kop.add_run(" · " + _("Wij zijn het niet eens met de aanvraag.")).bold = True
        for regel in tekst.splitlines():
            doc.add_paragraph(regel)
    doc.add_heading(_("Voor gezien"), level=2)
    doc.add_paragraph(
        _(
            "Ondertekening betekent dat u het formulier hebt gezien, niet dat u het met de "
            "inhoud eens bent."
        )
    )
    tabel = _tabel(doc, cols=2)
    for label, waarde in (
        (_("Ouder/verzorger"), online.ouder),
        (_("Naam (zelf getypt)"), online.naam),
        (_("Getekend op"), online.datum),
        (_("Wijze"), _("online, met de link en de code van de school")),
        (_("SHA-256 van wat getoond werd"), online.hash),
    ):
        cellen = _rij(tabel)
        cellen[0].text = label
        cellen[1].text = waarde
    _samen(tabel=tabel, met_volgende=False)


def _breedtes(tabel, breedtes) -> None:
    for rij in tabel.rows:
        for cel, breedte in zip(rij.cells, breedtes, strict=True):
            cel.width = breedte


# --- PDF through LibreOffice headless (also used for the decision letters of besluiten) ----------


def soffice_path() -> str | None:
    """The LibreOffice binary (setting SOFFICE), or None when switched off or not installed."""
    naam = settings.SOFFICE
    return shutil.which(naam) if naam else None


def docx_to_pdf(docx: bytes, *, timeout: int = 120) -> bytes | None:
    """The .docx converted to PDF by LibreOffice headless, or None when LibreOffice is absent or
    the conversion fails (logged). Each call gets its own LibreOffice profile: two conversions
    sharing one profile fail. Takes about a second; call it outside a request's transaction."""
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="kindkans-pdf-") as tmp:
        map_ = Path(tmp)
        bron = map_ / "document.docx"
        bron.write_bytes(docx)
        try:
            resultaat = subprocess.run(  # noqa: S603 - fixed arguments, our own temporary files
                [
                    soffice,
                    "--headless",
                    f"-env:UserInstallation=file://{map_ / 'profiel'}",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(map_),
                    str(bron),
                ],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            logger.warning("LibreOffice-conversie naar PDF mislukt: %s", exc)
            return None
        pdf = map_ / "document.pdf"
        if resultaat.returncode != 0 or not pdf.exists():
            logger.warning(
                "LibreOffice-conversie naar PDF mislukt (code %s): %s",
                resultaat.returncode,
                (resultaat.stderr or resultaat.stdout)[-500:],
            )
            return None
        return pdf.read_bytes()
