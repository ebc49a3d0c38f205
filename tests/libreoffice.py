"""LibreOffice headless and pdftotext for the tests that open our .docx files the way a user's
office suite would (the Word export, the decision letters). Locally they skip when either tool
is absent; in CI they fail instead (.ci/run installs libreoffice-writer-nogui and poppler-utils)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings


def soffice() -> str:
    """The soffice binary, after checking that pdftotext is there too."""
    gevonden = shutil.which("soffice") or shutil.which("libreoffice")
    for ontbreekt, reden in (
        (gevonden is None, "LibreOffice (soffice) ontbreekt; installeer libreoffice-writer-nogui"),
        (shutil.which("pdftotext") is None, "pdftotext ontbreekt; installeer poppler-utils"),
    ):
        if ontbreekt:
            if os.environ.get("CI"):
                pytest.fail(f"CI: {reden}")
            pytest.skip(reden)
    return gevonden


def naar_pdf(docx: list[Path], *, map: Path, timeout: int = 120) -> list[Path]:
    """Convert the files in one soffice run; assert it worked and return the PDFs (in `map`), in
    the order given. The profile is this test process's own (under its KINDKANS_VAR_DIR, one per
    xdist worker): two soffice processes on one profile fail, and a profile made once saves
    every later conversion LibreOffice's first-start work."""
    profiel = Path(settings.VAR_DIR) / "lo-profiel"
    resultaat = subprocess.run(
        [
            soffice(),
            "--headless",
            f"-env:UserInstallation=file://{profiel}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(map),
            *(str(p) for p in docx),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert resultaat.returncode == 0, resultaat.stderr
    pdfs = [map / (p.stem + ".pdf") for p in docx]
    for pdf in pdfs:
        assert pdf.exists(), resultaat.stdout + resultaat.stderr
    return pdfs


def pdf_tekst(pdf: Path, *, volgorde: str = "-layout") -> str:
    """The PDF's text with runs of whitespace made single spaces. `volgorde="-raw"` keeps the
    order LibreOffice drew the text in, so each table cell stays together."""
    tekst = subprocess.run(
        ["pdftotext", volgorde, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(tekst.split())


def pdf_paginas(pdf: Path) -> list[str]:
    """The text of each page (pdftotext -raw, whitespace made single spaces), in page order."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    aantal = xhtml.count("<page ")
    return [
        " ".join(
            subprocess.run(
                ["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        )
        for n in range(1, aantal + 1)
    ]


WOORD_Y = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"')


def pdf_vulling(pdf: Path) -> list[float]:
    """Per page, how far down the page its text reaches: the lowest word's bottom as a fraction
    of the height between the highest and the lowest text of the whole document (1.0 = a full page,
    0.1 = a page with a few lines at the top)."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    paginas = xhtml.split("<page ")[1:]
    alle_y = [[(float(a), float(b)) for a, b in WOORD_Y.findall(p)] for p in paginas]
    boven = min(y for p in alle_y for y, _ in p)
    onder = max(y for p in alle_y for _, y in p)
    return [(max(y for _, y in p) - boven) / (onder - boven) if p else 0.0 for p in alle_y]
