"""Writes of besluiten: recording a decision (TLV, afwijzing, Financieel Arrangement) together with
its status change and its letter, assigning deskundigen and recording their advice, the letter
templates, and the reminders to the aanvrager (FA evaluation, TLV renewal).

A decision is one transaction: the record, the status change through the engine
(hulpvragen.services.hulpvraag_change_status, whose guard checks that the record exists), and
the .docx letter as a bijlage. The PDF of the letter is made after the commit (LibreOffice takes
about a second; no row stays locked meanwhile). See docs/besluiten.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Rol, User
from accounts.rechten import Recht, mag_in_organisatie
from besluiten import brieven
from besluiten.models import (
    GEDRAGSWETENSCHAPPERS,
    Afwijzing,
    Bekostigingscategorie,
    Briefsjabloon,
    BriefSoort,
    Deskundigenadvies,
    Discipline,
    FinancieelArrangement,
    TlvSoort,
    Toelaatbaarheidsverklaring,
)
from besluiten.selectors import tlv_verloopt_q
from bijlagen.models import Bijlage
from bijlagen.services import bijlage_bestand_verwijderen, bijlage_document_add
from dossiers.models import Adres
from hulpvragen.models import Hulpvraag, HulpvraagType, Status
from hulpvragen.selectors import open_q
from hulpvragen.services import (
    ControleMislukt,
    OvergangNietToegestaan,
    hulpvraag_change_status,
    notificatie_aan_aanvrager,
)
from kindkans.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

# The status each decision leads to, by its name in the process (processes are data; these are
# the manual's names, which the shipped processes use).
AFGEGEVEN = {TlvSoort.VSO: "TLV afgegeven", TlvSoort.PRO: "PrO afgegeven"}
TLV_AFWIJZING = "TLV afwijzing toegelicht"
FA_AFGEGEVEN = "FA afgegeven"
FA_AFGEWEZEN = "FA afgewezen"
HULPVRAAGTYPE = {TlvSoort.VSO: HulpvraagType.TLV_VSO, TlvSoort.PRO: HulpvraagType.PRO}


class BesluitOnvolledig(ControleMislukt):
    """The decision cannot be recorded: `ontbrekend` says exactly what is missing or wrong.
    Nothing was changed (a ControleMislukt, so callers of the engine catch it the same way)."""


# --- Dates ---------------------------------------------------------------------------------------


def _jaar_later(d: date) -> date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def minimale_einddatum(ingangsdatum: date) -> date:
    """A TLV lasts at least one school year: until the day before the same date a year later."""
    return _jaar_later(ingangsdatum) - timedelta(days=1)


def standaard_einddatum(ingangsdatum: date) -> date:
    """Common practice: 31 July, the end of a school year, and at least one school year after
    the ingangsdatum (1-8-2026 → 31-7-2027; 1-3-2027 → 31-7-2028)."""
    minimum = minimale_einddatum(ingangsdatum)
    eind = date(minimum.year, 7, 31)
    return eind if eind >= minimum else date(minimum.year + 1, 7, 31)


# --- Deskundigenadvies ---------------------------------------------------------------------------


def adviezen_problemen(adviezen: list[Deskundigenadvies]) -> list[str]:
    """What a TLV VSO decision still waits for: two advices, at least one of an orthopedagoog or
    psycholoog (DESIGN.md §6)."""
    uitgebracht = [a for a in adviezen if a.uitgebracht]
    problemen = []
    if len(uitgebracht) < 2:
        problemen.append(
            ngettext(
                "Er is %(n)s van de 2 deskundigenadviezen uitgebracht; wacht op beide adviezen.",
                "Er zijn %(n)s van de 2 deskundigenadviezen uitgebracht; wacht op beide adviezen.",
                len(uitgebracht),
            )
            % {"n": len(uitgebracht)}
        )
    if not any(a.discipline in GEDRAGSWETENSCHAPPERS for a in uitgebracht):
        problemen.append(_("Ten minste één advies moet van een orthopedagoog of psycholoog zijn."))
    return problemen


def adviezen_waarschuwingen(adviezen: list[Deskundigenadvies]) -> list[str]:
    """Where the two advices disagree: shown to the loket, does not block the decision."""
    uitgebracht = [a for a in adviezen if a.uitgebracht]
    if len(uitgebracht) < 2:
        return []
    a, b = uitgebracht[:2]
    waarschuwingen = []
    if a.toelaatbaar != b.toelaatbaar:
        waarschuwingen.append(
            _(
                "De deskundigen zijn het oneens over de toelaatbaarheid: %(a)s adviseert %(x)s, "
                "%(b)s adviseert %(y)s."
            )
            % {
                "a": a.get_discipline_display(),
                "x": _("toelaatbaar") if a.toelaatbaar else _("niet toelaatbaar"),
                "b": b.get_discipline_display(),
                "y": _("toelaatbaar") if b.toelaatbaar else _("niet toelaatbaar"),
            }
        )
    elif a.toelaatbaar:
        if a.bekostigingscategorie != b.bekostigingscategorie:
            waarschuwingen.append(
                _("De geadviseerde bekostigingscategorie verschilt: %(x)s en %(y)s.")
                % {
                    "x": a.get_bekostigingscategorie_display(),
                    "y": b.get_bekostigingscategorie_display(),
                }
            )
        if a.duur_schooljaren != b.duur_schooljaren:
            waarschuwingen.append(
                _("De geadviseerde duur verschilt: %(x)s en %(y)s.")
                % {
                    "x": ngettext("%(n)s schooljaar", "%(n)s schooljaren", a.duur_schooljaren)
                    % {"n": a.duur_schooljaren},
                    "y": ngettext("%(n)s schooljaar", "%(n)s schooljaren", b.duur_schooljaren)
                    % {"n": b.duur_schooljaren},
                }
            )
    return waarschuwingen


def _is_gedragswetenschapper(user: User) -> bool:
    functie = (user.functie or "").lower()
    return "orthopedagoog" in functie or "psycholoog" in functie


@transaction.atomic
def deskundige_toewijzen(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    deskundige: User,
    volgorde: int,
    discipline: str,
) -> Deskundigenadvies:
    """The loket assigns deskundige 1 or 2 of a TLV VSO; this grants read access (Toegang,
    audited). Deskundige 1 is an orthopedagoog or psycholoog. Replacing a deskundige who has not
    advised yet revokes their access."""
    from dossiers.services import toegang_grant, toegang_revoke

    fouten = []
    if not mag_in_organisatie(door, Recht.BESLISSEN, hulpvraag.organisatie_id):
        raise OvergangNietToegestaan(_("Alleen het loket wijst deskundigen toe."))
    if hulpvraag.type != HulpvraagType.TLV_VSO:
        fouten.append(_("Deskundigenadvies hoort bij een TLV VSO."))
    if hulpvraag.status.eindstatus:
        fouten.append(_("Over deze hulpvraag is al besloten."))
    if (
        deskundige.rol != Rol.DESKUNDIGE
        or deskundige.organisatie_id != hulpvraag.organisatie_id
        or not deskundige.is_active
    ):
        fouten.append(_("Kies een deskundige van het samenwerkingsverband."))
    if volgorde not in (1, 2):
        fouten.append(_("Kies deskundige 1 of 2."))
    if discipline not in Discipline.values:
        fouten.append(_("Kies de discipline van de deskundige."))
    if volgorde == 1 and discipline not in GEDRAGSWETENSCHAPPERS:
        fouten.append(_("De eerste deskundige is een orthopedagoog of psycholoog."))
    bestaand = {a.volgorde: a for a in hulpvraag.deskundigenadviezen.select_for_update()}
    ander = bestaand.get(2 if volgorde == 1 else 1)
    if ander is not None and ander.deskundige_id == deskundige.pk:
        fouten.append(_("Kies twee verschillende deskundigen."))
    huidig = bestaand.get(volgorde)
    if huidig is not None and huidig.uitgebracht:
        fouten.append(_("Deze deskundige heeft al geadviseerd; het advies blijft staan."))
    if fouten:
        raise BesluitOnvolledig(_("De deskundige is niet toegewezen:"), ontbrekend=fouten)

    if huidig is not None:
        if huidig.deskundige_id == deskundige.pk:
            huidig.discipline = discipline
            huidig.save(update_fields=["discipline"])
            return huidig
        if huidig.toegang is not None:
            toegang_revoke(toegang=huidig.toegang, door=door)
        huidig.delete()
    toegang = toegang_grant(
        hulpvraag=hulpvraag,
        gebruiker=deskundige,
        door=door,
        reden=_("Deskundigenadvies TLV (deskundige %(n)s)") % {"n": volgorde},
    )
    return Deskundigenadvies.objects.create(
        organisatie_id=hulpvraag.organisatie_id,
        hulpvraag=hulpvraag,
        volgorde=volgorde,
        deskundige=deskundige,
        discipline=discipline,
        toegang=toegang,
        toegewezen_door=door,
    )


def discipline_voorstel(user: User) -> str:
    """The discipline a user's "functie of discipline" names, for the loket's form."""
    functie = (user.functie or "").lower()
    for waarde, label in Discipline.choices:
        if waarde != Discipline.ANDERS and str(label).split(" ")[0] in functie:
            return waarde
    return Discipline.ANDERS if functie else ""


@transaction.atomic
def advies_uitbrengen(
    *,
    advies: Deskundigenadvies,
    door: User,
    toelaatbaar: bool,
    motivering: str,
    bekostigingscategorie: str = "",
    duur_schooljaren: int | None = None,
) -> Deskundigenadvies:
    """The assigned deskundige records (or, until the decision, corrects) their advice."""
    advies = (
        Deskundigenadvies.objects.select_for_update()
        .select_related("hulpvraag__status")
        .get(pk=advies.pk)
    )
    if advies.deskundige_id != door.pk:
        raise OvergangNietToegestaan(_("Alleen de toegewezen deskundige brengt dit advies uit."))
    fouten = []
    if advies.hulpvraag.status.eindstatus:
        fouten.append(_("Over deze hulpvraag is al besloten."))
    if not (motivering or "").strip():
        fouten.append(_("Vul een motivering in."))
    if toelaatbaar:
        if bekostigingscategorie not in Bekostigingscategorie.values:
            fouten.append(_("Kies de geadviseerde bekostigingscategorie."))
        if not duur_schooljaren or duur_schooljaren < 1:
            fouten.append(_("Vul de geadviseerde duur in (ten minste 1 schooljaar)."))
    if fouten:
        raise BesluitOnvolledig(_("Het advies is niet opgeslagen:"), ontbrekend=fouten)
    advies.toelaatbaar = toelaatbaar
    advies.bekostigingscategorie = bekostigingscategorie if toelaatbaar else ""
    advies.duur_schooljaren = duur_schooljaren if toelaatbaar else None
    advies.motivering = motivering.strip()
    advies.uitgebracht_op = timezone.now()
    advies.save()
    return advies


# --- Decisions -----------------------------------------------------------------------------------


def _doelstatus(hulpvraag: Hulpvraag, naam: str) -> Status:
    status = Status.objects.filter(proces_id=hulpvraag.proces_id, naam=naam).first()
    if status is None:
        raise OvergangNietToegestaan(
            _("Het proces van deze hulpvraag kent de status “%(naam)s” niet.") % {"naam": naam}
        )
    return status


def _brief(
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


def _vastleggen(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    naar: str,
    maak_record,
    brief_soort: str,
    brief_waarden,
    toelichting: str,
    gezien_status,
):
    """One decision: record + status change (engine, guard sees the record) + .docx letter, in
    one transaction; the PDF follows after the commit. On failure nothing remains: rows roll
    back and the stored letter file is removed."""
    opgeslagen: list[str] = []
    try:
        with transaction.atomic():
            # Lock first: a double-clicked form waits here, then finds the record and stops.
            locked = (
                Hulpvraag.objects.select_for_update()
                .select_related("organisatie", "leerling", "schoolgegevens__school", "status")
                .get(pk=hulpvraag.pk)
            )
            record = maak_record(locked)
            hulpvraag_change_status(
                hulpvraag=locked,
                naar=_doelstatus(locked, naar),
                door=door,
                toelichting=toelichting,
                gezien_status=gezien_status,
            )
            brief = _brief(
                hulpvraag=locked,
                soort=brief_soort,
                door=door,
                besluitdatum=record.besluitdatum,
                waarden=brief_waarden(record),
            )
            bijlage = bijlage_document_add(
                hulpvraag=locked,
                door=door,
                naam=f"{brief.bestandsnaam}.docx",
                inhoud=brieven.brief_docx(brief),
            )
            opgeslagen.append(bijlage.sleutel)
            record.brieven.add(bijlage)
            from besluiten.tasks import brief_pdf_maken

            enqueue_on_commit(brief_pdf_maken, record._meta.label_lower, record.pk)
    except BaseException:
        bijlage_bestand_verwijderen(sleutels=opgeslagen)
        raise
    hulpvraag.status = locked.status
    return record


def _al_besloten(hulpvraag: Hulpvraag) -> list[str]:
    if (
        Toelaatbaarheidsverklaring.objects.filter(hulpvraag=hulpvraag).exists()
        or Afwijzing.objects.filter(hulpvraag=hulpvraag).exists()
        or FinancieelArrangement.objects.filter(hulpvraag=hulpvraag).exists()
    ):
        return [_("Over deze hulpvraag is al een besluit vastgelegd.")]
    return []


def _adviezen_van(hulpvraag: Hulpvraag) -> list[Deskundigenadvies]:
    return list(Deskundigenadvies.objects.filter(hulpvraag=hulpvraag))


def tlv_vastleggen(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    soort: TlvSoort | str,
    ingangsdatum: date,
    einddatum: date | None = None,
    besluitdatum: date | None = None,
    bekostigingscategorie: str = "",
    toelichting: str = "",
    gezien_status: Status | int | None = None,
) -> Toelaatbaarheidsverklaring:
    """Record a TLV and take the hulpvraag to "TLV afgegeven" (soort VSO) or "PrO afgegeven"
    (soort PRO) in one transaction, through hulpvraag_change_status (same refusals: access,
    stale page, transition, checks), and generate the toekenningsbrief as a bijlage linked to the
    TLV (its PDF follows after the commit when LibreOffice is installed).

    einddatum defaults to 31 July at least one school year after ingangsdatum; besluitdatum to
    today. A TLV VSO needs a bekostigingscategorie and two deskundigenadviezen (one of an
    orthopedagoog or psycholoog). Raises BesluitOnvolledig (Dutch, with `ontbrekend`) or the
    engine's StatusWijzigingGeweigerd; nothing is changed then."""
    soort = TlvSoort(soort)
    besluitdatum = besluitdatum or timezone.localdate()
    einddatum = einddatum or standaard_einddatum(ingangsdatum)

    def maak(locked: Hulpvraag) -> Toelaatbaarheidsverklaring:
        fouten = _al_besloten(locked)
        if locked.type != HULPVRAAGTYPE[soort]:
            fouten.append(
                _("Een TLV %(soort)s hoort bij een hulpvraag %(type)s.")
                % {"soort": soort.label, "type": HulpvraagType(HULPVRAAGTYPE[soort]).label}
            )
        if soort == TlvSoort.VSO:
            if bekostigingscategorie not in Bekostigingscategorie.values:
                fouten.append(_("Kies de bekostigingscategorie (laag, midden of hoog)."))
            fouten += adviezen_problemen(_adviezen_van(locked))
        if einddatum < minimale_einddatum(ingangsdatum):
            fouten.append(
                _(
                    "De einddatum ligt minder dan één schooljaar na de ingangsdatum; kies "
                    "%(datum)s of later."
                )
                % {"datum": brieven.datum(minimale_einddatum(ingangsdatum))}
            )
        if fouten:
            raise BesluitOnvolledig(
                _("De TLV kan nog niet worden vastgelegd. Dit ontbreekt nog:"), ontbrekend=fouten
            )
        return Toelaatbaarheidsverklaring.objects.create(
            organisatie_id=locked.organisatie_id,
            hulpvraag=locked,
            leerling_id=locked.leerling_id,
            soort=soort,
            bekostigingscategorie=bekostigingscategorie if soort == TlvSoort.VSO else "",
            ingangsdatum=ingangsdatum,
            einddatum=einddatum,
            besluitdatum=besluitdatum,
            vastgelegd_door=door,
        )

    return _vastleggen(
        hulpvraag=hulpvraag,
        door=door,
        naar=AFGEGEVEN[soort],
        maak_record=maak,
        brief_soort=BriefSoort.TLV_VSO if soort == TlvSoort.VSO else BriefSoort.TLV_PRO,
        brief_waarden=lambda tlv: {
            "bekostigingscategorie": tlv.bekostigingscategorie,
            "ingangsdatum": brieven.datum(tlv.ingangsdatum),
            "einddatum": brieven.datum(tlv.einddatum),
        },
        toelichting=toelichting
        or _("De toekenningsbrief staat bij de bijlagen op het tabblad TLV."),
        gezien_status=gezien_status,
    )


