"""Which rows belong to an organisation: the query path from any model to its Organisatie.

Plain ORM introspection, below every app that scopes by organisation (the admin's mixin, the
export); it imports nothing but the Organisatie model.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from organisaties.models import Organisatie


def organisatie_lookup_for(model: type[models.Model]) -> str:
    """The query path from `model` to its Organisatie: "pk" for Organisatie itself,
    "organisatie" for the usual field, or one or two foreign keys further
    (e.g. Status → "proces__organisatie"). Fails loudly for a model without one, so a new
    relation can never show another organisation's rows by accident."""
    if model is Organisatie:
        return "pk"
    frontier: list[tuple[str, type[models.Model]]] = [("", model)]
    for _depth in range(3):
        next_frontier = []
        for prefix, current in frontier:
            for field in current._meta.get_fields():
                if not ((field.many_to_one or field.one_to_one) and field.concrete):
                    continue
                path = f"{prefix}{field.name}"
                if field.related_model is Organisatie:
                    return path
                next_frontier.append((f"{path}__", field.related_model))
        frontier = next_frontier
    raise ImproperlyConfigured(f"{model.__name__} has no path to an Organisatie")


def scope_to_organisatie(queryset: models.QuerySet, organisatie_id: int | None) -> models.QuerySet:
    if organisatie_id is None:
        return queryset.none()
    return queryset.filter(**{organisatie_lookup_for(queryset.model): organisatie_id})
