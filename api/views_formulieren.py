"""Formulieren: read a hulpvraag's forms with their answers, and fill in (as a draft the school
checks and saves) the questions the school has not answered yet."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from api import serializers as s
from api.problemen import Conflict
from api.views import ApiView, _audit
from audit.models import InzageActie
from formulieren.definities import vragen
from formulieren.selectors import (
    formulier_get_for,
    formulier_ondertekening_for,
    formulier_prefill,
    formulieren_for_hulpvraag,
    ondertekening_valid,
)
from formulieren.services import VerouderdFormulier, formulier_concept_prefill
from hulpvragen.access import hulpvraag_get_for


def _formulier_data(formulier, prefill=None) -> dict:
    if prefill is None:
        prefill = formulier_prefill(hulpvraag=formulier.hulpvraag)
    inhoud = formulier.definitie.inhoud
    return {
        "id": formulier.pk,
        "hulpvraag": formulier.hulpvraag_id,
        "naam": formulier.definitie.naam,
        "versie": formulier.definitie.versie,
        "antwoorden": formulier.antwoorden,
        "concept": formulier.concept,
        "opgeslagen_op": formulier.opgeslagen_op,
        "ondertekend": ondertekening_valid(
            formulier=formulier,
            ondertekening=formulier_ondertekening_for(formulier=formulier),
            prefill=prefill,
        ),
        "vragen": [
            {
                "sleutel": v["sleutel"],
                "label": v["label"],
                "type": v["type"],
                "vooringevuld": bool(v.get("bron")),
            }
            for _sectie, v in vragen(inhoud)
        ],
    }


class FormulierenView(ApiView):
    serializer_class = s.FormulierSerializer

    @extend_schema(
        summary="De formulieren van een hulpvraag, met de antwoorden",
        responses=s.FormulierSerializer(many=True),
        tags=["formulieren"],
    )
    def get(self, request, pk: int):
        hulpvraag = hulpvraag_get_for(request.user, pk)
        prefill = formulier_prefill(hulpvraag=hulpvraag)
        data = [_formulier_data(f, prefill) for f in formulieren_for_hulpvraag(hulpvraag=hulpvraag)]
        _audit(request, "formulieren", leerling_id=hulpvraag.leerling_id, hulpvraag_id=hulpvraag.pk)
        return Response(self.get_serializer(data, many=True).data)


class VoorafInvullenView(ApiView):
    serializer_class = s.VoorafInvullenSerializer

    @extend_schema(
        summary="Vragen vooraf invullen die de school nog niet beantwoordde",
        description=(
            "De antwoorden komen in het concept van het formulier; de school controleert ze bij "
            "Formulier bewerken en kiest Opslaan. Wat de school al typte of opsloeg, blijft "
            "staan (`al_beantwoord`). Vragen die het dossier zelf invult en de keuze van de "
            "ondertekenaar zijn niet te zetten (400). Een herhaald verzoek vult niets opnieuw "
            "in. Schreef iemand tegelijk in het formulier: 409, er is niets gewijzigd."
        ),
        request=s.VoorafInvullenInSerializer,
        responses={200: s.VoorafInvullenSerializer},
        tags=["formulieren"],
    )
    def post(self, request, pk: int):
        self._schrijver()
        formulier = formulier_get_for(user=request.user, pk=pk)
        invoer = s.VoorafInvullenInSerializer(data=request.data)
        invoer.is_valid(raise_exception=True)
        try:
            ingevuld, al_beantwoord = formulier_concept_prefill(
                user=request.user, formulier=formulier, waarden=invoer.validated_data["antwoorden"]
            )
        except ValidationError as fout:
            if hasattr(fout, "error_dict"):
                raise exceptions.ValidationError(
                    {"antwoorden": {k: [str(m) for m in v] for k, v in fout.message_dict.items()}}
                ) from None
            raise exceptions.ValidationError(
                {"antwoorden": [str(m) for m in fout.messages]}
            ) from None
        except VerouderdFormulier:
            raise Conflict(
                _(
                    "Iemand schreef tegelijk in dit formulier. Er is niets gewijzigd; haal het "
                    "formulier opnieuw op en probeer het nog eens."
                )
            ) from None
        except PermissionDenied:
            raise exceptions.PermissionDenied(
                _("Dit formulier kan niet meer worden gewijzigd (de hulpvraag is afgesloten).")
            ) from None
        if ingevuld:
            _audit(
                request,
                "formulier vooraf ingevuld",
                actie=InzageActie.GEWIJZIGD,
                leerling_id=formulier.hulpvraag.leerling_id,
                hulpvraag_id=formulier.hulpvraag_id,
                details=", ".join(ingevuld),
            )
        formulier.refresh_from_db()
        data = {
            "ingevuld": ingevuld,
            "al_beantwoord": al_beantwoord,
            "formulier": _formulier_data(formulier),
        }
        return Response(self.get_serializer(data).data)