def afwijzing_vastleggen(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    motivering: str,
    toelichting: str,
    besluitdatum: date | None = None,
    gezien_status: Status | int | None = None,
) -> Afwijzing:
    """Reject a TLV VSO ("TLV afwijzing toegelicht") or an FA ("FA afgewezen"): the motivering
    goes into the afwijzingsbrief (a TLV's with the bezwaar clause), the toelichting into the
    Statushistorie and the school's e-mail (so no pupil data there). A TLV needs the two
    deskundigenadviezen like a TLV; an FA is decided by the loket alone, like its toewijzing."""
    besluitdatum = besluitdatum or timezone.localdate()
    motivering = (motivering or "").strip()
    is_fa = hulpvraag.type == HulpvraagType.FA

    def maak(locked: Hulpvraag) -> Afwijzing:
        fouten = _al_besloten(locked)
        if locked.type not in (HulpvraagType.TLV_VSO, HulpvraagType.FA):
            fouten.append(
                _(
                    "Een afwijzing met brief hoort bij een hulpvraag TLV VSO of "
                    "Financieel Arrangement."
                )
            )
        if not motivering:
            fouten.append(_("Vul de motivering in; die komt in de afwijzingsbrief."))
        if locked.type == HulpvraagType.TLV_VSO:
            fouten += adviezen_problemen(_adviezen_van(locked))
        if fouten:
            raise BesluitOnvolledig(
                _("De afwijzing kan nog niet worden vastgelegd. Dit ontbreekt nog:"),
                ontbrekend=fouten,
            )
        return Afwijzing.objects.create(
            organisatie_id=locked.organisatie_id,
            hulpvraag=locked,
            motivering=motivering,
            besluitdatum=besluitdatum,
            vastgelegd_door=door,
        )

    return _vastleggen(
        hulpvraag=hulpvraag,
        door=door,
        naar=FA_AFGEWEZEN if is_fa else TLV_AFWIJZING,
        maak_record=maak,
        brief_soort=BriefSoort.AFWIJZING_FA if is_fa else BriefSoort.AFWIJZING_TLV,
        brief_waarden=lambda a: {"motivering": a.motivering},
        toelichting=toelichting,
        gezien_status=gezien_status,
    )


