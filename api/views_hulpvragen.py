"""Hulpvragen: create, list, read, Statushistorie, transitions and the status change."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from accounts.rechten import Recht, mag
from api import serializers as s
from api.paginering import Keyset
from api.problemen import (
    Onverwerkbaar,
    VoorwaardeMislukt,
    VoorwaardeVereist,
)
from api.views import (
    IDEMPOTENCY_PARAM,
    ApiView,
    _audit,
    _id_param,
    _vormfouten,
    eenmalig_api,
)
from dossiers.dossier_forms import HulpvraagForm
from dossiers.services_wizard import hulpvraag_add
from dossiers.views_toevoegen import schoolgegevens_voor_nieuwe_hulpvraag
from hulpvragen.access import (
    hulpvraag_get_for,
    hulpvragen_visible_to,
    leerling_get_for,
)
from hulpvragen.models import Hulpvraag
from hulpvragen.selectors import (
    available_transitions,
    hulpvraag_type_choices_for_school,
    statuswijzigingen_for,
)
from hulpvragen.services import (
    StatusWijzigingGeweigerd,
    VerouderdeStatus,
    hulpvraag_change_status,
)


def _hulpvragen(user):
    return hulpvragen_visible_to(user).select_related("status", "schoolgegevens")


class HulpvragenView(ApiView):
    serializer_class = s.HulpvraagSerializer
    pagination_class = Keyset
    # Most recently changed first: what a polling LVS wants, and the order the Hulpvragen
    # screen's index (organisatie, -laatste_datum, -id) serves.
    keyset_veld = "laatste_datum"

    @extend_schema(
        summary="Hulpvragen, laatst gewijzigd eerst",
        operation_id="hulpvragen_lijst",
        responses=s.HulpvraagSerializer(many=True),
        tags=["hulpvragen"],
        parameters=[OpenApiParameter("leerling", int, description="Alleen van deze leerling.")],
    )
    def get(self, request):
        qs = _hulpvragen(request.user)
        leerling = _id_param(request, "leerling")
        if leerling is not None:
            qs = qs.filter(leerling_id=leerling)
        pagina = self.paginate_queryset(qs)
        _audit(request, "hulpvragen", details=f"{len(pagina)} getoond")
        return self.get_paginated_response(self.get_serializer(pagina, many=True).data)

    @extend_schema(
        summary="Een hulpvraag aanmaken (voorlopige aanvraag)",
        description=(
            "Voor een leerling van een school van deze koppeling, met een type dat voor die "
            "school wordt aangeboden (GET /scholen/). De hulpvraag begint als voorlopige "
            "aanvraag, zoals in het scherm."
        ),
        tags=["hulpvragen"],
        request=s.HulpvraagInSerializer,
        responses={201: s.HulpvraagSerializer},
        parameters=[IDEMPOTENCY_PARAM],
    )
    def post(self, request):
        self._schrijver()
        return eenmalig_api(
            request,
            lambda: self._maak(request),
            lambda pk: Response(
                self.get_serializer(_hulpvragen(request.user).get(pk=pk)).data,
                status=status.HTTP_201_CREATED,
            ),
        )

    def _maak(self, request):
        invoer = s.HulpvraagInSerializer(data=request.data)
        invoer.is_valid(raise_exception=True)
        d = invoer.validated_data
        try:
            leerling = leerling_get_for(request.user, d["leerling"])
        except Http404:
            raise exceptions.ValidationError(
                {"leerling": [_("Deze leerling bestaat niet of hoort niet bij deze koppeling.")]}
            ) from None
        sg = schoolgegevens_voor_nieuwe_hulpvraag(request.user, leerling)
        if sg is None:
            raise exceptions.ValidationError(
                {"leerling": [_("Deze leerling staat niet ingeschreven op een school van u.")]}
            )
        form = HulpvraagForm(
            {"type": d["type"], "omschrijving": d["omschrijving"]},
            user=request.user,
            types=hulpvraag_type_choices_for_school(school=sg.school),
            namen=[leerling.roepnaam, leerling.achternaam, leerling.voornamen],
        )
        if not form.is_valid():
            raise _vormfouten(form)
        return hulpvraag_add(
            schoolgegevens=sg,
            door=request.user,
            type=form.cleaned_data["type"],
            omschrijving=form.cleaned_data["omschrijving"],
        )


def etag_van(hulpvraag) -> str:
    """Changes whenever the status does (the history only grows)."""
    laatste = (
        statuswijzigingen_for(hulpvraag=hulpvraag).order_by("-id").values_list("id", flat=True)
    ).first()
    return f'"{hulpvraag.pk}-{hulpvraag.status_id}-{laatste or 0}"'


class HulpvraagView(ApiView):
    serializer_class = s.HulpvraagSerializer

    @extend_schema(summary="Eén hulpvraag, met ETag voor If-Match", tags=["hulpvragen"])
    def get(self, request, pk: int):
        hulpvraag = hulpvraag_get_for(request.user, pk)
        _audit(request, "hulpvraag", leerling_id=hulpvraag.leerling_id, hulpvraag_id=hulpvraag.pk)
        return Response(self.get_serializer(hulpvraag).data, headers={"ETag": etag_van(hulpvraag)})


class StatushistorieView(ApiView):
    serializer_class = s.StatuswijzigingSerializer

    @extend_schema(
        summary="Statushistorie, met de toelichting (vragen en instructies van het loket)",
        responses=s.StatuswijzigingSerializer(many=True),
        tags=["hulpvragen"],
    )
    def get(self, request, pk: int):
        hulpvraag = hulpvraag_get_for(request.user, pk)
        rijen = statuswijzigingen_for(hulpvraag=hulpvraag).select_related("van", "naar")
        _audit(
            request, "statushistorie", leerling_id=hulpvraag.leerling_id, hulpvraag_id=hulpvraag.pk
        )
        return Response(self.get_serializer(rijen, many=True).data)


class OvergangenView(ApiView):
    serializer_class = s.OvergangSerializer

    @extend_schema(
        summary="De statussen die deze koppeling nu kan kiezen, met wat nog ontbreekt",
        responses=s.OvergangSerializer(many=True),
        tags=["hulpvragen"],
    )
    def get(self, request, pk: int):
        hulpvraag = hulpvraag_get_for(request.user, pk)
        keuzes = available_transitions(hulpvraag=hulpvraag, user=request.user)
        data = [
            {
                "naar": k.naar,
                "toelichting_verplicht": k.overgang.toelichting_verplicht,
                "ontbrekend": [str(m) for m in k.ontbrekend],
            }
            for k in keuzes
        ]
        return Response(
            self.get_serializer(data, many=True).data, headers={"ETag": etag_van(hulpvraag)}
        )


class StatusView(ApiView):
    serializer_class = s.HulpvraagSerializer

    @extend_schema(
        summary="De status wijzigen (bijvoorbeeld de aanvraag indienen)",
        description=(
            "Stuur de ETag van GET /hulpvragen/{id}/ mee als If-Match: is de hulpvraag sindsdien "
            "gewijzigd, dan 412 en verandert er niets. Zonder If-Match: 428. De statusmachine "
            "beslist wat mag (422 met de reden en wat ontbreekt)."
        ),
        tags=["hulpvragen"],
        request=s.StatusInSerializer,
        responses={200: s.HulpvraagSerializer},
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                location=OpenApiParameter.HEADER,
                required=True,
                description="De ETag van de hulpvraag zoals u hem zag.",
            )
        ],
    )
    def post(self, request, pk: int):
        hulpvraag = hulpvraag_get_for(request.user, pk)
        if not mag(request.user, Recht.STATUS_WIJZIGEN):
            raise exceptions.PermissionDenied(_("Deze koppeling mag de status niet wijzigen."))
        invoer = s.StatusInSerializer(data=request.data)
        invoer.is_valid(raise_exception=True)
        gezien = request.headers.get("If-Match", "").strip()
        if not gezien:
            raise VoorwaardeVereist(
                _(
                    "Stuur de ETag van de hulpvraag mee als If-Match, zodat u geen wijziging "
                    "overschrijft die u niet zag."
                )
            )
        try:
            # The row is locked while the ETag is compared and the status changed: nobody's
            # change can slip in between.
            with transaction.atomic():
                Hulpvraag.objects.select_for_update().filter(pk=hulpvraag.pk).first()
                hulpvraag = hulpvraag_get_for(request.user, pk)
                if gezien != "*" and gezien.removeprefix("W/") != etag_van(hulpvraag):
                    raise VoorwaardeMislukt(
                        _(
                            "De hulpvraag is gewijzigd sinds u keek (de status staat nu op "
                            "“%(s)s”). Er is niets gewijzigd; haal de hulpvraag opnieuw op."
                        )
                        % {"s": hulpvraag.status.naam}
                    )
                hulpvraag_change_status(
                    hulpvraag=hulpvraag,
                    naar=invoer.validated_data["naar"],
                    door=request.user,
                    toelichting=invoer.validated_data["toelichting"],
                    gezien_status=hulpvraag.status_id,
                )
        except VerouderdeStatus as fout:
            raise VoorwaardeMislukt(str(fout)) from None
        except StatusWijzigingGeweigerd as fout:
            raise Onverwerkbaar(
                str(fout), ontbrekend=[str(m) for m in getattr(fout, "ontbrekend", [])]
            ) from None
        hulpvraag = hulpvraag_get_for(request.user, pk)
        return Response(self.get_serializer(hulpvraag).data, headers={"ETag": etag_van(hulpvraag)})
