"""The link from the LVS: the school's pupil administration opens Kindkans on a pupil.

- `GET /lvs/open/?onderwijsnummer=123456789`, or
- `POST /lvs/open/` with `bsn` (a BSN never travels in a URL: URLs end up in browser history,
  proxy and server logs) and/or `onderwijsnummer`.

After the login (password + code, or the school's provider), the user gets the pupil's dossier
(the newest hulpvraag the user may open) when the access module lets the user see the pupil; a
school user who may add dossiers otherwise gets the Toevoegen wizard prefilled with what the LVS
sent; anyone else a plain "niet gevonden", the same whether the pupil exists elsewhere or not.

The POST comes from another site: it carries no CSRF token and, with SameSite=Lax, no session
cookie. It changes nothing: the identifiers go encrypted (Fernet, 15 minutes) into a cookie of
their own, limited to this path, and the browser is sent here again with a GET, which does carry
the session (or goes through the login first and then comes back here).
"""

from __future__ import annotations

import json

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from accounts.decorators import openbaar
from accounts.middleware import tweede_stap_url
from accounts.rechten import Recht, mag_in_eigen_organisatie
from audit.services import inzage_record
from dossiers.models import ConceptStap
from dossiers.services_wizard import dossierconcept_start
from dossiers.validators import validate_bsn, validate_onderwijsnummer
from hulpvragen.access import hulpvragen_visible_to, leerlingen_visible_to
from oidc.models import fernet

COOKIE = "kindkans_lvs"
GELDIG = 15 * 60


def _geldig(validator, waarde: str) -> str:
    waarde = "".join(waarde.split())[:9]
    if not waarde:
        return ""
    try:
        validator(waarde)
    except ValidationError:
        return ""
    return waarde


def _uit_cookie(request: HttpRequest) -> dict:
    token = request.COOKIES.get(COOKIE)
    if not token:
        return {}
    try:
        return json.loads(fernet("oidc.lvs").decrypt(token.encode(), ttl=GELDIG))
    except (InvalidToken, ValueError):
        return {}


def _vergeet(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(COOKIE, path=reverse("oidc:lvs_open"))
    return response


@openbaar
@csrf_exempt
@never_cache
def lvs_open(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        gegevens = {
            "bsn": _geldig(validate_bsn, request.POST.get("bsn", "")),
            "onderwijsnummer": _geldig(
                validate_onderwijsnummer, request.POST.get("onderwijsnummer", "")
            ),
        }
        antwoord = HttpResponseRedirect(reverse("oidc:lvs_open"), status=303)
        antwoord.set_cookie(
            COOKIE,
            fernet("oidc.lvs").encrypt(json.dumps(gegevens).encode()).decode(),
            max_age=GELDIG,
            path=reverse("oidc:lvs_open"),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return antwoord

    # GET: only after a full login. The onderwijsnummer of the link stays in `next`.
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.is_verified():
        return HttpResponseRedirect(tweede_stap_url(user, request.get_full_path()))

    gegevens = _uit_cookie(request)
    onderwijsnummer = _geldig(
        validate_onderwijsnummer, request.GET.get("onderwijsnummer", "")
    ) or gegevens.get("onderwijsnummer", "")
    bsn = gegevens.get("bsn", "")
    return _vergeet(_openen(request, bsn=bsn, onderwijsnummer=onderwijsnummer))


def _openen(request: HttpRequest, *, bsn: str, onderwijsnummer: str) -> HttpResponse:
    user = request.user
    leerling = None
    if onderwijsnummer or bsn:
        leerlingen = leerlingen_visible_to(user)
        leerling = (
            leerlingen.filter(onderwijsnummer=onderwijsnummer).first() if onderwijsnummer else None
        ) or (leerlingen.filter(bsn=bsn).first() if bsn else None)
    mag_toevoegen = mag_in_eigen_organisatie(user, Recht.HULPVRAAG_INDIENEN)
    if leerling is not None:
        hulpvraag = (
            hulpvragen_visible_to(user)
            .filter(leerling=leerling)
            .order_by("-hulpvraagdatum", "-id")
            .first()
        )
        inzage_record(
            gebruiker=user,
            onderdeel="LVS-koppeling",
            leerling_id=leerling.pk,
            details=_("dossier geopend vanuit het LVS"),
        )
        if hulpvraag is not None:
            return redirect("hulpvragen:detail", hulpvraag.pk)
        if mag_toevoegen:
            return redirect("dossiers:nieuwe_hulpvraag", leerling.pk)
    elif mag_toevoegen and (onderwijsnummer or bsn):
        return _wizard(request, bsn=bsn, onderwijsnummer=onderwijsnummer)
    return render(request, "oidc/lvs_niet_gevonden.html", status=404)


def _wizard(request: HttpRequest, *, bsn: str, onderwijsnummer: str) -> HttpResponse:
    """A new dossier, prefilled with what the LVS sent (as the EDEXML import does)."""
    basis = {k: v for k, v in {"bsn": bsn, "onderwijsnummer": onderwijsnummer}.items() if v}
    with transaction.atomic():
        concept = dossierconcept_start(door=request.user)
        concept.gegevens = {"edexml": {"basisgegevens": basis, "schoolgegevens": {}}}
        concept.save()
        inzage_record(
            gebruiker=request.user,
            onderdeel="LVS-koppeling",
            details=f"dossierconcept {concept.pk} vanuit het LVS",
        )
    return redirect("dossiers:stap", concept.pk, ConceptStap.BASISGEGEVENS)