def fa_vastleggen(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    bedrag: Decimal,
    ingangsdatum: date,
    einddatum: date,
    evaluatiedatum: date,
    besluitdatum: date | None = None,
    toelichting: str = "",
    gezien_status: Status | int | None = None,
) -> FinancieelArrangement:
    """Grant a Financieel Arrangement ("FA afgegeven") with its toewijzingsbrief as a bijlage of
    the hulpvraag. The aanvrager is reminded before the evaluatiedatum
    (fa_herinneringen_versturen)."""
    besluitdatum = besluitdatum or timezone.localdate()

    def maak(locked: Hulpvraag) -> FinancieelArrangement:
        fouten = _al_besloten(locked)
        if locked.type != HulpvraagType.FA:
            fouten.append(_("Een financieel arrangement hoort bij een hulpvraag FA."))
        if bedrag is None or bedrag <= 0:
            fouten.append(_("Vul een bedrag groter dan nul in."))
        if einddatum <= ingangsdatum:
            fouten.append(_("De einddatum ligt na de ingangsdatum."))
        if not (ingangsdatum <= evaluatiedatum):
            fouten.append(_("De evaluatiedatum ligt niet voor de ingangsdatum."))
        if fouten:
            raise BesluitOnvolledig(
                _("Het arrangement kan nog niet worden vastgelegd. Dit ontbreekt nog:"),
                ontbrekend=fouten,
            )
        return FinancieelArrangement.objects.create(
            organisatie_id=locked.organisatie_id,
            hulpvraag=locked,
            bedrag=bedrag,
            ingangsdatum=ingangsdatum,
            einddatum=einddatum,
            evaluatiedatum=evaluatiedatum,
            besluitdatum=besluitdatum,
            vastgelegd_door=door,
        )

    return _vastleggen(
        hulpvraag=hulpvraag,
        door=door,
        naar=FA_AFGEGEVEN,
        maak_record=maak,
        brief_soort=BriefSoort.FA,
        brief_waarden=lambda fa: {
            "bedrag": brieven.bedrag(fa.bedrag),
            "ingangsdatum": brieven.datum(fa.ingangsdatum),
            "einddatum": brieven.datum(fa.einddatum),
            "evaluatiedatum": brieven.datum(fa.evaluatiedatum),
        },
        toelichting=toelichting or _("De toewijzingsbrief staat bij de bijlagen van de hulpvraag."),
        gezien_status=gezien_status,
    )


