"""Reads for the beheer screens. Pupil data shown here still comes through hulpvragen.access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Rol, User
from accounts.rechten import Recht, mag_in_eigen_organisatie
from beheer.models import Bewaartermijn, Personeelswijziging, Schoolwijziging, SchoolwijzigingSoort
from dossiers.models import Schoolgegevens
from hulpvragen.access import hulpvragen_beheer_feiten_voor, hulpvragen_visible_to
from hulpvragen.models import Hulpvraag, HulpvraagType
from hulpvragen.selectors import hulpvragen_open, open_q
from organisaties.models import Bestuur, School, Sector

BEHEER_ROLLEN = frozenset({Rol.SWV_LOKET, Rol.BEHEERDER})


def is_swv_beheer(user: User) -> bool:
    """Loket and beheerder of an organisation: who uses these screens."""
    return mag_in_eigen_organisatie(user, Recht.BEHEERSCHERMEN)


def schoolgegevens_for_vertrekkende(
    *, school: School, vertrekkend_email: str, vertrekkend: User | None = None
) -> QuerySet[Schoolgegevens]:
    """The Schoolgegevens of `school` behind an open hulpvraag (not in a final status) whose
    aanvrager or e-mailadres is the departing coordinator's: what a personeelswijziging changes."""
    wie = Q()
    if vertrekkend is not None:
        wie |= Q(aanvrager=vertrekkend)
    if vertrekkend_email:
        wie |= Q(email__iexact=vertrekkend_email)
    if not wie:
        return Schoolgegevens.objects.none()
    open_ids = hulpvragen_open(Hulpvraag.objects.filter(schoolgegevens__school=school)).values(
        "schoolgegevens_id"
    )
    return Schoolgegevens.objects.filter(wie, school=school, pk__in=open_ids).order_by("pk")


@dataclass(frozen=True)
class VoorbeeldRegel:
    """One open hulpvraag that moves to the successor: its administrative facts, and the pupil's
    name only when the viewer may see the hulpvraag (never for the beheerder)."""

    dossiernummer: int
    type: str
    status: str
    aanvrager: str
    leerling_naam: str | None


@dataclass
class Voorbeeld:
    """The preview of a personeelswijziging: how many Schoolgegevens change, and the open
    hulpvragen behind them, split in those the viewer may see (listed by name) and the rest
    (counted: e.g. voorlopige aanvragen, which only the school sees; for the beheerder all of
    them). `regels` lists every one of them by dossiernummer, type, status and current
    aanvrager, ordered by status; `per_status` counts them per (type, status)."""

    schoolgegevens_ids: list[int]
    zichtbaar: list[Hulpvraag]
    niet_zichtbaar: int
    regels: list[VoorbeeldRegel] = field(default_factory=list)
    per_status: list[tuple[str, str, int]] = field(default_factory=list)


def personeelswijziging_preview(
    *, user: User, school: School, vertrekkend_email: str, vertrekkend: User | None = None
) -> Voorbeeld:
    ids = list(
        schoolgegevens_for_vertrekkende(
            school=school, vertrekkend=vertrekkend, vertrekkend_email=vertrekkend_email
        ).values_list("pk", flat=True)
    )
    open_hv = list(
        hulpvragen_open(hulpvragen_beheer_feiten_voor(user).filter(schoolgegevens_id__in=ids))
        .select_related("status", "schoolgegevens__aanvrager")
        .order_by("type", "status__volgorde", "leerling_id", "pk")
    )
    zichtbaar = list(
        hulpvragen_open(hulpvragen_visible_to(user).filter(schoolgegevens_id__in=ids))
        .select_related("leerling", "status")
        .order_by("leerling__achternaam", "pk")
    )
    namen = {hv.pk: hv.leerling.naam for hv in zichtbaar}
    regels = []
    per_status: dict[tuple[str, str], int] = {}
    for hv in open_hv:
        sg = hv.schoolgegevens
        aanvrager = (sg.aanvrager.get_full_name() or sg.aanvrager.username) if sg.aanvrager else ""
        aanvrager = " · ".join(x for x in (aanvrager or sg.contactpersoon, sg.email) if x)
        regels.append(
            VoorbeeldRegel(
                dossiernummer=hv.leerling_id,
                type=hv.get_type_display(),
                status=hv.status.naam,
                aanvrager=aanvrager,
                leerling_naam=namen.get(hv.pk),
            )
        )
        sleutel = (hv.get_type_display(), hv.status.naam)
        per_status[sleutel] = per_status.get(sleutel, 0) + 1
    return Voorbeeld(
        schoolgegevens_ids=ids,
        zichtbaar=zichtbaar,
        niet_zichtbaar=len(open_hv) - len(zichtbaar),
        regels=regels,
        per_status=[(t, st, n) for (t, st), n in per_status.items()],
    )


