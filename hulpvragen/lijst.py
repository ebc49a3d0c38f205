"""The Hulpvragen screen: its columns, its search and filters, and keyset pagination.

Keyset ("seek") pagination: a page is the first N rows after the last row of the previous page in
the sort order (value, id), not OFFSET N*k. Page 2,000 costs what page 1 costs, on any sort that
has an index (the default, laatste datum, uses hulpvragen's (organisatie, -laatste_datum, -id)).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.forms.utils import flatatt
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Rol, User
from dossiers.models import Leerling
from dossiers.search import MIN_ZOEK_LENGTE, fold, leerlingen_matching
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.lijstgegevens import Lijstgegevens, lijstgegevens
from hulpvragen.models import Hulpvraag, HulpvraagType, Label, Status
from organisaties.models import School


def _datum(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return _datum_tekst(value, get_language())


@functools.lru_cache(maxsize=4096)
def _datum_tekst(value: dt.date, taal: str | None) -> str:
    # A page shows 100 rows with two dates each, mostly the same few days; Django's format lookup
    # per call was a measurable part of the page (benchmarks/hulpvragen_screen.py).
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class Kolom:
    key: str
    label: str
    # The cell's text from a row of rijen_laden (a dict: the values plus the names looked up).
    waarde: Callable[[dict[str, Any]], str]
    # The expression rows are sorted on (with id as tie-breaker), or None: not sortable.
    sorteer: Any = None


def _status(r: dict[str, Any]) -> str:
    """The status, and for a BAG that only reserves a date (manual, BAG step 4) those words."""
    if r["alleen_datum_gereserveerd"]:
        return f"{r['status']} — {_('Alleen datum gereserveerd')}"
    return r["status"]


_TYPES = dict(HulpvraagType.choices)

KOLOMMEN: dict[str, Kolom] = {
    k.key: k
    for k in [
        Kolom("naam", _("Leerling"), lambda r: r["naam"], "leerling__achternaam"),
        Kolom("dossiernummer", _("Dossiernummer"), lambda r: str(r["leerling_id"]), "leerling_id"),
        Kolom(
            "geboortedatum",
            _("Geboortedatum"),
            lambda r: _datum(r["leerling__geboortedatum"]),
            "leerling__geboortedatum",
        ),
        Kolom("type", _("Type"), lambda r: str(_TYPES.get(r["type"], r["type"])), "type"),
        Kolom("status", _("Status"), _status, "status__naam"),
        Kolom("school", _("School"), lambda r: r["school"], "schoolgegevens__school__naam"),
        Kolom(
            "hulpvraagdatum",
            _("Hulpvraagdatum"),
            lambda r: _datum(r["hulpvraagdatum"]),
            "hulpvraagdatum",
        ),
        Kolom(
            "laatste_datum",
            _("Laatste datum"),
            lambda r: _datum(r["laatste_datum"]),
            "laatste_datum",
        ),
        Kolom(
            "coordinator",
            _("Coördinator"),
            lambda r: r["coordinator"],
            Coalesce("coordinator__last_name", Value("")),
        ),
        Kolom("labels", _("Labels"), lambda r: r["labels"]),
    ]
}
STANDAARD_KOLOMMEN = [
    "naam",
    "dossiernummer",
    "type",
    "status",
    "school",
    "hulpvraagdatum",
    "laatste_datum",
]
STANDAARD_SORTERING = "-laatste_datum"
PAGINAGROOTTES = (10, 25, 50, 100)
STANDAARD_PAGINAGROOTTE = 25
# Counting stops here: an exact count of 80,000 rows on every page view is work nobody reads.
TEL_TOT = 1000
FILTERVELDEN = ("q", "type", "status", "school", "coordinator", "label", "van", "tot")


def kolommen_geldig(keys: list[str] | None) -> list[str]:
    chosen = [k for k in (keys or []) if k in KOLOMMEN]
    return list(dict.fromkeys(chosen)) or list(STANDAARD_KOLOMMEN)


def sortering_geldig(value: str | None) -> str:
    key = (value or "").removeprefix("-")
    if key in KOLOMMEN and KOLOMMEN[key].sorteer is not None:
        return value
    return STANDAARD_SORTERING


class LichteSelect(forms.Select):
    """A <select> whose options are joined with format_html instead of one template include per
    option: with the organisation's statuses, schools and coördinators that was about a third of
    the list page's Python time (benchmarks/hulpvragen_screen.py). Same escaping (format_html),
    same attributes (flatatt), no optgroups (the filters have none)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        opties = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (optie["value"], " selected" if optie["selected"] else "", optie["label"])
                for _groep, groep_opties, _index in widget["optgroups"]
                for optie in groep_opties
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), opties
        )