RECORD_MODELLEN = {
    m._meta.label_lower: m for m in (Toelaatbaarheidsverklaring, Afwijzing, FinancieelArrangement)
}


def brief_pdf_maken(*, model: str, pk: int) -> Bijlage | None:
    """After the commit: the PDF of a decision's letter, as a second bijlage of the record.
    Idempotent (a record that has its PDF gets no second one); None without LibreOffice."""
    from django.core.files.storage import default_storage

    from formulieren.word import docx_to_pdf

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
                door=record.vastgelegd_door,
                naam=docx.naam.rsplit(".", 1)[0] + ".pdf",
                inhoud=pdf,
            )
            opgeslagen.append(bijlage.sleutel)
            record.brieven.add(bijlage)
    except BaseException:
        bijlage_bestand_verwijderen(sleutels=opgeslagen)
        raise
    return bijlage


# --- Letter templates ----------------------------------------------------------------------------


def briefsjabloon_opslaan(
    *, organisatie_id: int, soort: str, tekst: str, door: User
) -> Briefsjabloon:
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


def briefsjabloon_herstellen(*, organisatie_id: int, soort: str) -> None:
    """Back to the text shipped with Kindkans."""
    Briefsjabloon.objects.filter(organisatie_id=organisatie_id, soort=soort).delete()


