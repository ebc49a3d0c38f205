"""Per-organisation data the Hulpvragen screen needs on every request — the statuses, schools,
coördinators and labels of its filter selects, and the names its rows show for a status, school
or coördinator id — from Django's cache instead of four to five queries per page.

The cache is Redis in production (shared by all web workers) and local memory without REDIS_URL.
An entry is deleted after the commit of every save or delete of a Status, Proces, School, User
or Label of the organisation (signals below, so the admin, the services and the commands are all
covered), and expires after CACHE_SECONDEN in any case: a change made past the ORM's signals (a
bulk update in SQL) or in another process with a per-process cache shows within minutes. Nothing
here decides access: the rows themselves always come from the access module's query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from accounts.models import Rol, User
from hulpvragen.models import Label, Proces, Status
from organisaties.models import School

CACHE_SECONDEN = 300
# Bumped when the shape of Lijstgegevens changes, so a deploy never reads an old entry.
_VERSIE = 1


@dataclass(frozen=True)
class Lijstgegevens:
    statussen: dict[int, str]  # status id → naam (every process and version)
    status_ids: dict[str, tuple[int, ...]]  # naam → the ids of the statuses with that name
    scholen: tuple[tuple[int, str, int | None], ...]  # (id, naam, bestuur id), by naam
    schoolnamen: dict[int, str]  # school id → naam
    coordinatoren: tuple[tuple[int, str], ...]  # active loket users (id, name), by name
    gebruikers: dict[int, str]  # every loket user id → name, for the Coördinator column
    labels: tuple[tuple[int, str], ...]  # (id, naam), by naam

    statusnamen: tuple[str, ...]  # distinct, as the database sorts them


def _sleutel(organisatie_id: int) -> str:
    return f"kindkans:lijstgegevens:{_VERSIE}:{organisatie_id}"


def _laden(organisatie_id: int) -> Lijstgegevens:
    statussen: dict[int, str] = {}
    status_ids: dict[str, list[int]] = {}
    for pk, naam in (
        Status.objects.filter(proces__organisatie_id=organisatie_id)
        .order_by("naam", "pk")
        .values_list("pk", "naam")
    ):
        statussen[pk] = naam
        status_ids.setdefault(naam, []).append(pk)
    lokets = [
        (u.pk, str(u), u.is_active)
        for u in User.objects.filter(organisatie_id=organisatie_id, rol=Rol.SWV_LOKET)
        .order_by("last_name", "first_name", "pk")
        .only("pk", "first_name", "last_name", "username", "is_active")
    ]
    scholen = tuple(
        School.objects.filter(organisatie_id=organisatie_id)
        .order_by("naam", "pk")
        .values_list("pk", "naam", "bestuur_id")
    )
    return Lijstgegevens(
        statussen=statussen,
        status_ids={naam: tuple(ids) for naam, ids in status_ids.items()},
        statusnamen=tuple(status_ids),  # dicts keep insertion order: the database's sort
        scholen=scholen,
        schoolnamen={pk: naam for pk, naam, _bestuur in scholen},
        coordinatoren=tuple((pk, naam) for pk, naam, actief in lokets if actief),
        gebruikers={pk: naam for pk, naam, _actief in lokets},
        labels=tuple(
            Label.objects.filter(organisatie_id=organisatie_id)
            .order_by("naam", "pk")
            .values_list("pk", "naam")
        ),
    )


def lijstgegevens(organisatie_id: int) -> Lijstgegevens:
    sleutel = _sleutel(organisatie_id)
    gegevens = cache.get(sleutel)
    if gegevens is None:
        gegevens = _laden(organisatie_id)
        cache.set(sleutel, gegevens, CACHE_SECONDEN)
    return gegevens


def lijstgegevens_vergeten(organisatie_id: int | None) -> None:
    """Drop the organisation's entry now (this transaction's own later reads see the change)
    and again once the transaction commits: a request that read the old rows before the commit
    cannot leave them in the cache after it."""
    if organisatie_id is not None:
        sleutel = _sleutel(organisatie_id)
        cache.delete(sleutel)
        transaction.on_commit(lambda: cache.delete(sleutel))


def _organisatie_van(instance) -> int | None:
    if isinstance(instance, Status):
        # The process row may already be gone (a cascade delete): its id is enough.
        return (
            Proces.objects.filter(pk=instance.proces_id)
            .values_list("organisatie_id", flat=True)
            .first()
        )
    return instance.organisatie_id


def _gewijzigd(sender, instance, **kwargs) -> None:
    lijstgegevens_vergeten(_organisatie_van(instance))


for _model in (Status, Proces, School, User, Label):
    post_save.connect(_gewijzigd, sender=_model, dispatch_uid=f"lijstgegevens-{_model.__name__}")
    post_delete.connect(_gewijzigd, sender=_model, dispatch_uid=f"lijstgegevens-{_model.__name__}")
