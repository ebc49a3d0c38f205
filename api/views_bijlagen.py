"""Bijlagen of a hulpvraag: list, upload (the screens' checks and upload rule) and download."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api import serializers as s
from api.problemen import (
    Conflict,
    Onverwerkbaar,
    OpslagNietBeschikbaar,
)
from api.views import (
    IDEMPOTENCY_PARAM,
    ApiView,
    _audit,
    eenmalig_api,
)
from audit.models import InzageActie
from bijlagen.selectors import (
    bijlage_get_for,
    bijlage_upload_allowed,
    bijlagen_list_for,
    bijlagen_vereisten_for,
    documentsoort_default_for,
    vragen_gesteld,
)
from bijlagen.services import (
    OPSLAG_MISLUKT,
    OpslagMislukt,
    bestanden_check,
    bijlage_open_for_download,
    bijlagen_add,
)
from hulpvragen.access import (
    hulpvraag_get_for,
)
from kindkans.proxy import client_ip


class BijlagenView(ApiView):
    serializer_class = s.BijlageSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="De bijlagen van een hulpvraag",
        operation_id="bijlagen_lijst",
        responses=s.BijlageSerializer(many=True),
        tags=["bijlagen"],
    )
    def get(self, request, pk: int):
        hulpvraag = hulpvraag_get_for(request.user, pk)
        rijen = bijlagen_list_for(hulpvraag=hulpvraag)
        _audit(request, "bijlagen", leerling_id=hulpvraag.leerling_id, hulpvraag_id=hulpvraag.pk)
        return Response(self.get_serializer(rijen, many=True).data)

    @extend_schema(
        summary="Bijlagen uploaden (één uploadactie)",
        description=(
            "Dezelfde controles als het scherm Bijlagen: bestandssoort op inhoud, grootte, naam; "
            "en dezelfde regel van de statusmachine (een upload van de school na 'incompleet' of "
            "'vragen gesteld' zet de hulpvraag terug bij het loket). Wordt een bestand "
            "geweigerd, dan wordt niets toegevoegd (422, per bestand de reden)."
        ),
        tags=["bijlagen"],
        request={"multipart/form-data": s.BijlageUploadSerializer},
        responses={201: s.BijlageSerializer(many=True)},
        parameters=[IDEMPOTENCY_PARAM],
    )
    def post(self, request, pk: int):
        hulpvraag = hulpvraag_get_for(request.user, pk)
        if not bijlage_upload_allowed(user=request.user, hulpvraag=hulpvraag):
            raise exceptions.PermissionDenied(
                _("Bij deze hulpvraag kan deze koppeling geen bijlagen toevoegen.")
            )
        invoer = s.BijlageUploadSerializer(
            data={
                "bestanden": request.FILES.getlist("bestanden"),
                **{
                    k: request.data[k]
                    for k in ("documentsoort", "beantwoordt_vragen")
                    if k in request.data
                },
            }
        )
        invoer.is_valid(raise_exception=True)
        d = invoer.validated_data

        def werk():
            goed, afgewezen = bestanden_check(bestanden=d["bestanden"])
            if afgewezen:
                raise Onverwerkbaar(
                    _("Er is niets toegevoegd: %(n)s bestand(en) geweigerd.")
                    % {"n": len(afgewezen)},
                    errors=[
                        {"veld": "bestanden", "bestand": a.naam, "detail": str(a.melding)}
                        for a in afgewezen
                    ],
                )
            soort = d.get("documentsoort") or documentsoort_default_for(
                user=request.user,
                hulpvraag=hulpvraag,
                verplicht=list(bijlagen_vereisten_for(hulpvraag=hulpvraag).soorten),
            )
            try:
                bijlagen = bijlagen_add(
                    hulpvraag=hulpvraag,
                    door=request.user,
                    bestanden=goed,
                    beantwoordt_vragen=d["beantwoordt_vragen"] and vragen_gesteld(hulpvraag),
                    documentsoort=soort,
                )
            except OpslagMislukt:
                raise OpslagNietBeschikbaar(str(OPSLAG_MISLUKT)) from None
            _audit(
                request,
                "bijlage toegevoegd",
                actie=InzageActie.GEWIJZIGD,
                leerling_id=hulpvraag.leerling_id,
                hulpvraag_id=hulpvraag.pk,
                details=f"{len(bijlagen)} bijlage(n)",
            )
            return bijlagen[0]

        def antwoord(pk_eerste: int) -> Response:
            eerste = bijlage_get_for(hulpvraag=hulpvraag, pk=pk_eerste)
            rijen = bijlagen_list_for(hulpvraag=hulpvraag).filter(upload=eerste.upload)
            return Response(
                self.get_serializer(rijen, many=True).data, status=status.HTTP_201_CREATED
            )

        return eenmalig_api(request, werk, antwoord)


class BijlageView(ApiView):
    @extend_schema(
        summary="Een bijlage downloaden",
        description="409 zolang de virusscan loopt of het bestand in quarantaine staat.",
        tags=["bijlagen"],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk: int, bijlage_pk: int):
        hulpvraag = hulpvraag_get_for(request.user, pk)
        bijlage = bijlage_get_for(hulpvraag=hulpvraag, pk=bijlage_pk)
        if not bijlage.downloadbaar:
            raise Conflict(
                _(
                    "Deze bijlage is (nog) niet te downloaden: de virusscan loopt of hij staat "
                    "in quarantaine."
                )
            )
        bestand = bijlage_open_for_download(
            bijlage=bijlage, door=request.user, ip_adres=client_ip(request)
        )
        response = FileResponse(
            bestand, as_attachment=True, filename=bijlage.naam, content_type=bijlage.content_type
        )
        response["Cache-Control"] = "no-store, private"
        return response
