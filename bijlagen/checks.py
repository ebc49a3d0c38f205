"""What an uploaded file really is, decided from its bytes, never from its name.

An allow-list: PDF, DOCX, XLSX, ODT, JPG and PNG. Office files are zip archives: they are opened
and read member by member with a budget, so a zip bomb stops at the budget instead of filling
memory or disk; encrypted, corrupt and macro-carrying archives are refused. No python-magic:
six signatures and three zip layouts are easier to read (and to test) than a magic database.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024

# An honest Office document unpacks to a few times its size; these limits leave room for large
# spreadsheets while refusing the classic bombs (a few kB that unpack to gigabytes).
ZIP_MAX_UNCOMPRESSED = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
_RATIO_FLOOR = 256 * 1024
ZIP_MAX_MEMBERS = 5000
_CHUNK = 64 * 1024


class Geweigerd(Exception):
    """The file is refused; the message is Dutch and tells the user what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Soort:
    code: str
    label: str
    content_type: str
    extensies: tuple[str, ...]


PDF = Soort("pdf", "PDF", "application/pdf", (".pdf",))
PNG = Soort("png", "PNG", "image/png", (".png",))
JPG = Soort("jpg", "JPG", "image/jpeg", (".jpg", ".jpeg"))
DOCX = Soort(
    "docx",
    "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = Soort(
    "xlsx",
    "Excel (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
ODT = Soort("odt", "OpenDocument-tekst (ODT)", "application/vnd.oasis.opendocument.text", (".odt",))

SOORTEN = {s.code: s for s in (PDF, DOCX, XLSX, ODT, JPG, PNG)}
TOEGESTAAN = ", ".join(s.label for s in SOORTEN.values())

_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Compound File Binary: old .doc/.xls, and also what Office makes of a password-protected
# .docx/.xlsx (the encrypted package lives inside a CFB container).
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def niet_toegestaan() -> str:
    return str(
        _("Dit bestandstype is niet toegestaan. Toegestaan zijn: %(soorten)s.")
        % {"soorten": TOEGESTAAN}
    )


def te_groot_melding() -> str:
    # The manual's advice ("Maximale bestandsgrootte bijlagen"), in its own words.
    return str(
        _(
            "Dit bestand is groter dan 10 MB. Een losse bijlage mag maximaal 10 MB zijn. Is uw "
            "bijlage groter, dan is het document vermoedelijk een scan waarbij iedere pagina een "
            "afbeelding is. Zet het (PDF-)document om naar een lagere resolutie van maximaal "
            "300 dpi: dat is goed leesbaar en neemt minder ruimte in beslag."
        )
    )


def soort_bepalen(bestand: IO[bytes], grootte: int) -> Soort:
    """The kind of this file, or Geweigerd. Reads the file from its start; leaves it at 0."""
    if grootte <= 0:
        raise Geweigerd(str(_("Dit bestand is leeg.")))
    if grootte > MAX_BYTES:
        raise Geweigerd(te_groot_melding())
    bestand.seek(0)
    kop = bestand.read(16)
    bestand.seek(0)
    try:
        if kop.startswith(b"%PDF-"):
            return PDF
        if kop.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if kop.startswith(b"\xff\xd8\xff"):
            return JPG
        if kop.startswith(_CFB):
            raise Geweigerd(
                str(
                    _(
                        "Dit is een beveiligd (versleuteld) of oud Office-bestand (.doc/.xls). "
                        "Sla het op als .docx, .xlsx of PDF zonder wachtwoord."
                    )
                )
            )
        if kop.startswith(b"PK\x03\x04"):
            return _zip_soort(bestand)
        raise Geweigerd(niet_toegestaan())
    finally:
        bestand.seek(0)


def _zip_soort(bestand: IO[bytes]) -> Soort:
    corrupt = Geweigerd(str(_("Dit bestand is beschadigd en kan niet worden geopend.")))
    try:
        archief = zipfile.ZipFile(bestand)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise corrupt from None
    with archief:
        leden = archief.infolist()
        if len(leden) > ZIP_MAX_MEMBERS:
            raise Geweigerd(str(_("Dit archief bevat te veel onderdelen.")))
        namen = {lid.filename for lid in leden}
        if any(lid.flag_bits & 0x1 for lid in leden):
            raise Geweigerd(
                str(_("Dit bestand is met een wachtwoord beveiligd. Sla het op zonder wachtwoord."))
            )
        if any(_is_macro(naam) for naam in namen):
            raise Geweigerd(
                str(
                    _(
                        "Dit document bevat macro's; die zijn niet toegestaan. Sla het op als "
                        ".docx/.xlsx zonder macro's, of als PDF."
                    )
                )
            )
        soort = _office_soort(archief, namen)
        if soort is None:
            raise Geweigerd(niet_toegestaan())
        _uitpakken_met_budget(archief, leden, corrupt)
        if soort is not ODT:
            types = archief.read("[Content_Types].xml")
            if b"macroEnabled" in types or b"vbaProject" in types:
                raise Geweigerd(str(_("Dit document bevat macro's; die zijn niet toegestaan.")))
        return soort


def _is_macro(naam: str) -> bool:
    lower = naam.lower()
    # OOXML keeps VBA in vbaProject.bin; OpenDocument keeps Basic macros under Basic/.
    return lower.endswith("vbaproject.bin") or lower.startswith(("basic/", "scripts/"))


def _office_soort(archief: zipfile.ZipFile, namen: set[str]) -> Soort | None:
    if "[Content_Types].xml" in namen:
        if "word/document.xml" in namen:
            return DOCX
        if "xl/workbook.xml" in namen:
            return XLSX
        return None
    if "mimetype" in namen and "content.xml" in namen:
        # OpenDocument: the first member is "mimetype", stored, holding the exact type.
        eerste = archief.infolist()[0]
        if (
            eerste.filename == "mimetype"
            and eerste.file_size < 200
            and archief.read("mimetype").strip() == _ODT_MIMETYPE
        ):
            return ODT
    return None


def _uitpakken_met_budget(
    archief: zipfile.ZipFile, leden: list[zipfile.ZipInfo], corrupt: Geweigerd
) -> None:
    """Decompress every member in chunks, counting real output (the sizes in the directory may
    lie). Stops at the budget, so a bomb costs at most one chunk of memory; zipfile checks each
    member's CRC at its end, which finds corruption."""
    bom = Geweigerd(str(_("Dit archief pakt uit tot een onredelijke grootte (zip-bom).")))
    gecomprimeerd = sum(lid.compress_size for lid in leden)
    budget = min(ZIP_MAX_UNCOMPRESSED, ZIP_MAX_RATIO * max(gecomprimeerd, _RATIO_FLOOR))
    totaal = 0
    for lid in leden:
        if lid.is_dir():
            continue
        try:
            with archief.open(lid) as stroom:
                while blok := stroom.read(_CHUNK):
                    totaal += len(blok)
                    if totaal > budget:
                        raise bom
        except Geweigerd:
            raise
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            OSError,
            EOFError,
            ValueError,
        ):
            raise corrupt from None
        except NotImplementedError:
            # A compression method zipfile does not know: no Office program writes it.
            raise corrupt from None