def rij_html(rij: dict[str, Any], kolommen: list[Kolom], url: str) -> SafeString:
    """One table row of the list; the first cell links to the hulpvraag. One string built per
    row, every cell escaped (html.escape, what Django's escape does): format_html per cell was
    a measurable part of the page (benchmarks/hulpvragen_screen.py)."""
    eerste, *rest = (escape(k.waarde(rij)) for k in kolommen)
    cellen = "".join(f"<td>{cel}</td>" for cel in rest)
    return SafeString(f'<tr><td><a href="{escape(url)}">{eerste}</a></td>{cellen}</tr>')


def _id_of_niets(value: str) -> int | None:
    return int(value) if value else None


class ZoekForm(forms.Form):
    """The search box and filters on top of the Hulpvragen screen (GET, works without JS).

    The choices come from the organisation's cached list data (hulpvragen/lijstgegevens.py), so
    neither showing the selects nor checking a chosen school, coördinator or label costs a
    query; the cleaned values are ids."""

    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False, widget=LichteSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=LichteSelect)
    school = forms.TypedChoiceField(
        label=_("School"),
        required=False,
        coerce=_id_of_niets,
        empty_value=None,
        widget=LichteSelect,
    )
    coordinator = forms.TypedChoiceField(
        label=_("Coördinator"),
        required=False,
        coerce=_id_of_niets,
        empty_value=None,
        widget=LichteSelect,
    )
    label = forms.TypedChoiceField(
        label=_("Label"), required=False, coerce=_id_of_niets, empty_value=None, widget=LichteSelect
    )
    van = forms.DateField(label=_("Hulpvraagdatum vanaf"), required=False)
    tot = forms.DateField(label=_("Hulpvraagdatum tot en met"), required=False)

    def __init__(self, *args, user: User, gegevens: Lijstgegevens, **kwargs):
        super().__init__(*args, **kwargs)
        alle = [("", _("Alle"))]
        self.fields["type"].choices = alle + list(HulpvraagType.choices)
        self.fields["status"].choices = alle + [(n, n) for n in gegevens.statusnamen]
        scholen = gegevens.scholen
        if user.rol == Rol.SCHOOL:
            eigen = set(user.scholen.values_list("pk", flat=True))
            scholen = [s for s in scholen if s[0] in eigen]
        elif user.rol == Rol.BEVOEGD_GEZAG:
            scholen = [s for s in scholen if s[2] == user.bestuur_id]
        self.fields["school"].choices = alle + [(str(pk), naam) for pk, naam, _b in scholen]
        self.fields["coordinator"].choices = alle + [
            (str(pk), naam) for pk, naam in gegevens.coordinatoren
        ]
        self.fields["label"].choices = alle + [(str(pk), naam) for pk, naam in gegevens.labels]

    def clean_q(self) -> str:
        q = " ".join(self.cleaned_data["q"].split())
        # A dossiernummer is matched exactly, so a short number is a fine search.
        if q and len(q) < MIN_ZOEK_LENGTE and not q.isdigit():
            raise forms.ValidationError(
                _("Zoek op minstens %(n)s tekens."), params={"n": MIN_ZOEK_LENGTE}
            )
        return q

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return data

    def as_saved(self) -> dict[str, str]:
        """The submitted values worth remembering (raw strings, as typed)."""
        return {k: self.data.get(k, "") for k in FILTERVELDEN if self.data.get(k, "")}


# Beyond this many matching pupils the ids stay a subquery instead of a literal list.
MAX_LEERLING_IDS = 5000


