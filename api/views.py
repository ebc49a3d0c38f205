"""The REST API (/api/v1/). Every endpoint is a thin layer: it finds objects through the access
module (404 for anything the client's account may not see), checks the capability module and the
client's scope, validates input with the screens' own forms, calls the services and writes the
audit log with the client's account as the actor. No second write path."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Model, Prefetch
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.eenmalig import AlVerstuurd, eenmalig_claim
from accounts.rechten import Recht, mag, mag_in_eigen_organisatie
from api import serializers as s
from api.paginering import Keyset
from api.problemen import (
    Conflict,
    Onverwerkbaar,
    OpslagNietBeschikbaar,
    VoorwaardeMislukt,
    VoorwaardeVereist,
    probleem,
)
from audit.models import InzageActie
from audit.services import inzage_record
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
from dossiers.dossier_forms import BasisgegevensForm, HulpvraagForm, SchoolgegevensForm, scholen_for
from dossiers.models import IqTest, Schoolgegevens, Toets
from dossiers.selectors import iq_tests_for, lvs_edit_allowed, toetsen_for
from dossiers.services import lvs_gegevens_save
from dossiers.services_aanleveren import leerling_create
from dossiers.services_wizard import hulpvraag_add
from dossiers.views_toevoegen import _duplicaten, schoolgegevens_voor_nieuwe_hulpvraag
from hulpvragen.access import (
    hulpvraag_get_for,
    hulpvragen_visible_to,
    leerling_get_for,
    leerlingen_visible_to,
)
from hulpvragen.models import Hulpvraag
from hulpvragen.selectors import (
    available_transitions,
    hulpvraag_type_choices_for_school,
    hulpvraag_types_for_school,
    statuswijzigingen_for,
)
from hulpvragen.services import (
    StatusWijzigingGeweigerd,
    VerouderdeStatus,
    hulpvraag_change_status,
)
from kindkans.proxy import client_ip


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