# --- Reminders to the aanvrager (FA evaluation, TLV renewal) -------------------------------------


def _herinneringen_versturen(
    *, kandidaten: QuerySet, bericht: Callable[[Any], tuple[str, str]], wat: str
) -> int:
    """The one reminder mechanism: for each record in `kandidaten` (FinancieelArrangement or
    Toelaatbaarheidsverklaring, both with `herinnering_op`) not yet reminded, write one message
    (`bericht(record)` → onderwerp, tekst) to the aanvrager's contact address into the
    notification outbox.
    Idempotent: a record is claimed with SELECT … FOR UPDATE SKIP LOCKED, `kandidaten`' condition
    is checked again under that lock, and `herinnering_op` is set in the same transaction as the
    outbox row, so two runs never remind twice. Without an address, or at a closed school,
    nothing is written (and `herinnering_op` stays empty). The caller keeps pupil data out of
    the message."""
    kandidaten = kandidaten.filter(herinnering_op__isnull=True)
    verstuurd = 0
    for pk in list(kandidaten.values_list("pk", flat=True)):
        with transaction.atomic():
            record = (
                kandidaten.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
            )
            if record is None:
                continue
            hulpvraag = Hulpvraag.objects.select_related("schoolgegevens__school").get(
                pk=record.hulpvraag_id
            )
            if not hulpvraag.schoolgegevens.school.actief:
                # A closed school reads no mail; the loket's werkvoorraad shows "nog niet".
                logger.warning("%s %s: school opgeheven, geen herinnering", wat, record.pk)
                continue
            onderwerp, tekst = bericht(record)
            notificatie = notificatie_aan_aanvrager(
                hulpvraag=hulpvraag, onderwerp=onderwerp, tekst=tekst
            )
            if notificatie is None:
                # Not marked as reminded, so "School gemaild" stays "nog niet" (true) and the
                # next run tries again once the address is filled in.
                logger.warning("%s %s: geen contactadres voor de herinnering", wat, record.pk)
                continue
            record.herinnering_op = timezone.now()
            record.save(update_fields=["herinnering_op"])
            verstuurd += 1
    return verstuurd


