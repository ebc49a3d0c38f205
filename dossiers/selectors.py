"""Reads of dossier data. Callers pass a leerling they got through the access module
(hulpvragen.access.leerling_get_for / hulpvraag_get_for): these functions do not check access."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rechten import Recht, mag
from dossiers import lvs, lvs_berekening
from dossiers.models import (
    Adres,
    DossierConcept,
    IqTest,
    Leerling,
    LvsInstellingen,
    Schoolgegevens,
    SociaalEmotioneleProblematiek,
    Toets,
)


def adres_current_for(*, leerling: Leerling, op=None) -> Adres | None:
    """The address in force today (or on `op`): the newest valid one whose ingangsdatum has
    come. What the forms, the Word export and the decision letters use."""
    return Adres.objects.filter(leerling=leerling).op_datum(op).first()


def adressen_historie_for(*, leerling: Leerling, op=None) -> list[dict]:
    """Every address of the pupil for the Basisgegevens tab, newest first, each with what it is
    now: actueel, vanaf (dated in the future), eerder, gecorrigeerd or verwijderd."""
    huidig = adres_current_for(leerling=leerling, op=op)
    vandaag = op or timezone.localdate()
    rijen = []
    for adres in (
        Adres.objects.filter(leerling=leerling)
        .select_related("vervallen_door", "vervangen_door")
        .order_by(*(Adres._meta.ordering or ()))
    ):
        if adres.vervallen:
            stand = adres.vervallen
        elif huidig is not None and adres.pk == huidig.pk:
            stand = "actueel"
        elif adres.ingangsdatum > vandaag:
            stand = "toekomstig"
        else:
            stand = "eerder"
        rijen.append({"adres": adres, "stand": stand})
    return rijen


def lvs_instellingen_for(*, organisatie_id: int) -> lvs.ProInstellingen:
    """The organisation's thresholds and month table; the landelijke defaults without a row."""
    rij = LvsInstellingen.objects.filter(organisatie_id=organisatie_id).first()
    return rij.als_pro_instellingen() if rij else lvs.STANDAARD_INSTELLINGEN


def iq_tests_for(*, leerling: Leerling) -> QuerySet[IqTest]:
    """Newest first: the first one's totaal IQ is what the advice uses."""
    return IqTest.objects.filter(leerling=leerling).order_by("-testdatum", "-id")


def toetsen_for(*, leerling: Leerling) -> QuerySet[Toets]:
    """Newest first, and within a date in the fixed domain order (BL, IR, TL, SP)."""
    volgorde = Case(
        *(When(domein=code, then=Value(i)) for i, code in enumerate(lvs.DOMEINEN)),
        default=Value(len(lvs.DOMEINEN)),
    )
    return Toets.objects.filter(leerling=leerling).order_by("-toetsdatum", volgorde, "-id")


def lvs_edit_allowed(*, user: User) -> bool:
    """The school and the SWV loket enter LVS data; everyone else who sees it reads it."""
    return mag(user, Recht.LVS_BEWERKEN)


def schoolgegevens_current_for(*, leerling: Leerling) -> Schoolgegevens | None:
    """The enrolment without an einddatum, newest first (else the newest at all)."""
    rijen = list(leerling.schoolgegevens.order_by("einddatum", "-begindatum", "-id")[:1])
    return rijen[0] if rijen else None


@dataclass
class ToetsRegel:
    """A toets with what the tab shows beside it: DL on its toetsdatum and the leerachterstand."""

    toets: Toets
    dl: int | None
    leerachterstand: Decimal | None
    telt_mee: bool  # the latest toets of its domain: the one the advice uses
    # Taken in an earlier school year: its DL is still computed with the current groep (as the
    # manual's step 2 does), which overstates it. The tab says so.
    eerder_schooljaar: bool = False


