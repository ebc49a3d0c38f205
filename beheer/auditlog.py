"""Searching the one audit log: the access records of pupil data (audit.Inzage, written by the
screens) and the security events of logging in (accounts.Beveiligingsgebeurtenis), for the
beheerder of the organisation.

Fast on millions of rows: every search is within one organisation, filtered on an indexed column
(pupil, user) plus a time range, ordered by (time, id) descending, and paged with a keyset cursor
("ouder dan deze rij"), never OFFSET and never a full COUNT."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import Beveiligingsgebeurtenis, User
from audit.models import Inzage

PAGINA = 50


@dataclass
class Regel:
    op: datetime
    id: int
    soort: str  # "inzage" or "beveiliging"
    gebruiker: str
    actie: str
    onderdeel: str
    leerling_id: int | None
    hulpvraag_id: int | None
    details: str
    ip: str

    @property
    def cursor(self) -> str:
        return f"{self.op.isoformat()}|{self.soort}|{self.id}"


def _dag_begin(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def _keyset(veld: str, cursor: tuple[datetime, int] | None) -> Q:
    if cursor is None:
        return Q()
    op, pk = cursor
    # The plain upper bound lets the (…, time) index do the work; the OR only breaks ties.
    return Q(**{f"{veld}__lte": op}) & (Q(**{f"{veld}__lt": op}) | Q(**{veld: op, "id__lt": pk}))


def auditlog_zoeken(
    *,
    user: User,
    leerling_id: int | None = None,
    gebruiker: User | None = None,
    van: date | None = None,
    tot: date | None = None,
    cursor: str = "",
) -> tuple[list[Regel], str]:
    """One page (newest first) and the cursor of the next page ("" when there is none). The
    security log only joins when no pupil is asked for (its events are about accounts)."""
    org = user.organisatie_id
    c = None
    if cursor:
        try:
            op_s, _soort, pk_s = cursor.split("|")
            c = (datetime.fromisoformat(op_s), int(pk_s))
        except ValueError:
            c = None

    inzage = Inzage.objects.filter(organisatie_id=org)
    if leerling_id:
        inzage = inzage.filter(leerling_id=leerling_id)
    if gebruiker is not None:
        inzage = inzage.filter(gebruiker=gebruiker)
    if van:
        inzage = inzage.filter(op__gte=_dag_begin(van))
    if tot:
        inzage = inzage.filter(op__lt=_dag_begin(tot + timedelta(days=1)))
    regels = [
        Regel(
            r.op,
            r.pk,
            "inzage",
            r.door,
            r.get_actie_display(),
            r.onderdeel,
            r.leerling_id,
            r.hulpvraag_id,
            r.details,
            r.ip_adres or "",
        )
        for r in inzage.filter(_keyset("op", c))
        .select_related("gebruiker")
        .order_by("-op", "-id")[: PAGINA + 1]
    ]

    if not leerling_id:
        beveiliging = Beveiligingsgebeurtenis.objects.filter(organisatie_id=org)
        if gebruiker is not None:
            beveiliging = beveiliging.filter(gebruiker=gebruiker)
        if van:
            beveiliging = beveiliging.filter(tijdstip__gte=_dag_begin(van))
        if tot:
            beveiliging = beveiliging.filter(tijdstip__lt=_dag_begin(tot + timedelta(days=1)))
        regels += [
            Regel(
                r.tijdstip,
                r.pk,
                "beveiliging",
                r.gebruikersnaam,
                r.get_gebeurtenis_display(),
                "",
                None,
                None,
                r.toelichting,
                r.ip or "",
            )
            for r in beveiliging.filter(_keyset("tijdstip", c)).order_by("-tijdstip", "-id")[
                : PAGINA + 1
            ]
        ]
    regels.sort(key=lambda r: (r.op, r.id), reverse=True)
    pagina, meer = regels[:PAGINA], len(regels) > PAGINA
    return pagina, (pagina[-1].cursor if meer and pagina else "")
