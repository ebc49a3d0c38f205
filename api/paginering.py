"""Keyset pagination: newest first by id, `na` = the opaque cursor of the last row seen.

No OFFSET: a page costs the same on page 1 and page 10,000, and rows added meanwhile never
shift a page (a client polling for new hulpvragen misses nothing and sees nothing twice)."""

from __future__ import annotations

import base64
import binascii

from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from hulpvragen.lijst import _decode as lijst_cursor_lezen
from hulpvragen.lijst import _encode as lijst_cursor_maken

STANDAARD = 50
MAXIMUM = 200


def cursor_maken(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode().rstrip("=")


def cursor_lezen(cursor: str) -> int:
    try:
        tekst = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        soort, _sep, waarde = tekst.partition(":")
        if soort != "id" or not waarde.isdigit() or int(waarde) > 2**63 - 1:
            raise ValueError
        return int(waarde)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise exceptions.ValidationError({"na": [_("Deze cursor is ongeldig.")]}) from None


class Keyset(BasePagination):
    def _aantal(self, request) -> int:
        ruw = request.query_params.get("aantal")
        if ruw in (None, ""):
            return STANDAARD
        try:
            aantal = int(ruw)
        except ValueError:
            aantal = 0
        if not 1 <= aantal <= MAXIMUM:
            raise exceptions.ValidationError(
                {"aantal": [_("Kies een aantal van 1 tot en met %(max)s.") % {"max": MAXIMUM}]}
            )
        return aantal

    def paginate_queryset(self, queryset, request, view=None):
        aantal = self._aantal(request)
        veld = getattr(view, "keyset_veld", None)
        if veld:
            return self._op_veld(queryset, request, aantal, veld)
        na = request.query_params.get("na")
        if na:
            queryset = queryset.filter(pk__lt=cursor_lezen(na))
        rijen = list(queryset.order_by("-pk")[: aantal + 1])
        self.volgende = None
        if len(rijen) > aantal:
            rijen = rijen[:aantal]
            self.volgende = replace_query_param(
                request.build_absolute_uri(), "na", cursor_maken(rijen[-1].pk)
            )
        return rijen

    def _op_veld(self, queryset, request, aantal: int, veld: str):
        """Newest `veld` first (then id), in two steps like the Hulpvragen screen
        (hulpvragen.lijst.pagineer): the page's ids and sort values on the narrow queryset, which
        an index (organisatie, -veld, -id) serves without sorting every visible row; then those
        rows with what the page shows. The cursor is the screen's own encoding."""
        na = request.query_params.get("na")
        if na:
            cursor = lijst_cursor_lezen(na)
            if cursor is None or not isinstance(cursor[1], int) or cursor[1] > 2**63 - 1:
                raise exceptions.ValidationError({"na": [_("Deze cursor is ongeldig.")]})
            waarde, pk = cursor
            queryset = queryset.filter(
                Q(**{f"{veld}__lte": waarde}) & (Q(**{f"{veld}__lt": waarde}) | Q(pk__lt=pk))
            )
        sleutels = list(queryset.order_by(f"-{veld}", "-pk").values_list("pk", veld)[: aantal + 1])
        self.volgende = None
        if len(sleutels) > aantal:
            sleutels = sleutels[:aantal]
            laatste_pk, laatste_waarde = sleutels[-1]
            self.volgende = replace_query_param(
                request.build_absolute_uri(), "na", lijst_cursor_maken(laatste_waarde, laatste_pk)
            )
        rijen = queryset.in_bulk([pk for pk, _w in sleutels])
        return [rijen[pk] for pk, _w in sleutels if pk in rijen]

    def get_paginated_response(self, data):
        return Response({"volgende": self.volgende, "resultaten": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["volgende", "resultaten"],
            "properties": {
                "volgende": {"type": "string", "format": "uri", "nullable": True},
                "resultaten": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "na",
                "in": "query",
                "required": False,
                "description": "Cursor: de waarde uit 'volgende' van de vorige pagina.",
                "schema": {"type": "string"},
            },
            {
                "name": "aantal",
                "in": "query",
                "required": False,
                "description": f"Aantal per pagina (1–{MAXIMUM}, standaard {STANDAARD}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAXIMUM},
            },
        ]