@dataclass
class LvsOverzicht:
    iq_tests: list[IqTest]
    toetsen: list[ToetsRegel]
    sociaal_emotioneel: SociaalEmotioneleProblematiek | None
    advies: lvs.ProAdvies | None
    # Why no advice can be computed (Dutch), e.g. no toetsen or no groep in the schoolgegevens.
    ontbreekt: list[str] = field(default_factory=list)

    @property
    def waarschuwingen(self) -> list[str]:
        """Remarks beside the advice that a careful reader needs (Dutch)."""
        oud = [r for r in self.toetsen if r.telt_mee and r.eerder_schooljaar]
        if not oud or self.advies is None:
            return []
        return [
            _(
                "Let op: het advies gebruikt toetsen uit een eerder schooljaar (%(lijst)s). De "
                "DL daarvan is berekend met de huidige groep of het huidige leerjaar en kan "
                "dus te hoog zijn; vul bij voorkeur recente toetsen in."
            )
            % {
                "lijst": ", ".join(
                    f"{r.toets.get_domein_display().lower()} {r.toets.toetsdatum:%d-%m-%Y}"
                    for r in oud
                )
            }
        ]

    @property
    def advies_regels(self) -> list[dict]:
        """Per domain, in the fixed order: name, DL and shown leerachterstand (None: no toets)."""
        if self.advies is None:
            return []
        return [
            {
                "code": code,
                "naam": lvs.domein_naam(code).capitalize(),
                "dl": self.advies.dl_per_domein.get(code),
                "la": self.advies.leerachterstand.get(code),
            }
            for code in lvs.DOMEINEN
        ]


def _invoer(
    *,
    schoolgegevens: Schoolgegevens,
    toetsen: list[Toets],
    iq_tests: list[IqTest],
    sep: SociaalEmotioneleProblematiek | None,
) -> lvs.ProInvoer:
    laatste: dict[str, Toets] = {}
    for toets in toetsen:  # newest first
        laatste.setdefault(toets.domein, toets)
    toetsdatum = max((t.toetsdatum for t in laatste.values()), default=timezone.localdate())
    return lvs.ProInvoer(
        groep=schoolgegevens.groep,
        vo_leerjaar=schoolgegevens.leerjaar,
        doublures=schoolgegevens.doublures,
        toetsdatum=toetsdatum,
        toetsdatum_per_domein={c: t.toetsdatum for c, t in laatste.items()},
        dle={c: t.dle for c, t in laatste.items()},
        iq=iq_tests[0].totaal_iq if iq_tests else None,
        sociaal_emotionele_problematiek=bool(sep and sep.aanwezig),
    )


