"""LibreOffice headless and pdftotext for the tests that open our .docx files the way a user's
office suite would (the Word export, the decision letters). Locally they skip when either tool
is absent; in CI they fail instead (.ci/run installs libreoffice-writer-nogui and poppler-utils)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


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
    """Convert the files in one soffice run (a private profile under `map`); assert it worked and
    return the PDFs, in the order given."""
    resultaat = subprocess.run(
        [
            soffice(),
            "--headless",
            f"-env:UserInstallation=file://{map / 'lo-profiel'}",
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
