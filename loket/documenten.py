"""Documents the loket generates as bijlagen (python-docx, like the forms' Word export)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from hulpvragen.models import Hulpvraag

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def vragendocument_maken(*, hulpvraag: Hulpvraag, vragen: str) -> SimpleUploadedFile:
    """The questions typed by the loket as a Word document the school downloads, answers under
    each question and uploads again (the manual: rename it “beantwoordingvragenddmmjj”)."""
    vandaag = timezone.localdate()
    doc = Document()
    doc.add_heading("Vragen van het samenwerkingsverband", level=1)
    doc.add_paragraph(
        f"Hulpvraag: {hulpvraag.get_type_display()} (nummer {hulpvraag.pk})\n"
        f"Leerling: {hulpvraag.leerling.naam}\n"
        f"Datum: {vandaag:%d-%m-%Y}"
    )
    doc.add_paragraph(
        "Schrijf uw antwoord onder elke vraag. Sla het document op als "
        f"“beantwoordingvragen{vandaag:%d%m%y}” en voeg het in Kindkans toe als bijlage bij "
        "deze hulpvraag; de status wijzigt dan automatisch naar “aangevuld”."
    )
    for blok in [b.strip() for b in vragen.replace("\r\n", "\n").split("\n\n") if b.strip()]:
        doc.add_paragraph(blok, style="List Number")
        doc.add_paragraph("Antwoord: ")
    buffer = io.BytesIO()
    doc.save(buffer)
    return SimpleUploadedFile(f"vragen{vandaag:%d%m%y}.docx", buffer.getvalue(), DOCX)