def lvs_overzicht_for(
    *,
    leerling: Leerling,
    schoolgegevens: Schoolgegevens | None,
    instellingen: lvs.ProInstellingen | None = None,
    iq_tests: QuerySet[IqTest] | None = None,
    toetsen: QuerySet[Toets] | None = None,
) -> LvsOverzicht:
    """Everything the LVS tab shows, in four queries (three without settings passed in). The
    advice uses the newest IQ test and the newest toets per domain."""
    # A caller may pass the querysets its formsets use: evaluated here once, reused there.
    iq_lijst: list[IqTest] = list(
        iq_tests if iq_tests is not None else iq_tests_for(leerling=leerling)
    )
    toets_lijst: list[Toets] = list(
        toetsen if toetsen is not None else toetsen_for(leerling=leerling)
    )
    sep = SociaalEmotioneleProblematiek.objects.filter(leerling=leerling).first()
    if instellingen is None:
        instellingen = lvs_instellingen_for(organisatie_id=leerling.organisatie_id)

    ontbreekt: list[str] = []
    dl_fout = None
    if schoolgegevens is None:
        dl_fout = lvs.ProInvoerFout({"groep": [_geen_schoolgegevens()]})
    else:
        try:
            lvs_berekening.bereken_dl(
                groep=schoolgegevens.groep,
                vo_leerjaar=schoolgegevens.leerjaar,
                doublures=schoolgegevens.doublures,
                toetsdatum=timezone.localdate(),
                instellingen=instellingen,
            )
        except lvs.ProInvoerFout as fout:
            dl_fout = fout
    if dl_fout:
        ontbreekt.append(str(dl_fout))

    dit_schooljaar = lvs.schooljaar_begin(timezone.localdate())
    gezien: set[str] = set()
    regels = []
    for toets in toets_lijst:
        dl = la = None
        if dl_fout is None and schoolgegevens is not None:
            dl = lvs_berekening.bereken_dl(
                groep=schoolgegevens.groep,
                vo_leerjaar=schoolgegevens.leerjaar,
                doublures=schoolgegevens.doublures,
                toetsdatum=toets.toetsdatum,
                instellingen=instellingen,
            )
            la = lvs_berekening.als_percentage(
                lvs_berekening.leerachterstand_exact(dl=dl, dle=toets.dle)
            )
        regels.append(
            ToetsRegel(
                toets,
                dl,
                la,
                telt_mee=toets.domein not in gezien,
                eerder_schooljaar=toets.toetsdatum < dit_schooljaar,
            )
        )
        gezien.add(toets.domein)

    if not toets_lijst:
        ontbreekt.append(_geen_toetsen())
    advies = None
    # Nothing missing means the schoolgegevens are there (their absence is reported above).
    if not ontbreekt and schoolgegevens is not None:
        invoer = _invoer(
            schoolgegevens=schoolgegevens, toetsen=toets_lijst, iq_tests=iq_lijst, sep=sep
        )
        advies = lvs_berekening.bereken_pro_advies(invoer, instellingen)
    return LvsOverzicht(iq_lijst, regels, sep, advies, ontbreekt)


def pro_advies_for(
    *, leerling: Leerling, schoolgegevens: Schoolgegevens | None = None
) -> lvs.ProAdvies | None:
    """The computed PrO advice from the pupil's LVS data, or None when it cannot be computed yet
    (no toetsen, or no usable groep/leerjaar in the schoolgegevens). For the PrO form: pass the
    hulpvraag's schoolgegevens; without, the pupil's current enrolment is used."""
    if schoolgegevens is None:
        schoolgegevens = schoolgegevens_current_for(leerling=leerling)
    return lvs_overzicht_for(leerling=leerling, schoolgegevens=schoolgegevens).advies


def _geen_schoolgegevens() -> str:
    return _("Er zijn geen schoolgegevens: daarmee wordt de didactische leeftijd berekend.")


def _geen_toetsen() -> str:
    return _(
        "Er zijn nog geen toetsen ingevuld: vul per domein ten minste de toetsdatum en de DLE in."
    )


# --- The Hulpvragen screen, the wizard and the dossier tabs ---------------------------------


def dossierconcepten_for(*, user: User) -> QuerySet[DossierConcept]:
    """A user's own unfinished wizards: nobody else, not even the SWV, ever sees them."""
    return DossierConcept.objects.filter(aangemaakt_door=user, organisatie_id=user.organisatie_id)  # type: ignore[misc]


def sociaal_emotioneel_samenvatting_for(*, leerling: Leerling) -> str:
    """The LVS tab's sociaal-emotionele answers as one line for a form (the PrO form shows them
    prefilled instead of asking again): "Ja" and "Nee" answers with their toelichting, or that
    nothing was filled in. One query. No access check: pass a pupil obtained through
    hulpvragen.access."""
    rij = SociaalEmotioneleProblematiek.objects.filter(leerling=leerling).first()
    delen = []
    for vraag, antwoord, toelichting in rij.antwoorden() if rij else []:
        if antwoord is None:
            continue
        tekst = f"{vraag} {_('Ja') if antwoord else _('Nee')}"
        delen.append(f"{tekst} ({toelichting})" if toelichting else tekst)
    if not delen:
        return _("Niet ingevuld op het tabblad LVS.")
    return "; ".join(delen)
