"""Errors as RFC 9457 problem details (`application/problem+json`) with a Dutch `detail`.

A validation error lists every field: `errors` is a list of {"veld", "pointer", "detail"}
(the pointer is a JSON Pointer into the request body). Anything the caller may not see answers
404 like a missing object, never 403 (as on the screens)."""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

PROBLEEM = "application/problem+json"
TYPE_BASIS = "https://kindkans.nl/api/problemen/"


class VoorwaardeMislukt(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "voorwaarde_mislukt"
    default_detail = "precondition failed"


class VoorwaardeVereist(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "voorwaarde_vereist"
    default_detail = "precondition required"


class Conflict(exceptions.APIException):
    """Already there (a pupil with this BSN): `extra` members (the existing pupil's id) go into
    the problem."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "conflict"

    def __init__(self, detail=None, **extra):
        super().__init__(detail)
        self.extra = extra


class Onverwerkbaar(Conflict):
    """The request is well-formed but the process refuses it (the status engine, a refused
    file): `extra` carries what is missing or the per-file reasons."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "geweigerd"
    default_detail = "unprocessable"


class OpslagNietBeschikbaar(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "opslag"
    default_detail = "storage unavailable"


TITELS = {
    400: _("Ongeldige invoer"),
    401: _("Niet aangemeld"),
    403: _("Niet toegestaan"),
    404: _("Niet gevonden"),
    405: _("Methode niet toegestaan"),
    406: _("Niet aanvaardbaar"),
    409: _("Conflict"),
    412: _("Gewijzigd sinds u keek"),
    413: _("Te groot"),
    415: _("Onbekend formaat"),
    422: _("Niet verwerkt"),
    428: _("If-Match ontbreekt"),
    429: _("Te veel verzoeken"),
    503: _("Tijdelijk niet beschikbaar"),
}


def _fouten(detail, pad=()) -> list[dict]:
    """Flatten DRF's nested error detail into one entry per field."""
    if isinstance(detail, dict):
        uit = []
        for sleutel, waarde in detail.items():
            uit += _fouten(waarde, (*pad, str(sleutel)))
        return uit
    if isinstance(detail, list):
        if detail and all(not isinstance(d, dict | list) for d in detail):
            veld = ".".join(pad) if pad else None
            return [
                {
                    "veld": veld if veld != "non_field_errors" else None,
                    "pointer": "#/" + "/".join(p for p in pad if p != "non_field_errors"),
                    "detail": str(d),
                }
                for d in detail
            ]
        uit = []
        for i, d in enumerate(detail):
            uit += _fouten(d, (*pad, str(i)))
        return uit
    veld = ".".join(pad) if pad else None
    return [{"veld": veld, "pointer": "#/" + "/".join(pad), "detail": str(detail)}]


def probleem(
    status_code: int, detail: str, *, code: str = "", extra: dict | None = None, headers=None
) -> Response:
    data = {
        "type": TYPE_BASIS + (code or str(status_code)),
        "title": str(TITELS.get(status_code, _("Fout"))),
        "status": status_code,
        "detail": str(detail),
        **(extra or {}),
    }
    return Response(data, status=status_code, headers=headers, content_type=PROBLEEM)


def exception_handler(exc, context):
    request = context.get("request")
    instance = request.path if request is not None else None
    if isinstance(exc, Http404 | DjangoPermissionDenied):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    extra = {"instance": instance, **getattr(exc, "extra", {})}
    code = getattr(exc, "default_code", "")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer realm="kindkans"'
        exc.status_code = status.HTTP_401_UNAUTHORIZED
        detail = (
            _("Stuur een token mee: Authorization: Bearer kk_…")
            if isinstance(exc, exceptions.NotAuthenticated)
            else str(exc.detail)
        )
    elif isinstance(exc, exceptions.ValidationError):
        fouten = _fouten(exc.detail)
        extra["errors"] = fouten
        detail = (
            _("Controleer de invoer: %(n)s fout(en).") % {"n": len(fouten)}
            if len(fouten) != 1
            else fouten[0]["detail"]
        )
    elif isinstance(exc, exceptions.NotFound):
        detail = _("Dit bestaat niet, of deze koppeling heeft er geen toegang toe.")
    elif isinstance(exc, exceptions.Throttled):
        wacht = math.ceil(exc.wait or 1)
        headers["Retry-After"] = str(wacht)
        detail = _(
            "Deze koppeling heeft het maximale aantal verzoeken per minuut bereikt. "
            "Probeer het over %(s)s seconden opnieuw."
        ) % {"s": wacht}
    elif isinstance(exc, exceptions.MethodNotAllowed):
        detail = _("De methode %(m)s kan hier niet.") % {"m": request.method if request else ""}
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        detail = _("Stuur JSON (application/json) of, bij een upload, multipart/form-data.")
    elif isinstance(exc, exceptions.NotAcceptable):
        detail = _("Deze API antwoordt alleen in JSON.")
    elif isinstance(exc, exceptions.ParseError):
        detail = _("De inhoud van het verzoek is geen geldige JSON.")
    else:
        detail = str(exc.detail)
    response = probleem(exc.status_code, detail, code=code, extra=extra, headers=headers)
    return response
