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
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from besluiten import brieven
from besluiten.fouten import BesluitOnvolledig
from besluiten.models import (
    Afwijzing,
    Bekostigingscategorie,
    BriefSoort,
    Deskundigenadvies,
    FinancieelArrangement,
    TlvSoort,
    Toelaatbaarheidsverklaring,
)
from besluiten.services_advies import adviezen_problemen_for
from besluiten.services_brieven import brief_compose
from bijlagen.services import bijlage_bestand_delete, bijlage_document_add
from hulpvragen.models import Hulpvraag, HulpvraagType, Status
from hulpvragen.services import (
    OvergangNietToegestaan,
    hulpvraag_change_status,
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


def _doelstatus(hulpvraag: Hulpvraag, naam: str) -> Status:
    status = Status.objects.filter(proces_id=hulpvraag.proces_id, naam=naam).first()
    if status is None:
        raise OvergangNietToegestaan(
            _("Het proces van deze hulpvraag kent de status “%(naam)s” niet.") % {"naam": naam}
        )
    return status


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
            brief = brief_compose(
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

            enqueue_on_commit(
                "besluiten.tasks.brief_pdf_maken", record._meta.label_lower, record.pk
            )
    except BaseException:
        bijlage_bestand_delete(sleutels=opgeslagen)
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


def tlv_record(
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
            fouten += adviezen_problemen_for(_adviezen_van(locked))
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


def afwijzing_record(
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
            fouten += adviezen_problemen_for(_adviezen_van(locked))
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


def fa_record(
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
