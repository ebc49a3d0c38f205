"""The REST API (/api/v1/). Every endpoint is a thin layer: it finds objects through the access
module (404 for anything the client's account may not see), checks the capability module and the
client's scope, validates input with the screens' own forms, calls the services and writes the
audit log with the client's account as the actor. No second write path."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db.models import Model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.eenmalig import AlVerstuurd, eenmalig_claim
from accounts.rechten import Recht, mag_in_eigen_organisatie
from api import serializers as s
from api.problemen import (
    Onverwerkbaar,
    probleem,
)
from audit.models import InzageActie
from audit.services import inzage_record
from dossiers.dossier_forms import scholen_for
from hulpvragen.selectors import (
    hulpvraag_types_for_school,
)


def _vormfouten(form, veldnamen: dict[str, str] | None = None) -> exceptions.ValidationError:
    """A screen form's Dutch errors as the API's per-field errors (field names mapped to the
    request body's paths)."""
    veldnamen = veldnamen or {}
    fouten: dict = {}
    for veld, lijst in form.errors.items():
        pad = veldnamen.get(veld, veld if veld != "__all__" else "non_field_errors")
        doel = fouten
        delen = pad.split(".")
        for deel in delen[:-1]:
            doel = doel.setdefault(deel, {})
        doel.setdefault(delen[-1], []).extend(str(m) for m in lijst)
    return exceptions.ValidationError(fouten)


def _audit(request, onderdeel: str, *, actie=InzageActie.BEKEKEN, **kwargs) -> None:
    inzage_record(gebruiker=request.user, onderdeel=f"api: {onderdeel}", actie=actie, **kwargs)


IDEMPOTENCY_KEY = "Idempotency-Key"
IDEMPOTENCY_PARAM = OpenApiParameter(
    IDEMPOTENCY_KEY,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Een eigen unieke sleutel per verzoek (bijvoorbeeld een UUID). Een herhaald verzoek met "
        "dezelfde sleutel maakt niets opnieuw en krijgt hetzelfde antwoord (twee dagen lang)."
    ),
)


def _vingerafdruk(request) -> str:
    """What the request asked, so a key reused for another request is refused."""
    velden = []
    for sleutel in sorted(request.data.keys()) if hasattr(request.data, "keys") else []:
        waarden = (
            request.data.getlist(sleutel)
            if hasattr(request.data, "getlist")
            else [request.data[sleutel]]
        )
        velden.append([sleutel, [str(w) for w in waarden]])
    bestanden = [
        [sleutel, [(f.name, f.size) for f in request.FILES.getlist(sleutel)]]
        for sleutel in sorted(request.FILES.keys())
    ]
    ruw = json.dumps([request.path, velden, bestanden], sort_keys=True, default=str)
    return hashlib.sha256(ruw.encode()).hexdigest()


def eenmalig_api(request, werk: Callable[[], Model], antwoord: Callable[[int], Response]):
    """Run `werk` (which creates and returns an object) at most once per Idempotency-Key of this
    client, through the same one-time claim as the screens' forms (accounts.eenmalig): the key's
    row is written in the work's transaction. A retry gets `antwoord(pk)` of the first object
    again, marked `Idempotent-Replayed: true`; the same key with another request: 422."""
    sleutel = request.headers.get(IDEMPOTENCY_KEY, "").strip()
    if len(sleutel) > 200:
        raise exceptions.ValidationError(
            {IDEMPOTENCY_KEY: [_("Een Idempotency-Key is hoogstens 200 tekens.")]}
        )
    token = ""
    if sleutel:
        client_id = request.auth.client_id
        token = "api:" + hashlib.sha256(f"{client_id}:{sleutel}".encode()).hexdigest()[:60]
    vingerafdruk = _vingerafdruk(request)
    try:
        with eenmalig_claim(token=token, gebruiker=request.user) as claim:
            obj = werk()
            claim.resultaat(url=request.path, melding=vingerafdruk, object=obj)
    except AlVerstuurd as eerder:
        inzending = eerder.inzending
        if inzending is None or inzending.melding != vingerafdruk or not inzending.object_id:
            raise Onverwerkbaar(
                _("Deze Idempotency-Key is al gebruikt voor een ander verzoek. Kies een nieuwe.")
            ) from None
        response = antwoord(inzending.object_id)
        response["Idempotent-Replayed"] = "true"
        return response
    return antwoord(obj.pk)


MAX_ID = 2**63 - 1  # a database id never exceeds a signed 64-bit integer


def _id_param(request, naam: str) -> int | None:
    ruw = request.query_params.get(naam, "").strip()
    if not ruw:
        return None
    if not ruw.isdigit() or int(ruw) > MAX_ID:
        raise exceptions.ValidationError({naam: [_("Geef een id (een positief geheel getal).")]})
    return int(ruw)


class ApiView(GenericAPIView):
    # The token is the login: the two-factor middleware (sessions) leaves these views alone.
    kindkans_openbaar = True
    pagination_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # An id no database row can have does not exist (not a database error).
        if any(isinstance(v, int) and v > MAX_ID for v in kwargs.values()):
            raise exceptions.NotFound

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Pupil data: never in a shared or browser cache.
        response["Cache-Control"] = "no-store, private"
        return response

    def _schrijver(self) -> None:
        """Creating pupils and hulpvragen is the role's capability, like the screens' Toevoegen."""
        if not mag_in_eigen_organisatie(self.request.user, Recht.HULPVRAAG_INDIENEN):
            raise exceptions.PermissionDenied(_("Deze koppeling mag geen dossiers aanmaken."))


class ScholenView(ApiView):
    serializer_class = s.SchoolSerializer

    @extend_schema(
        summary="De scholen van deze koppeling",
        responses=s.SchoolSerializer(many=True),
        tags=["scholen"],
    )
    def get(self, request):
        scholen = list(scholen_for(request.user))
        data = [
            {
                "id": school.pk,
                "naam": school.naam,
                "brin": school.brin,
                "vestiging": school.vestiging,
                "sector": school.sector,
                "typen": hulpvraag_types_for_school(school=school),
            }
            for school in scholen
        ]
        return Response(s.SchoolSerializer(data, many=True).data)


def niet_gevonden(request, *args, **kwargs):
    """Unknown paths under /api/: a problem, not the HTML 404 page."""
    from rest_framework.renderers import JSONRenderer

    response = probleem(
        404, _("Dit adres bestaat niet in de API."), extra={"instance": request.path}
    )
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = "application/problem+json"
    response.renderer_context = {}
    response["Cache-Control"] = "no-store, private"
    return response.render()


niet_gevonden.kindkans_openbaar = True
