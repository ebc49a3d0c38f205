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
from typing import Any

from django import forms
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
    waarde: Callable[[Hulpvraag], str]
    # The expression rows are sorted on (with id as tie-breaker), or None: not sortable.
    sorteer: Any = None


def _status(h: Hulpvraag) -> str:
    """The status, and for a BAG that only reserves a date (manual, BAG step 4) those words."""
    if h.alleen_datum_gereserveerd:
        return f"{h.status.naam} — {_('Alleen datum gereserveerd')}"
    return h.status.naam


KOLOMMEN: dict[str, Kolom] = {
    k.key: k
    for k in [
        Kolom("naam", _("Leerling"), lambda h: h.leerling.naam, "leerling__achternaam"),
        Kolom("dossiernummer", _("Dossiernummer"), lambda h: str(h.leerling_id), "leerling_id"),
        Kolom(
            "geboortedatum",
            _("Geboortedatum"),
            lambda h: _datum(h.leerling.geboortedatum),
            "leerling__geboortedatum",
        ),
        Kolom("type", _("Type"), lambda h: h.get_type_display(), "type"),
        Kolom("status", _("Status"), lambda h: _status(h), "status__naam"),
        Kolom(
            "school",
            _("School"),
            lambda h: h.schoolgegevens.school.naam,
            "schoolgegevens__school__naam",
        ),
        Kolom(
            "hulpvraagdatum",
            _("Hulpvraagdatum"),
            lambda h: _datum(h.hulpvraagdatum),
            "hulpvraagdatum",
        ),
        Kolom(
            "laatste_datum", _("Laatste datum"), lambda h: _datum(h.laatste_datum), "laatste_datum"
        ),
        Kolom(
            "coordinator",
            _("Coördinator"),
            lambda h: str(h.coordinator) if h.coordinator else "-",
            Coalesce("coordinator__last_name", Value("")),
        ),
        Kolom(
            "labels",
            _("Labels"),
            lambda h: ", ".join(label.naam for label in h.labels.all()) or "-",
        ),
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


def rij_html(hulpvraag: Hulpvraag, kolommen: list[Kolom], url: str) -> SafeString:
    """One table row of the list; the first cell links to the hulpvraag. Built here with
    format_html (every cell escaped) rather than by nested template loops over 100 rows × the
    chosen columns, which dominated the page's Python time (benchmarks/hulpvragen_screen.py)."""
    cellen = [k.waarde(hulpvraag) for k in kolommen]
    return format_html(
        '<tr><td><a href="{}">{}</a></td>{}</tr>',
        url,
        cellen[0],
        format_html_join("", "<td>{}</td>", ((cel,) for cel in cellen[1:])),
    )


class ZoekForm(forms.Form):
    """The search box and filters on top of the Hulpvragen screen (GET, works without JS)."""

    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False, widget=LichteSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=LichteSelect)
    school = forms.ModelChoiceField(
        label=_("School"), required=False, queryset=School.objects.none(), widget=LichteSelect
    )
    coordinator = forms.ModelChoiceField(
        label=_("Coördinator"), required=False, queryset=User.objects.none(), widget=LichteSelect
    )
    label = forms.ModelChoiceField(
        label=_("Label"), required=False, queryset=Label.objects.none(), widget=LichteSelect
    )
    van = forms.DateField(label=_("Hulpvraagdatum vanaf"), required=False)
    tot = forms.DateField(label=_("Hulpvraagdatum tot en met"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        org = user.organisatie_id
        alle = [("", _("Alle"))]
        self.fields["type"].choices = alle + list(HulpvraagType.choices)
        namen = (
            Status.objects.filter(proces__organisatie_id=org)
            .order_by("naam")
            .values_list("naam", flat=True)
            .distinct()
        )
        self.fields["status"].choices = alle + [(n, n) for n in namen]
        scholen = School.objects.filter(organisatie_id=org)
        if user.rol == Rol.SCHOOL:
            scholen = scholen.filter(pk__in=user.scholen.values("pk"))
        elif user.rol == Rol.BEVOEGD_GEZAG:
            scholen = scholen.filter(bestuur_id=user.bestuur_id)
        self.fields["school"].queryset = scholen
        self.fields["coordinator"].queryset = User.objects.filter(
            organisatie_id=org, rol=Rol.SWV_LOKET, is_active=True
        ).order_by("last_name", "first_name")
        self.fields["label"].queryset = Label.objects.filter(organisatie_id=org)
        for name in ("school", "coordinator", "label"):
            self.fields[name].empty_label = _("Alle")

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


def _zoek(qs: QuerySet[Hulpvraag], *, q: str, organisatie_id: int) -> QuerySet[Hulpvraag]:
    """Free text over what a row shows: pupil name (or dossiernummer, BSN, onderwijsnummer),
    type/title, school and status.

    The small lookups (matching pupils via the trigram index, schools, statuses, processes) run
    first, each scoped to the organisation; what matched becomes one branch per kind on an
    indexed column of hulpvraag (leerling_id, schoolgegevens, status_id, proces_id), combined
    as `id IN (… UNION …)`. With the real id lists PostgreSQL estimates well and fetches the
    few matching rows by index, instead of filtering every row of a large organisation
    (measured in benchmarks/hulpvragen_screen.py; docs/screens.md)."""
    branches: list[Q] = []
    leerlingen = leerlingen_matching(Leerling.objects.filter(organisatie_id=organisatie_id), q)
    leerling_ids = list(leerlingen.values_list("pk", flat=True)[: MAX_LEERLING_IDS + 1])
    if len(leerling_ids) > MAX_LEERLING_IDS:
        branches.append(Q(leerling_id__in=leerlingen.values("pk")))
    elif leerling_ids:
        branches.append(Q(leerling_id__in=leerling_ids))
    school_ids = list(
        School.objects.filter(organisatie_id=organisatie_id, naam__icontains=q).values_list(
            "pk", flat=True
        )
    )
    if school_ids:
        branches.append(Q(schoolgegevens__school_id__in=school_ids))
    status_ids = list(
        Status.objects.filter(proces__organisatie_id=organisatie_id, naam__icontains=q).values_list(
            "pk", flat=True
        )
    )
    if status_ids:
        branches.append(Q(status_id__in=status_ids))
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


def hulpvragen_zoeken(*, user: User, filters: dict[str, Any]) -> QuerySet[Hulpvraag]:
    """The rows of the Hulpvragen screen for cleaned filters, from the access module only."""
    qs = hulpvragen_visible_to(user)
    if filters.get("q"):
        qs = _zoek(qs, q=filters["q"], organisatie_id=user.organisatie_id)
    if filters.get("type"):
        qs = qs.filter(type=filters["type"])
    if filters.get("status"):
        # The status rows of this organisation by name: the (organisatie, status, -laatste_datum,
        # -id) index then serves the filter (in list order for the default sort), instead of
        # every organisation's rows of that status_id.
        statussen = Status.objects.filter(
            proces__organisatie_id=user.organisatie_id, naam=filters["status"]
        )
        qs = qs.filter(status_id__in=statussen.values("pk"))
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
    rijen: list[Hulpvraag]
    volgende: str | None  # cursor for "Volgende"
    vorige: str | None  # cursor for "Vorige"
    is_eerste: bool


def pagineer(
    qs: QuerySet[Hulpvraag],
    *,
    sortering: str,
    per: int,
    na: str = "",
    voor: str = "",
    laad: Callable[[list[int]], QuerySet[Hulpvraag]] | None = None,
) -> Pagina:
    """One page in the sort order, after cursor `na` or before cursor `voor`.

    Two steps: the page's ids and sort values from the narrow, filtered queryset, then `laad`
    fetches those rows with everything the row shows. Sorting hundreds of matches then never
    drags their pupil, school and user columns along."""
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
    keys = list(qs.order_by(*order).values_list("pk", "_sort")[: per + 1])
    more = len(keys) > per
    keys = keys[:per]
    if backwards:
        keys.reverse()
    if not keys:
        return Pagina([], None, None, cursor is None)
    loaded = {h.pk: h for h in (laad or _laad_standaard)([pk for pk, _ in keys])}
    rows = [loaded[pk] for pk, _ in keys if pk in loaded]
    first, last = keys[0], keys[-1]
    if backwards:
        volgende = _encode(last[1], last[0])
        vorige = _encode(first[1], first[0]) if more else None
    else:
        volgende = _encode(last[1], last[0]) if more else None
        vorige = _encode(first[1], first[0]) if cursor is not None else None
    return Pagina(rows, volgende, vorige, vorige is None)


def _laad_standaard(ids: list[int]) -> QuerySet[Hulpvraag]:
    return Hulpvraag.objects.filter(pk__in=ids).select_related(
        "leerling", "schoolgegevens__school", "status", "coordinator"
    )


def tel(qs: QuerySet[Hulpvraag]) -> tuple[int, bool]:
    """(count, capped): the number of rows, counted up to TEL_TOT."""
    n = qs.order_by()[: TEL_TOT + 1].count()
    return min(n, TEL_TOT), n > TEL_TOT