def fa_herinneringen_versturen(*, vandaag: date | None = None) -> int:
    """Beat (daily): for each Financieel Arrangement whose evaluatiedatum is within
    FA_EVALUATIE_HERINNERING_WEKEN and whose hulpvraag still waits for the evaluation (open:
    "FA afgegeven" is final but configured for that follow-up), one reminder to the aanvrager
    (_herinneringen_versturen: once, no pupil data)."""
    vandaag = vandaag or timezone.localdate()
    grens = vandaag + timedelta(weeks=settings.FA_EVALUATIE_HERINNERING_WEKEN)

    def bericht(fa: FinancieelArrangement) -> tuple[str, str]:
        datum = brieven.datum(fa.evaluatiedatum)
        # No pupil data: the mail adds only the hulpvraag type and a link.
        return (
            _("evaluatie uiterlijk %(datum)s") % {"datum": datum},
            _(
                "Het samenwerkingsverband heeft een Financieel Arrangement toegewezen. De "
                "evaluatie daarvan moet uiterlijk %(datum)s worden toegevoegd. Voeg de "
                "evaluatie toe als bijlage bij de hulpvraag in Kindkans; de status wijzigt "
                "dan automatisch naar “FA evaluatie toegevoegd”."
            )
            % {"datum": datum},
        )

    return _herinneringen_versturen(
        kandidaten=FinancieelArrangement.objects.filter(evaluatiedatum__lte=grens).filter(
            open_q("hulpvraag__")
        ),
        bericht=bericht,
        wat="FA",
    )


