"""The letters of the decisions: the .docx filled from the SWV's letter template (Briefsjabloon)
in the decision's transaction, its PDF after the commit, and the loket's template edits. The
text and the Word file themselves are besluiten.brieven."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from besluiten import brieven
from besluiten.fouten import BesluitOnvolledig
from besluiten.models import (
    Afwijzing,
    Briefsjabloon,
    FinancieelArrangement,
    Toelaatbaarheidsverklaring,
)
from bijlagen.models import Bijlage
from bijlagen.services import bijlage_bestand_delete, bijlage_document_add
from dossiers.models import Adres
from formulieren.word import docx_to_pdf
from hulpvragen.models import Hulpvraag


def brief_compose(
    *, hulpvraag: Hulpvraag, soort: str, door: User, besluitdatum: date, waarden: dict[str, str]
) -> brieven.Brief:
    leerling = hulpvraag.leerling
    organisatie = hulpvraag.organisatie
    kenmerk = f"{organisatie.code}-{hulpvraag.pk}"
    ondertekenaar = door.get_full_name() or door.username
    adres = Adres.objects.filter(leerling=leerling).op_datum().first()  # in force today
    adresregels = [f"Aan de ouder(s)/verzorger(s) van {leerling.naam}"]
    if adres is not None:
        adresregels += [
            f"{adres.straat} {adres.huisnummer}",
            f"{adres.postcode} {adres.woonplaats}",
        ]
    alle = {
        "organisatie": organisatie.naam,
        "datum": brieven.datum(besluitdatum),
        "kenmerk": kenmerk,
        "leerling_naam": leerling.naam,
        "geboortedatum": brieven.datum(leerling.geboortedatum),
        "school": hulpvraag.schoolgegevens.school.naam,
        "aanvraagdatum": brieven.datum(hulpvraag.hulpvraagdatum),
        "ondertekenaar": ondertekenaar,
        **waarden,
    }
    tekst = brieven.sjabloon_tekst(organisatie_id=organisatie.pk, soort=soort)
    return brieven.Brief(
        soort=soort,
        organisatie=organisatie.naam,
        kenmerk=kenmerk,
        besluitdatum=besluitdatum,
        adres=adresregels,
        tekst=brieven.invullen(tekst, alle),
        ondertekenaar=ondertekenaar,
    )


RECORD_MODELLEN = {
    m._meta.label_lower: m for m in (Toelaatbaarheidsverklaring, Afwijzing, FinancieelArrangement)
}


def brief_pdf_maken(*, model: str, pk: int) -> Bijlage | None:
    """After the commit: the PDF of a decision's letter, as a second bijlage of the record.
    Idempotent (a record that has its PDF gets no second one); None without LibreOffice."""
    from django.core.files.storage import default_storage

    record = RECORD_MODELLEN[model].objects.get(pk=pk)
    letters = list(record.brieven.filter(ingetrokken_op__isnull=True))
    docx = next((b for b in letters if b.soort == "docx"), None)
    if docx is None or any(b.soort == "pdf" for b in letters) or record.vastgelegd_door is None:
        return None
    with default_storage.open(docx.sleutel, "rb") as f:
        pdf = docx_to_pdf(f.read())
    if pdf is None:
        return None
    opgeslagen: list[str] = []
    try:
        with transaction.atomic():
            record = RECORD_MODELLEN[model].objects.select_for_update().get(pk=pk)
            if record.brieven.filter(soort="pdf").exists():
                return None
            bijlage = bijlage_document_add(
                hulpvraag=record.hulpvraag,
                door=record.vastgelegd_door,  # type: ignore[arg-type]  # see below
                naam=docx.naam.rsplit(".", 1)[0] + ".pdf",
                inhoud=pdf,
            )
            opgeslagen.append(bijlage.sleutel)
            record.brieven.add(bijlage)
    except BaseException:
        bijlage_bestand_delete(sleutels=opgeslagen)
        raise
    return bijlage


def briefsjabloon_save(*, organisatie_id: int, soort: str, tekst: str, door: User) -> Briefsjabloon:
    problemen = brieven.sjabloon_problemen(tekst=tekst, soort=soort)
    if not tekst.strip():
        problemen.insert(0, _("De tekst is leeg."))
    if problemen:
        raise BesluitOnvolledig(_("Het sjabloon is niet opgeslagen:"), ontbrekend=problemen)
    sjabloon, _nieuw = Briefsjabloon.objects.update_or_create(
        organisatie_id=organisatie_id,
        soort=soort,
        defaults={"tekst": tekst.replace("\r\n", "\n"), "gewijzigd_door": door},
    )
    return sjabloon


def briefsjabloon_reset(*, organisatie_id: int, soort: str) -> None:
    """Back to the text shipped with Kindkans."""
    Briefsjabloon.objects.filter(organisatie_id=organisatie_id, soort=soort).delete()
