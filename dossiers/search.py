"""Pupil name search shared by the Hulpvragen screen and the wizard's "search first".

PostgreSQL: the expression below is exactly the one indexed with gin_trgm_ops in migration
dossiers 0004, so `LIKE '%woord%'` per word uses that index; accents are folded on both sides.
SQLite (the embedded demo and the quick test run): the same SQL, with kindkans_unaccent registered
as a Python function on every new connection (dossiers.apps), so both behave alike.
"""

from __future__ import annotations

import unicodedata

from django.db.models import CharField, F, Func, Q, QuerySet

from dossiers.models import Leerling

MIN_ZOEK_LENGTE = 3


def fold(text: str) -> str:
    """Lower case without accents, the way PostgreSQL's unaccent(lower()) folds it."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def zoekwoorden(q: str) -> list[str]:
    """The folded words of q. Words under 3 characters ("de", "v") give a trigram index nothing
    to use, so they only count when there is no longer word."""
    words = [w for w in fold(q).split() if w]
    long_words = [w for w in words if len(w) >= MIN_ZOEK_LENGTE]
    return long_words or words


class ZoekNaam(Func):
    # Must stay character-for-character the indexed expression of migration 0004.
    template = "kindkans_unaccent(lower(%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = CharField()

    def __init__(self):
        super().__init__(F("roepnaam"), F("voornamen"), F("tussenvoegsel"), F("achternaam"))


def leerlingen_matching(qs: QuerySet[Leerling], q: str) -> QuerySet[Leerling]:
    """Pupils whose name contains every word of q, or whose dossiernummer, BSN or
    onderwijsnummer is q."""
    words = zoekwoorden(q)
    exact = Q()
    digits = q.strip()
    if digits.isdigit():
        exact = Q(bsn=digits) | Q(onderwijsnummer=digits)
        if len(digits) <= 12:
            exact |= Q(pk=int(digits))
    if not words:
        return qs.none()
    name = Q()
    for w in words:
        name &= Q(zoeknaam__contains=w)
    return qs.alias(zoeknaam=ZoekNaam()).filter(name | exact if exact else name)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: give SQLite the kindkans_unaccent() PostgreSQL has."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "kindkans_unaccent", 1, lambda v: None if v is None else fold(v), deterministic=True
        )
