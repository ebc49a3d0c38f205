"""Leerlingen and their LVS data (api/views.py: the shared base and the rules)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from api import serializers as s
from api.paginering import Keyset
from api.problemen import (
    Conflict,
)
from api.views import (
    IDEMPOTENCY_PARAM,
    ApiView,
    _audit,
    _vormfouten,
    eenmalig_api,
)
from audit.models import InzageActie
from dossiers.dossier_forms import BasisgegevensForm, SchoolgegevensForm, scholen_for
from dossiers.models import IqTest, Schoolgegevens, Toets
from dossiers.selectors import iq_tests_for, lvs_edit_allowed, toetsen_for
from dossiers.services import lvs_gegevens_save
from dossiers.services_aanleveren import leerling_create
from dossiers.views_toevoegen import _duplicaten
from hulpvragen.access import (
    leerling_get_for,
    leerlingen_visible_to,
)


def _leerlingen(user):
    zichtbare_scholen = scholen_for(user).values("pk")
    return leerlingen_visible_to(user).prefetch_related(
        Prefetch(
            "schoolgegevens",
            queryset=Schoolgegevens.objects.filter(school__in=zichtbare_scholen).order_by(
                "-begindatum", "-id"
            ),
            to_attr="api_schoolgegevens",
        )
    )


class LeerlingenView(ApiView):
    serializer_class = s.LeerlingSerializer
    pagination_class = Keyset

    @extend_schema(
        summary="Leerlingen zoeken (op BSN of onderwijsnummer) of opsommen",
        operation_id="leerlingen_lijst",
        responses=s.LeerlingSerializer(many=True),
        tags=["leerlingen"],
        parameters=[
            OpenApiParameter("bsn", str, description="Precies dit BSN."),
            OpenApiParameter("onderwijsnummer", str, description="Precies dit onderwijsnummer."),
        ],
    )
    def get(self, request):
        qs = _leerlingen(request.user)
        bsn = request.query_params.get("bsn", "").strip()
        onderwijsnummer = request.query_params.get("onderwijsnummer", "").strip()
        if bsn:
            qs = qs.filter(bsn=bsn)
        if onderwijsnummer:
            qs = qs.filter(onderwijsnummer=onderwijsnummer)
        pagina = self.paginate_queryset(qs)
        _audit(request, "leerlingen", details=f"{len(pagina)} getoond")
        return self.get_paginated_response(self.get_serializer(pagina, many=True).data)

    @extend_schema(
        summary="Een leerling aanleveren (dossier zonder hulpvraag)",
        description=(
            "Dezelfde controles als de wizard Toevoegen: verplichte velden, BSN-elfproef, "
            "postcode, de school moet een school van deze koppeling zijn. Bestaat de leerling "
            "al (zelfde BSN of onderwijsnummer, of zelfde achternaam en geboortedatum), dan "
            "409 met het id van het bestaande dossier."
        ),
        tags=["leerlingen"],
        request=s.LeerlingInSerializer,
        responses={201: s.LeerlingSerializer},
        parameters=[IDEMPOTENCY_PARAM],
    )
    def post(self, request):
        self._schrijver()
        # The key is claimed before the checks: a retry of a pupil that was created gets the
        # first answer, not the duplicate check's 409.
        return eenmalig_api(request, lambda: self._maak(request), self._antwoord)

    def _maak(self, request):
        invoer = s.LeerlingInSerializer(data=request.data)
        invoer.is_valid(raise_exception=True)
        d = invoer.validated_data
        basis = BasisgegevensForm(
            {
                **{
                    k: d.get(k, "")
                    for k in (
                        "voornamen",
                        "roepnaam",
                        "tussenvoegsel",
                        "achternaam",
                        "geslacht",
                        "bsn",
                        "onderwijsnummer",
                    )
                },
                "geboortedatum": d["geboortedatum"].isoformat(),
                **d["adres"],
            }
        )
        school = SchoolgegevensForm(d["schoolgegevens"], user=request.user)
        if not (basis.is_valid() & school.is_valid()):
            adres = {k: f"adres.{k}" for k in ("straat", "huisnummer", "postcode", "woonplaats")}
            sg = {k: f"schoolgegevens.{k}" for k in school.fields}
            fouten = {
                **(_vormfouten(basis, adres).detail if basis.errors else {}),
                **(_vormfouten(school, sg).detail if school.errors else {}),
            }
            raise exceptions.ValidationError(fouten)
        leerling = basis.leerling_data()
        matches, zeker, verborgen = _duplicaten(request.user, leerling)
        if zeker:
            raise Conflict(
                _("Deze leerling staat al in Kindkans (zelfde BSN of onderwijsnummer)."),
                leerling=zeker[0].pk,
            )
        if verborgen:
            raise Conflict(
                _(
                    "Er staat al een leerling met dit BSN of onderwijsnummer in Kindkans, bij een "
                    "andere school. Neem contact op met het loket van het samenwerkingsverband."
                )
            )
        if matches and not d["toch_nieuw"]:
            raise Conflict(
                _(
                    "Er staat al een leerling met deze achternaam en geboortedatum in "
                    "Kindkans. Is het een andere leerling, stuur dan toch_nieuw: true mee."
                ),
                leerling=matches[0].pk,
            )
        sg = school.model_data()
        try:
            with transaction.atomic():
                return leerling_create(
                    door=request.user,
                    leerling=leerling,
                    adres={**basis.adres_data(), "ingangsdatum": timezone.localdate()},
                    schoolgegevens={**sg, "begindatum": timezone.localdate()},
                    onderdeel="api: nieuw dossier",
                )
        except IntegrityError:
            raise Conflict(
                _("Er staat inmiddels al een leerling met dit BSN of onderwijsnummer in Kindkans.")
            ) from None

    def _antwoord(self, pk: int) -> Response:
        leerling = _leerlingen(self.request.user).get(pk=pk)
        return Response(s.LeerlingSerializer(leerling).data, status=status.HTTP_201_CREATED)


class LeerlingView(ApiView):
    serializer_class = s.LeerlingSerializer

    @extend_schema(summary="Eén leerling", tags=["leerlingen"])
    def get(self, request, pk: int):
        leerling = leerling_get_for(request.user, pk)
        leerling = _leerlingen(request.user).get(pk=leerling.pk)
        _audit(request, "leerling", leerling_id=leerling.pk)
        return Response(self.get_serializer(leerling).data)


def _lvs(leerling) -> dict:
    return {"toetsen": toetsen_for(leerling=leerling), "iq_tests": iq_tests_for(leerling=leerling)}


class LvsView(ApiView):
    """The pupil's LVS data (toetsen, IQ tests): what the LVS tab shows and the PrO advice
    uses. Written through dossiers.services.lvs_gegevens_save, the tab's own service, with
    the models' validators (the tab's messages)."""

    serializer_class = s.LvsSerializer

    @extend_schema(summary="LVS-gegevens van een leerling (toetsen, IQ)", tags=["lvs"])
    def get(self, request, pk: int):
        leerling = leerling_get_for(request.user, pk)
        _audit(request, "lvs", leerling_id=leerling.pk)
        return Response(
            s.LvsSerializer(
                {
                    "toetsen": toetsen_for(leerling=leerling),
                    "iq_tests": iq_tests_for(leerling=leerling),
                }
            ).data
        )

    @extend_schema(
        summary="Toetsen en IQ-tests toevoegen (voor de didactische leeftijd en het PrO-advies)",
        tags=["lvs"],
        request=s.LvsSerializer,
        responses={201: s.LvsSerializer},
        parameters=[IDEMPOTENCY_PARAM],
    )
    def post(self, request, pk: int):
        leerling = leerling_get_for(request.user, pk)
        if not lvs_edit_allowed(user=request.user):
            raise exceptions.PermissionDenied(_("Deze koppeling mag geen LVS-gegevens invoeren."))
        invoer = s.LvsSerializer(data=request.data)
        invoer.is_valid(raise_exception=True)
        d = invoer.validated_data

        def werk():
            rijen = [Toets(**t) for t in d.get("toetsen", [])] + [
                IqTest(**t) for t in d.get("iq_tests", [])
            ]
            lvs_gegevens_save(leerling=leerling, door=request.user, opslaan=rijen)
            _audit(
                request,
                "lvs",
                actie=InzageActie.GEWIJZIGD,
                leerling_id=leerling.pk,
                details=f"{len(rijen)} toets(en)/IQ-test(s) toegevoegd",
            )
            return leerling

        return eenmalig_api(
            request,
            werk,
            lambda _pk: Response(
                s.LvsSerializer(
                    {
                        "toetsen": toetsen_for(leerling=leerling),
                        "iq_tests": iq_tests_for(leerling=leerling),
                    }
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )
