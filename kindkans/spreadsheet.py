"""Cells for spreadsheet exports: one rule against formula injection for every CSV export.

A spreadsheet program reads a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (``=HYPERLINK(…)`` in a school's name would become a live link that
sends the neighbouring cells away). The OWASP rule: prefix such a text cell with a single quote,
so it stays text. Numbers (ints, floats, and text that is a plain number such as ``-3``) and the
placeholder ``-`` on its own are left as they are: no program reads them as a formula, and a
quote would only spoil them.

Every CSV export writes through :func:`csv_schrijver`. The XLSX export (``beheer/xlsx.py``) needs
no quote: it types every text cell as text, which Excel never evaluates.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

GEVAARLIJK_BEGIN = ("=", "+", "-", "@", "\t", "\r")
_GETAL = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def veilige_cel(waarde: Any) -> Any:
    """The value as a CSV cell that no spreadsheet program reads as a formula."""
    if not isinstance(waarde, str) or not waarde.startswith(GEVAARLIJK_BEGIN):
        return waarde
    if waarde == "-" or _GETAL.match(waarde):
        return waarde
    return "'" + waarde


class _VeiligeSchrijver:
    def __init__(self, schrijver):
        self._schrijver = schrijver

    def writerow(self, rij: Iterable[Any]):
        return self._schrijver.writerow([veilige_cel(w) for w in rij])

    def writerows(self, rijen: Iterable[Iterable[Any]]):
        for rij in rijen:
            self.writerow(rij)


def csv_schrijver(uit, **opties) -> _VeiligeSchrijver:
    """``csv.writer(uit, **opties)`` whose every cell goes through :func:`veilige_cel`."""
    return _VeiligeSchrijver(csv.writer(uit, **opties))