def personeelswijzigingen_for(*, user: User) -> QuerySet[Personeelswijziging]:
    """Loket/beheerder: every personeelswijziging of the organisation; a school: its own
    requests (those of its schools)."""
    qs = Personeelswijziging.objects.filter(organisatie_id=user.organisatie_id).select_related(  # type: ignore[misc]
        "school", "vertrekkend", "opvolger", "aangevraagd_door", "behandeld_door"
    )
    if is_swv_beheer(user):
        return qs
    if mag_in_eigen_organisatie(user, Recht.PERSONEELSWIJZIGING_AANVRAGEN):
        return qs.filter(school__in=user.scholen.all())
    return qs.none()


def scholen_for(*, user: User) -> QuerySet[School]:
    """The organisation's schools (closed ones too) with their bestuur and the number of open
    hulpvragen (a count, no pupil data)."""
    return (
        School.objects.filter(organisatie_id=user.organisatie_id)  # type: ignore[misc]
        .select_related("bestuur")
        .annotate(
            open_hulpvragen=Count(
                "schoolgegevens__hulpvragen",
                filter=open_q("schoolgegevens__hulpvragen__"),
            )
        )
        .order_by("-actief", "naam")
    )


def schoolwijzigingen_for(*, school: School) -> QuerySet:
    """This school's own changes, and the merges and closings that sent dossiers to it."""
    return (
        Schoolwijziging.objects.filter(Q(school=school) | Q(doel=school))
        .select_related("school", "doel")
        .order_by("-op", "-pk")
    )


@dataclass(frozen=True)
class HistorieRegel:
    """One line of a school's history, in Dutch: what happened, was, wordt, by whom."""

    op: datetime
    wijziging: str
    was: str
    wordt: str
    door: str


def _schoolveld_tekst(veld: str, waarde, besturen: dict[int, str]) -> str:
    labels = {
        "naam": _("naam"),
        "brin": _("BRIN"),
        "vestiging": _("vestiging"),
        "bestuur_id": _("bestuur"),
        "sector": _("sector"),
        "plaats": _("plaats"),
    }
    if veld == "bestuur_id":
        waarde = besturen.get(waarde, _("bestuur %(id)s (verwijderd)") % {"id": waarde})
    elif veld == "sector":
        waarde = dict(Sector.choices).get(waarde, waarde)
    elif waarde in ("", None):
        waarde = "–"
    return f"{labels.get(veld, veld)}: {waarde}"


def schoolhistorie_for(*, school: School) -> list[HistorieRegel]:
    """The school's history as the Beheer page shows it: field names and values in Dutch (the
    bestuur by name, the sector by label), a merge on both schools (the one that was merged and
    the one that continues), a closing with its open dossiers on the school that took them over.
    Two queries."""
    rijen = list(schoolwijzigingen_for(school=school))
    ids = {
        waarde
        for w in rijen
        for deel in (w.oud, w.nieuw)
        for veld, waarde in deel.items()
        if veld == "bestuur_id"
    }
    besturen = (
        dict(
            Bestuur.objects.filter(organisatie_id=school.organisatie_id, pk__in=ids).values_list(
                "pk", "naam"
            )
        )
        if ids
        else {}
    )

    def velden(deel: dict) -> str:
        return ", ".join(
            _schoolveld_tekst(veld, waarde, besturen)
            for veld, waarde in deel.items()
            if veld in ("naam", "brin", "vestiging", "bestuur_id", "sector", "plaats")
        )

    def dossiers(n: int) -> str:
        return ngettext("%(n)s dossier", "%(n)s dossiers", n) % {"n": n}

    def accounts(n: int) -> str:
        return ngettext("%(n)s account", "%(n)s accounts", n) % {"n": n}

    regels = []
    for w in rijen:
        soort = w.get_soort_display()
        hier = w.school_id == school.pk
        sg = len(w.oud.get("schoolgegevens", w.oud.get("open_schoolgegevens", [])))
        gebruikers = len(w.oud.get("gebruikers", []))
        if w.soort == SchoolwijzigingSoort.SAMENGEVOEGD:
            if hier:
                wijziging = _("Samengevoegd met %(doel)s (die school gaat door)") % {
                    "doel": w.doel.naam if w.doel else "?"
                }
                was = ", ".join([dossiers(sg), *([accounts(gebruikers)] if gebruikers else [])])
                wordt = _("naar %(doel)s; deze school is opgeheven") % {
                    "doel": w.doel.naam if w.doel else "?"
                }
            else:
                wijziging = _("%(bron)s is samengevoegd met deze school") % {"bron": w.school.naam}
                was = _("bij %(bron)s") % {"bron": w.school.naam}
                wordt = ", ".join(
                    [
                        _("%(dossiers)s overgenomen") % {"dossiers": dossiers(sg)},
                        *([accounts(gebruikers)] if gebruikers else []),
                    ]
                )
        elif w.soort == SchoolwijzigingSoort.GESLOTEN:
            if hier:
                wijziging = _("Opgeheven")
                was = _("%(dossiers)s met een open hulpvraag") % {"dossiers": dossiers(sg)}
                wordt = (
                    _("open hulpvragen naar %(doel)s") % {"doel": w.doel.naam}
                    if w.doel
                    else _("open hulpvragen blijven bij deze school")
                )
            else:
                wijziging = _("%(bron)s is opgeheven") % {"bron": w.school.naam}
                was = _("bij %(bron)s") % {"bron": w.school.naam}
                wordt = _("%(dossiers)s met een open hulpvraag overgenomen") % {
                    "dossiers": dossiers(sg)
                }
        else:
            wijziging = soort[:1].upper() + soort[1:]
            was, wordt = velden(w.oud) or "–", velden(w.nieuw) or "–"
        regels.append(HistorieRegel(w.op, wijziging, was, wordt, w.door_naam))
    return regels