def _zoek(
    qs: QuerySet[Hulpvraag], *, q: str, organisatie_id: int, gegevens: Lijstgegevens
) -> QuerySet[Hulpvraag]:
    """Free text over what a row shows: pupil name (or dossiernummer, BSN, onderwijsnummer),
    type/title, school and status.

    The small lookups run first, each scoped to the organisation: matching pupils via the trigram
    index, schools and statuses in the organisation's cached list data (the same
    case-insensitive "contains" as icontains), types in their labels. What matched becomes one
    branch per kind on an indexed column of hulpvraag (leerling_id, schoolgegevens, status_id,
    proces_id), combined as `id IN (… UNION …)`. With the real id lists PostgreSQL estimates well
    and fetches the few matching rows by index, instead of filtering every row of a large
    organisation (measured in benchmarks/hulpvragen_screen.py; docs/screens.md)."""
    branches: list[Q] = []
    leerlingen = leerlingen_matching(Leerling.objects.filter(organisatie_id=organisatie_id), q)
    leerling_ids = list(leerlingen.values_list("pk", flat=True)[: MAX_LEERLING_IDS + 1])
    if len(leerling_ids) > MAX_LEERLING_IDS:
        branches.append(Q(leerling_id__in=leerlingen.values("pk")))
    elif leerling_ids:
        branches.append(Q(leerling_id__in=leerling_ids))
    groot = q.upper()
    school_ids = [pk for pk, naam, _bestuur in gegevens.scholen if groot in naam.upper()]
    if school_ids:
        branches.append(Q(schoolgegevens__school_id__in=school_ids))
    status_ids = [pk for pk, naam in gegevens.statussen.items() if groot in naam.upper()]
    if status_ids:
        branches.append(Q(status_id__in=sorted(status_ids)))
    folded = fold(q)
    types = [code for code, label in HulpvraagType.choices if folded in fold(str(label))]
    if types:
        branches.append(Q(proces__organisatie_id=organisatie_id, proces__type__in=types))
    if not branches:
        return qs.none()
    if len(branches) == 1:
        return qs.filter(branches[0])
    # Deliberately without organisatie_id: each branch is scoped already, and repeating it
    # makes PostgreSQL scan the whole organisation instead of the branch's index. The outer
    # queryset (access module) keeps the organisation and role rules.
    parts = [Hulpvraag.objects.filter(b).order_by().values("pk") for b in branches]
    return qs.filter(pk__in=parts[0].union(*parts[1:]))


def hulpvragen_zoeken(
    *, user: User, filters: dict[str, Any], gegevens: Lijstgegevens | None = None
) -> QuerySet[Hulpvraag]:
    """The rows of the Hulpvragen screen for cleaned filters, from the access module only."""
    if gegevens is None:
        gegevens = lijstgegevens(user.organisatie_id)
    qs = hulpvragen_visible_to(user)
    if filters.get("q"):
        qs = _zoek(qs, q=filters["q"], organisatie_id=user.organisatie_id, gegevens=gegevens)
    if filters.get("type"):
        qs = qs.filter(type=filters["type"])
    if filters.get("status"):
        # The organisation's statuses of that name as literal ids: the (organisatie, status,
        # -laatste_datum, -id) index then serves the filter in list order for the default sort,
        # where a subquery made PostgreSQL gather and sort the matching rows first.
        qs = qs.filter(status_id__in=gegevens.status_ids.get(filters["status"], ()))
    if filters.get("school"):
        qs = qs.filter(schoolgegevens__school=filters["school"])
    if filters.get("coordinator"):
        qs = qs.filter(coordinator=filters["coordinator"])
    if filters.get("label"):
        qs = qs.filter(labels=filters["label"])
    if filters.get("van"):
        qs = qs.filter(hulpvraagdatum__gte=filters["van"])
    if filters.get("tot"):
        qs = qs.filter(hulpvraagdatum__lte=filters["tot"])
    return qs


# --- Keyset pagination --------------------------------------------------------------------------


