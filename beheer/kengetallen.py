"""Kengetallen (reports) for the loket and the beheerder: reads only, always over the hulpvragen
the SWV's loket sees (hulpvragen.access.hulpvragen_geteld_voor), so the figures never include
what the SWV cannot see (voorlopige aanvragen). The beheerder gets the aggregates only; the
overdue list, which names hulpvragen, is the loket's.

Which status counts as "ingediend" and which as "besluit" is read from the process data, not from
status names (docs/beheer-en-privacy.md):
- ingediend: the first change into a status the school chooses that the SWV can see and that is
  not final ("… aanvraag indienen");
- besluit: the first later change into a status the SWV chooses that is final (afgegeven,
  afgewezen, advies uitgebracht) or that leads automatically to a final status (FA afgegeven,
  which an evaluation upload closes). A withdrawal by the school is not a decision.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.rechten import Recht, mag
from besluiten.models import Bekostigingscategorie, TlvSoort, Toelaatbaarheidsverklaring
from hulpvragen.access import hulpvragen_geteld_voor
from hulpvragen.models import (
    Hulpvraag,
    HulpvraagType,
    KiezenDoor,
    Overgang,
    Status,
    Statuswijziging,
)
from loket.selectors import werkvoorraad

TYPE_LABELS = dict(HulpvraagType.choices)


def _indien_en_besluit_statussen(organisatie_id: int) -> tuple[set[int], set[int]]:
    statussen = Status.objects.filter(proces__organisatie_id=organisatie_id)
    indienen = set(
        statussen.filter(
            kiezen_door=KiezenDoor.SCHOOL, zichtbaar_voor_swv=True, eindstatus=False
        ).values_list("pk", flat=True)
    )
    naar_eind_automatisch = Overgang.objects.filter(
        van=OuterRef("pk"), door=KiezenDoor.SYSTEEM, naar__eindstatus=True
    )
    besluit = set(
        statussen.filter(kiezen_door=KiezenDoor.SWV, eindstatus=True).values_list("pk", flat=True)
    ) | set(
        statussen.filter(kiezen_door=KiezenDoor.SWV)
        .filter(Exists(naar_eind_automatisch))
        .values_list("pk", flat=True)
    )
    return indienen, besluit


@dataclass
class Spreiding:
    type: str
    label: str
    n: int
    mediaan: float
    p25: float
    p75: float
    minimum: int
    maximum: int


@dataclass
class TeLaat:
    hulpvraag: Hulpvraag
    ingediend_op: datetime
    dagen: int  # since indienen
    uiterste_besluitdatum: datetime


@dataclass
class Kengetallen:
    van: date
    tot: date
    per_type: list[tuple[str, int]] = field(default_factory=list)
    per_status: list[tuple[str, str, int]] = field(default_factory=list)
    per_school: list[tuple[str, int]] = field(default_factory=list)
    doorlooptijd: list[Spreiding] = field(default_factory=list)
    te_laat: list[TeLaat] = field(default_factory=list)
    totaal: int = 0
    # (soort, bekostigingscategorie, number of TLVs decided in the period)
    tlv_bekostiging: list[tuple[str, str, int]] = field(default_factory=list)


def _kwartielen(dagen: list[int]) -> tuple[float, float, float]:
    if len(dagen) == 1:
        return float(dagen[0]), float(dagen[0]), float(dagen[0])
    q1, q2, q3 = statistics.quantiles(dagen, n=4, method="inclusive")
    return q2, q1, q3


def _momenten(
    hulpvraag_ids: QuerySet, indienen: set[int], besluit: set[int]
) -> dict[int, tuple[datetime | None, datetime | None]]:
    """Per hulpvraag: when it was first submitted and when first decided after that."""
    momenten: dict[int, list] = {}
    rows = (
        Statuswijziging.objects.filter(hulpvraag_id__in=hulpvraag_ids)
        .filter(naar_id__in=indienen | besluit)
        .order_by("hulpvraag_id", "op", "id")
        .values_list("hulpvraag_id", "naar_id", "op")
    )
    for hv_id, naar_id, op in rows:
        m = momenten.setdefault(hv_id, [None, None])
        if m[0] is None and naar_id in indienen:
            m[0] = op
        elif m[0] is not None and m[1] is None and naar_id in besluit:
            m[1] = op
    return {k: (v[0], v[1]) for k, v in momenten.items()}


def kengetallen_for(*, user: User, van: date, tot: date) -> Kengetallen:
    """Figures over the hulpvragen the SWV sees with a hulpvraagdatum in [van, tot]; the overdue
    list (the loket's only) is about now, over every open hulpvraag the loket sees."""
    nu = timezone.now()
    zichtbaar = hulpvragen_geteld_voor(user)
    periode = zichtbaar.filter(hulpvraagdatum__gte=van, hulpvraagdatum__lte=tot)
    k = Kengetallen(van=van, tot=tot)

    k.per_type = [
        (TYPE_LABELS[r["type"]], r["n"])
        for r in periode.values("type").annotate(n=Count("pk")).order_by("type")
    ]
    k.totaal = sum(n for _, n in k.per_type)
    k.per_status = [
        (TYPE_LABELS[r["type"]], r["status__naam"], r["n"])
        for r in periode.values("type", "status__naam", "status__volgorde")
        .annotate(n=Count("pk"))
        .order_by("type", "status__volgorde", "status__naam")
    ]
    k.per_school = [
        (r["schoolgegevens__school__naam"], r["n"])
        for r in periode.values("schoolgegevens__school__naam")
        .annotate(n=Count("pk"))
        .order_by("-n", "schoolgegevens__school__naam")
    ]

    indienen, besluit = _indien_en_besluit_statussen(user.organisatie_id)
    typen = dict(periode.values_list("pk", "type"))
    per_type_dagen: dict[str, list[int]] = {}
    for hv_id, (ingediend, besloten) in _momenten(periode.values("pk"), indienen, besluit).items():
        if ingediend and besloten:
            per_type_dagen.setdefault(typen[hv_id], []).append((besloten - ingediend).days)
    for type_ in HulpvraagType.values:
        dagen = sorted(per_type_dagen.get(type_, []))
        if dagen:
            mediaan, p25, p75 = _kwartielen(dagen)
            k.doorlooptijd.append(
                Spreiding(
                    type_, TYPE_LABELS[type_], len(dagen), mediaan, p25, p75, dagen[0], dagen[-1]
                )
            )

    # TLVs decided in the period (besluitdatum), of hulpvragen the user may see, by soort and
    # bekostigingscategorie (the besluiten app records them with the decision).
    soorten, categorieen = dict(TlvSoort.choices), dict(Bekostigingscategorie.choices)
    volgorde = {c: i for i, c in enumerate(Bekostigingscategorie.values)}
    rijen = (
        Toelaatbaarheidsverklaring.objects.filter(
            organisatie_id=user.organisatie_id,
            hulpvraag__in=zichtbaar.values("pk"),
            besluitdatum__gte=van,
            besluitdatum__lte=tot,
        )
        .values("soort", "bekostigingscategorie")
        .annotate(n=Count("pk"))
        .order_by()
    )
    k.tlv_bekostiging = [
        (
            str(soorten.get(r["soort"], r["soort"])),
            str(categorieen.get(r["bekostigingscategorie"], "")) or "-",
            r["n"],
        )
        for r in sorted(
            rijen, key=lambda r: (r["soort"] != "VSO", volgorde.get(r["bekostigingscategorie"], 9))
        )
    ]

    # Overdue decisions are the loket's own "Termijn verstreken": the organisation's beslistermijn
    # on the decision clock, which stands still while the school is to act (loket.klok).
    if not mag(user, Recht.EXPORTEREN):
        return k
    for hv in werkvoorraad(user=user, weergave="te_laat").prefetch_related(None):
        termijn = hv.termijn
        k.te_laat.append(
            TeLaat(hv, termijn.ingediend_op, (nu - termijn.ingediend_op).days, termijn.deadline)
        )
    return k