def tlv_herinneringen_versturen(*, vandaag: date | None = None) -> int:
    """Beat (daily): for each TLV whose einddatum is within TLV_VERLENGING_SIGNAAL_WEKEN (and not
    past) while no renewal is under way (besluiten.selectors.tlv_verloopt_q: no newer TLV of the
    pupil, no open TLV VSO/PrO hulpvraag made after it), one message to the aanvrager of the
    TLV's hulpvraag that the TLV ends and a new aanvraag must be filed in time
    (_herinneringen_versturen: once, no pupil data)."""
    vandaag = vandaag or timezone.localdate()

    def bericht(tlv: Toelaatbaarheidsverklaring) -> tuple[str, str]:
        datum = brieven.datum(tlv.einddatum)
        # No pupil data: the mail adds only the hulpvraag type and a link.
        return (
            _("TLV loopt af op %(datum)s") % {"datum": datum},
            _(
                "De toelaatbaarheidsverklaring (TLV) die het samenwerkingsverband bij deze "
                "hulpvraag heeft afgegeven, loopt af op %(datum)s. Is daarna nog plaatsing in "
                "het speciaal onderwijs of praktijkonderwijs nodig, dien dan op tijd een nieuwe "
                "aanvraag in via Kindkans, zodat het samenwerkingsverband vóór die datum kan "
                "besluiten."
            )
            % {"datum": datum},
        )

    return _herinneringen_versturen(
        kandidaten=Toelaatbaarheidsverklaring.objects.filter(tlv_verloopt_q(vandaag=vandaag)),
        bericht=bericht,
        wat="TLV",
    )