def school_open_hulpvragen_for(*, user: User, school: School) -> tuple[list[Hulpvraag], int]:
    """The open hulpvragen of a school: those the user may see (listed, through the access
    module) and how many others there are."""
    alle = hulpvragen_open(Hulpvraag.objects.filter(schoolgegevens__school=school))
    zichtbaar = list(
        hulpvragen_open(hulpvragen_visible_to(user).filter(schoolgegevens__school=school))
        .select_related("leerling", "status")
        .order_by("leerling__achternaam", "pk")
    )
    return zichtbaar, alle.count() - len(zichtbaar)


# DESIGN §6: common terms are 3 years for referrals to special education (TLV), 2 otherwise.
STANDAARD_JAREN: dict[str, int] = {HulpvraagType.TLV_VSO: 3}


STANDAARD_JAREN_OVERIG = 2


def bewaartermijnen_for(*, organisatie_id: int) -> dict[str, int]:
    """Years to keep a closed dossier, per hulpvraag type, for this organisation."""
    termijnen = {t: STANDAARD_JAREN.get(t, STANDAARD_JAREN_OVERIG) for t in HulpvraagType.values}

    termijnen.update(
        Bewaartermijn.objects.filter(organisatie_id=organisatie_id).values_list("type", "jaren")
    )
    return termijnen


def _plus_jaren(d: date, jaren: int) -> date:
    try:
        return d.replace(year=d.year + jaren)
    except ValueError:  # 29 February
        return d.replace(year=d.year + jaren, day=28)


@dataclass
class Verlopen:
    leerling_id: int
    gesloten_op: date
    verloopt_op: date
    types: list[str]


def dossiers_verlopen_for(
    *, organisatie_id: int, vandaag: date, leerling_ids: list[int] | None = None
) -> list[Verlopen]:
    """Dossiers whose every hulpvraag is closed (in a final status of the engine that awaits no
    follow-up: not `open_q`) and
    whose retention term has passed for all of them: the term runs from the hulpvraag's last
    status change (when it was closed), per its type. One aggregate query."""
    termijnen = bewaartermijnen_for(organisatie_id=organisatie_id)
    qs = Hulpvraag.objects.filter(
        organisatie_id=organisatie_id, leerling__geanonimiseerd_op__isnull=True
    ).exclude(Exists(Hulpvraag.objects.filter(open_q(), leerling_id=OuterRef("leerling_id"))))
    if leerling_ids is not None:
        qs = qs.filter(leerling_id__in=leerling_ids)
    rows = qs.values("leerling_id", "type").annotate(gesloten=Max("statuswijzigingen__op"))
    per_leerling: dict[int, Verlopen] = {}
    for row in rows.order_by():
        gesloten = timezone.localdate(row["gesloten"])
        verloopt = _plus_jaren(gesloten, termijnen[row["type"]])
        item = per_leerling.get(row["leerling_id"])
        if item is None:
            per_leerling[row["leerling_id"]] = Verlopen(
                row["leerling_id"], gesloten, verloopt, [row["type"]]
            )
        else:
            item.gesloten_op = max(item.gesloten_op, gesloten)
            item.verloopt_op = max(item.verloopt_op, verloopt)
            item.types.append(row["type"])
    return sorted(
        (v for v in per_leerling.values() if v.verloopt_op <= vandaag),
        key=lambda v: (v.verloopt_op, v.leerling_id),
    )
