"""The kengetallen as an Excel workbook (openpyxl, write-only: rows stream into the file).

Numbers stay numbers (Excel can sum them); every text cell is written as text, never as a formula,
so a school named "=HYPERLINK(…)" cannot become one in the beheerder's Excel."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cel(blad, waarde, *, vet: bool = False):
    if waarde is None:
        waarde = ""
    cel = WriteOnlyCell(blad, value=waarde)
    if isinstance(waarde, str):
        cel.data_type = "s"  # text, even when it starts with "="
    if vet:
        cel.font = Font(bold=True)
    return cel


def werkmap(tabellen: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One sheet per (title, header, rows)."""
    boek = Workbook(write_only=True)
    for titel, kop, rijen in tabellen:
        blad = boek.create_sheet(title=titel[:31])
        blad.append([_cel(blad, k, vet=True) for k in kop])
        for rij in rijen:
            blad.append([_cel(blad, w) for w in rij])
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()
