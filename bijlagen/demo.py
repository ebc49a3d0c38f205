"""Demo and test set-up: the documents a hulpvraag needs before indienen, as small real PDFs."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from bijlagen.models import Bijlage, Documentsoort
from bijlagen.selectors import bijlagen_vereisten_for, documentsoorten_aanwezig_for
from bijlagen.services import bestand_check, bijlagen_add
from hulpvragen.models import Hulpvraag

BESTANDSNAAM = {
    Documentsoort.OUDERFORMULIER: "aanvraagformulier-ondertekend.pdf",
    Documentsoort.OPP: "opp.pdf",
    Documentsoort.ONDERZOEKSVERSLAG: "onderzoeksverslag.pdf",
}


def demo_pdf(tekst: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% "
        + tekst.encode("ascii", "replace")
        + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def verplichte_bijlagen_toevoegen(
    *, hulpvraag: Hulpvraag, door: User | None = None
) -> list[Bijlage]:
    """Add one file of every required kind still missing (bijlagen_vereisten, so the manual's
    conditions on the saved form apply), as the aanvrager's upload before indienen. Call it
    after the form is filled (the BAG's and PrO's conditions read its answers)."""
    door = door or hulpvraag.aangemaakt_door
    vereisten = bijlagen_vereisten_for(hulpvraag=hulpvraag)
    aanwezig = documentsoorten_aanwezig_for(hulpvraag=hulpvraag)
    toegevoegd = []
    for soort in vereisten.soorten:
        if soort in aanwezig:
            continue
        naam = BESTANDSNAAM.get(soort, f"{soort}.pdf")
        item = bestand_check(bestand=SimpleUploadedFile(naam, demo_pdf(naam)))
        toegevoegd += bijlagen_add(
            hulpvraag=hulpvraag, door=door, bestanden=[item], gebeurtenis=False, documentsoort=soort
        )
    return toegevoegd
