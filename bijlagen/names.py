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


# Words in a file name that say which Documentsoort it is (values of bijlagen.models.
# Documentsoort; this module imports no models). The upload page passes this same table to
# static/js/bijlagen-upload.js (json_script), which applies the same rule, so the browser's
# preselection and the server's guess never disagree. The first kind, in this order, with a
# keyword that begins a word of the name wins ("OPP ondertekend door ouders.pdf" is the OPP).
DOCUMENTSOORT_TREFWOORDEN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("opp", ("opp", "ontwikkelingsperspectief")),
    ("ouderformulier", ("toestemming", "ouder", "aanvraagformulier", "handtekening")),
    ("onderzoeksverslag", ("onderzoek", "verslag", "wisc", "iq")),
    ("evaluatie", ("evaluatie",)),
)
_WOORDSCHEIDING = re.compile(r"[^a-z0-9]+")


def documentsoort_raden(ruwe_naam: str) -> str | None:
    """The kind a file name suggests, else None. The words of a name are its runs of a-z and 0-9
    (lowercased, extension dropped): "Toestemming_ouders-Jan.pdf" → toestemming, ouders, jan, and
    "ouder" begins "ouders". Keep static/js/bijlagen-upload.js's `raden` identical."""
    basis = re.split(r"[/\\]", ruwe_naam or "")[-1]
    stam = basis.rpartition(".")[0] or basis
    woorden = [w for w in _WOORDSCHEIDING.split(stam.lower()) if w]
    for soort, trefwoorden in DOCUMENTSOORT_TREFWOORDEN:
        if any(w.startswith(t) for w in woorden for t in trefwoorden):
            return soort
    return None
