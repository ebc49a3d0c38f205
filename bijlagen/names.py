"""The original file name, kept as display metadata only: files are stored under a random key,
so a name can never choose a path. It is still cleaned, because it is shown on pages, put in a
Content-Disposition header and saved by the user's browser."""

from __future__ import annotations

import re
import unicodedata

MAX_NAAM = 150
_VERBODEN = re.compile(r'[<>:"|?*]')
_SPATIES = re.compile(r"\s+")


def naam_opschonen(ruwe_naam: str, *, extensie: str) -> str:
    """A safe display name ending in `extensie` (the extension of the detected kind)."""
    naam = unicodedata.normalize("NFC", ruwe_naam or "")
    # Browsers may send a full path ("C:\\fakepath\\x.pdf", "../../etc/passwd"): keep the last part.
    naam = re.split(r"[/\\]", naam)[-1]
    # Control and format characters (newlines, NUL, right-to-left override) go.
    naam = "".join(c for c in naam if unicodedata.category(c)[0] != "C")
    naam = _VERBODEN.sub("_", naam)
    naam = _SPATIES.sub(" ", naam).strip()
    stam, punt, _ext = naam.rpartition(".")
    if not punt:
        stam = naam
    # Leading dots would make a hidden file on the user's machine.
    stam = stam.strip(" .") or "bijlage"
    stam = stam[: MAX_NAAM - len(extensie)].rstrip(" .") or "bijlage"
    return stam + extensie


def extensie_van(ruwe_naam: str) -> str:
    basis = re.split(r"[/\\]", ruwe_naam or "")[-1]
    _, punt, ext = basis.rpartition(".")
    return f".{ext.lower()}" if punt else ""
