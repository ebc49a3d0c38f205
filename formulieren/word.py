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
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt, RGBColor

from formulieren.weergave import Weergave

logger = logging.getLogger(__name__)

AANGEVINKT = "☒"
LEEG_VAKJE = "☐"
SCHRIJFREGEL = "_" * 70


def formulier_docx(weergave: Weergave) -> bytes:
    doc = Document()
    stijl = doc.styles["Normal"]
    stijl.font.name = "Liberation Sans"
    stijl.font.size = Pt(10.5)
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
        tabel = doc.add_table(rows=0, cols=2)
        tabel.style = "Table Grid"
        tabel.alignment = WD_TABLE_ALIGNMENT.LEFT
        for vraag in rijen:
            cellen = tabel.add_row().cells
            cellen[0].text = vraag.label + (" ^" if vraag.optioneel else "")
            cellen[0].paragraphs[0].runs[0].bold = True
            _meerregelig(cellen[1], vraag.tekst or "-")

    _ondertekening(doc, weergave)
    if weergave.checklist is not None:
        doc.add_heading(_("Checklist bijlagen"), level=1)
        doc.add_paragraph(
            _("Voeg deze bijlagen toe op het tabblad Hulpvraag voordat u de aanvraag indient.")
        )
        for optie in weergave.checklist:
            doc.add_paragraph(f"{AANGEVINKT if optie.gekozen else LEEG_VAKJE} {optie.label}")
    _ouders(doc, weergave)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


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
        tabel = doc.add_table(rows=0, cols=2)
        tabel.style = "Table Grid"
        for label, waarde in (
            (_("Naam"), o.naam),
            (_("Functie"), o.functie),
            (_("Bevoegd gezag"), o.bestuur),
            (_("Datum"), o.datum),
            (_("Ondertekening"), _("digitaal ondertekend")),
            (_("Controlegetal (SHA-256)"), o.hash),
        ):
            cellen = tabel.add_row().cells
            cellen[0].text = label
            cellen[1].text = waarde
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
    ouders = weergave.ouders
    doc.add_page_break()
    doc.add_heading(_("Voor ouders/verzorgers"), level=1)
    doc.add_paragraph(
        _(
            "Dit formulier gaat over %(leerling)s. Wilt u controleren of uw contactgegevens en "
            "de gezagssituatie kloppen? Verbeter ze hieronder als dat nodig is. U kunt uw "
            "zienswijze op de aanvraag opschrijven en daarna tekenen voor gezien."
        )
        % {"leerling": weergave.leerling}
    )
    doc.add_heading(_("Contactgegevens en gezagssituatie"), level=2)
    tabel = doc.add_table(rows=1, cols=3)
    tabel.style = "Table Grid"
    kop = tabel.rows[0].cells
    kop[0].text = _("Gegeven")
    kop[1].text = _("Zoals ingevuld")
    kop[2].text = _("Klopt dit? Zo niet: juist")
    rijen = list(ouders.contact)
    if ouders.gezagssituatie:
        rijen.append(ouders.gezagssituatie)
    for label, waarde in rijen:
        cellen = tabel.add_row().cells
        cellen[0].text = label
        cellen[1].text = waarde or "-"
        cellen[2].text = f"{LEEG_VAKJE} {_('ja')}   {LEEG_VAKJE} {_('nee')}: ______________"

    doc.add_heading(_("Zienswijze van ouders/verzorgers"), level=2)
    if ouders.zienswijze:
        doc.add_paragraph(_("Door de school genoteerd:"))
        doc.add_paragraph(ouders.zienswijze)
    doc.add_paragraph(_("Uw zienswijze:"))
    for _regel in range(6):
        doc.add_paragraph(SCHRIJFREGEL)

    doc.add_heading(_("Voor gezien"), level=2)
    doc.add_paragraph(
        _(
            "Ondertekening betekent dat u het formulier hebt gezien, niet dat u het met de "
            "inhoud eens bent."
        )
    )
    tabel = doc.add_table(rows=4, cols=3)
    tabel.style = "Table Grid"
    for i, tekst in enumerate(("", _("Ouder/verzorger 1"), _("Ouder/verzorger 2"))):
        tabel.rows[0].cells[i].text = tekst
    for r, label in enumerate((_("Naam"), _("Datum"), _("Handtekening")), start=1):
        tabel.rows[r].cells[0].text = label


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