def _encode(value: Any, pk: int) -> str:
    if isinstance(value, dt.datetime):
        payload = ["dt", value.isoformat(), pk]
    elif isinstance(value, dt.date):
        payload = ["d", value.isoformat(), pk]
    else:
        payload = ["v", value, pk]
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[Any, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, value, pk = json.loads(raw)
        if kind == "dt":
            value = dt.datetime.fromisoformat(value)
        elif kind == "d":
            value = dt.date.fromisoformat(value)
        elif not isinstance(value, str | int | None):
            return None
        return value, int(pk)
    except (ValueError, TypeError, json.JSONDecodeError):
        return None


@dataclass
class Pagina:
    rijen: list[Any]
    volgende: str | None  # cursor for "Volgende"
    vorige: str | None  # cursor for "Vorige"
    is_eerste: bool
    # (count, capped) when the page's own fetch could count (the first page), else None.
    telling: tuple[int, bool] | None = None


def pagineer(
    qs: QuerySet[Hulpvraag],
    *,
    sortering: str,
    per: int,
    laad: Callable[[list[int]], dict[int, Any]],
    na: str = "",
    voor: str = "",
) -> Pagina:
    """One page in the sort order, after cursor `na` or before cursor `voor`.

    Two steps: the page's ids and sort values from the narrow, filtered queryset, then `laad`
    fetches those rows (a dict by id) with everything the row shows. Sorting hundreds of matches
    then never drags their pupil, school and user columns along. On the first page the same
    fetch reads up to TEL_TOT + 1 ids, so the count needs no second query over the same rows."""
    key = sortering.removeprefix("-")
    desc = sortering.startswith("-")
    expr = KOLOMMEN[key].sorteer
    qs = qs.annotate(_sort=F(expr) if isinstance(expr, str) else expr)
    backwards = bool(voor) and not na
    cursor = _decode(voor if backwards else na) if (na or voor) else None
    # Walking backwards is walking forwards in the opposite order, then flipping the page.
    forward_desc = desc != backwards
    if cursor is not None:
        value, pk = cursor
        if forward_desc:
            qs = qs.filter(Q(_sort__lte=value) & (Q(_sort__lt=value) | Q(pk__lt=pk)))
        else:
            qs = qs.filter(Q(_sort__gte=value) & (Q(_sort__gt=value) | Q(pk__gt=pk)))
    order = ["-_sort", "-pk"] if forward_desc else ["_sort", "pk"]
    keys_qs = qs.order_by(*order).values_list("pk", "_sort")
    telling = None
    if cursor is None and connections[qs.db].vendor == "postgresql":
        keys, telling = _sleutels_en_telling(keys_qs, per=per, aflopend=forward_desc)
    else:
        keys = list(keys_qs[: per + 1])
    more = len(keys) > per
    keys = keys[:per]
    if backwards:
        keys.reverse()
    if not keys:
        return Pagina([], None, None, cursor is None, telling)
    loaded = laad([pk for pk, _ in keys])
    rows = [loaded[pk] for pk, _ in keys if pk in loaded]
    first, last = keys[0], keys[-1]
    if backwards:
        volgende = _encode(last[1], last[0])
        vorige = _encode(first[1], first[0]) if more else None
    else:
        volgende = _encode(last[1], last[0]) if more else None
        vorige = _encode(first[1], first[0]) if cursor is not None else None
    return Pagina(rows, volgende, vorige, vorige is None, telling)


def _sleutels_en_telling(
    keys_qs: QuerySet, *, per: int, aflopend: bool
) -> tuple[list[tuple[Any, Any]], tuple[int, bool]]:
    """The first page's per + 1 keys and the count up to TEL_TOT from one query: PostgreSQL
    reads the first TEL_TOT + 1 matches once, counts them (a window over the capped set) and
    sends only the page's keys. A separate count would run the filters (a name search's
    UNION, the access rule's join) a second time; fetching all TEL_TOT + 1 keys into Python
    cost more than it saved (benchmarks/hulpvragen_screen.py)."""
    try:
        sql, params = keys_qs[: TEL_TOT + 1].query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (none(), an empty id list)
        return [], (0, False)
    richting = "DESC" if aflopend else "ASC"
    # The inner SQL is the ORM's own (its values stay parameters); richting is one of two words.
    buiten = (
        f'SELECT t."pk", t."_sort", count(*) OVER () FROM ({sql}) t'  # noqa: S608
        f' ORDER BY t."_sort" {richting}, t."pk" {richting} LIMIT %s'
    )
    with connections[keys_qs.db].cursor() as c:
        c.execute(buiten, (*params, per + 1))
        rijen = c.fetchall()
    n = rijen[0][2] if rijen else 0
    return [(pk, waarde) for pk, waarde, _n in rijen], (min(n, TEL_TOT), n > TEL_TOT)


# What a row of the list reads: no join but the pupil (its name and birth date) and the
# Schoolgegevens (its school id); the names of status, school and coördinator come from the
# organisation's cached list data. Dicts, not model instances: a page builds no objects.
RIJVELDEN = (
    "id",
    "leerling_id",
    "type",
    "status_id",
    "alleen_datum_gereserveerd",
    "hulpvraagdatum",
    "laatste_datum",
    "coordinator_id",
    "schoolgegevens__school_id",
    "leerling__roepnaam",
    "leerling__tussenvoegsel",
    "leerling__achternaam",
    "leerling__geboortedatum",
)


def _namen(bekend: dict[int, str], ids: set, laad: Callable[[set], Any]) -> dict[int, str]:
    """The cached names, plus the few an entry may not have yet (a row changed since the cache
    was filled in another process) from one query."""
    ontbrekend = {i for i in ids if i is not None} - bekend.keys()
    return {**bekend, **dict(laad(ontbrekend))} if ontbrekend else bekend


def rijen_laden(
    ids: list[int], *, gegevens: Lijstgegevens, met_labels: bool = False
) -> dict[int, dict[str, Any]]:
    """The rows with these ids (already checked by the access module's query) as dicts with the
    names each column shows: naam, status, school, coordinator and (met_labels) labels."""
    rijen = {r["id"]: r for r in Hulpvraag.objects.filter(pk__in=ids).values(*RIJVELDEN)}
    rij_lijst = rijen.values()
    statussen = _namen(
        gegevens.statussen,
        {r["status_id"] for r in rij_lijst},
        lambda x: Status.objects.filter(pk__in=x).values_list("pk", "naam"),
    )
    scholen = _namen(
        gegevens.schoolnamen,
        {r["schoolgegevens__school_id"] for r in rij_lijst},
        lambda x: School.objects.filter(pk__in=x).values_list("pk", "naam"),
    )
    gebruikers = _namen(
        gegevens.gebruikers,
        {r["coordinator_id"] for r in rij_lijst},
        lambda x: ((u.pk, str(u)) for u in User.objects.filter(pk__in=x)),
    )
    labels: dict[int, list[int]] = {}
    if met_labels:
        koppelingen = Hulpvraag.labels.through.objects.filter(hulpvraag_id__in=list(rijen))
        for hulpvraag_id, label_id in koppelingen.values_list("hulpvraag_id", "label_id"):
            labels.setdefault(hulpvraag_id, []).append(label_id)
        labelnamen = _namen(
            dict(gegevens.labels),
            {label_id for ids in labels.values() for label_id in ids},
            lambda x: Label.objects.filter(pk__in=x).values_list("pk", "naam"),
        )
        # In Label's ordering (by name, as the database sorts it), as elsewhere.
        positie = {pk: i for i, (pk, _naam) in enumerate(gegevens.labels)}
    for r in rij_lijst:
        r["naam"] = " ".join(
            p
            for p in (
                r["leerling__roepnaam"],
                r["leerling__tussenvoegsel"],
                r["leerling__achternaam"],
            )
            if p
        )
        r["status"] = statussen[r["status_id"]]
        r["school"] = scholen[r["schoolgegevens__school_id"]]
        c = r["coordinator_id"]
        r["coordinator"] = "-" if c is None else gebruikers[c]
        if met_labels:
            # In the order of the labels' names, as Label's ordering shows them elsewhere.
            eigen = sorted(labels.get(r["id"], ()), key=lambda pk: (positie.get(pk, 1 << 30), pk))
            r["labels"] = ", ".join(labelnamen[pk] for pk in eigen) or "-"
    return rijen


def tel(qs: QuerySet[Hulpvraag]) -> tuple[int, bool]:
    """(count, capped): the number of rows, counted up to TEL_TOT."""
    n = qs.order_by()[: TEL_TOT + 1].count()
    return min(n, TEL_TOT), n > TEL_TOT
