"""Screens of the beheerder for coming on board (at /swv/, like the other beheer screens) and the
invitee's page to accept an invitation. Views only orchestrate; the work is in the services."""

from __future__ import annotations

import tempfile
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.decorators import openbaar
from accounts.eenmalig import AlVerstuurd, eenmalig
from accounts.rechten import Recht, mag, recht_vereist
from accounts.sessies import sessie_start
from kindkans.proxy import client_ip
from overdracht.exporteren import export_downloaden, export_starten, swv_importeren
from overdracht.forms import DuoUploadForm, ExportForm, ImportForm, UitnodigenForm
from overdracht.models import DuoInlezing, Export, ExportStatus, Uitnodiging
from overdracht.scholen import duo_inlezing_create, duo_toepassen, duo_voorbeeld
from overdracht.uitnodigingen import (
    uitnodiging_aannemen,
    uitnodiging_geldig,
    uitnodiging_opnieuw,
    uitnodigingen_lezen,
    uitnodigingen_open,
    uitnodigingen_versturen,
)

inlezen_vereist = recht_vereist(Recht.SCHOLEN_INLEZEN)
uitnodigen_vereist = recht_vereist(Recht.GEBRUIKERS_UITNODIGEN)


def _fouten(request, error: ValidationError) -> None:
    for bericht in error.messages:
        messages.error(request, bericht)


# --- Schools from DUO ----------------------------------------------------------------------------


@inlezen_vereist
def scholen_inlezen(request):
    form = DuoUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inlezing = duo_inlezing_create(
                door=request.user,
                swv_code=data["swv_code"],
                vestigingen=data["vestigingen"].read(),
                bestandsnaam=data["vestigingen"].name,
                besturen=data["besturen"].read() if data["besturen"] else None,
                overgangen=data["overgangen"].read() if data["overgangen"] else None,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return redirect("overdracht:scholen_voorbeeld", pk=inlezing.pk)
    laatste = DuoInlezing.objects.filter(
        organisatie_id=request.user.organisatie_id, toegepast_op__isnull=False
    ).first()
    return render(
        request,
        "overdracht/scholen_inlezen.html",
        {"form": form, "laatste": laatste, "code": request.user.organisatie.code},
    )


@inlezen_vereist
def scholen_voorbeeld(request, pk: int):
    inlezing = get_object_or_404(DuoInlezing, pk=pk, organisatie_id=request.user.organisatie_id)
    if request.method == "POST":
        sluiten = [int(x) for x in request.POST.getlist("sluiten") if x.isdigit()]
        try:
            with eenmalig(request) as inzending:
                resultaat = duo_toepassen(door=request.user, inlezing=inlezing, sluiten=sluiten)
                melding = _(
                    "Verwerkt: %(nieuw)d nieuwe en %(gewijzigd)d gewijzigde scholen, "
                    "%(samengevoegd)d samengevoegd, %(gesloten)d opgeheven; %(besturen)d nieuwe "
                    "besturen."
                ) % {**resultaat, "besturen": resultaat["besturen_nieuw"]}
                url = reverse("overdracht:scholen_voorbeeld", args=[inlezing.pk])
                inzending.resultaat(url=url, melding=melding, object=inlezing)
        except AlVerstuurd as eerder:
            return eerder.antwoord(request)
        except ValidationError as e:
            _fouten(request, e)
        else:
            messages.success(request, melding)
        return redirect("overdracht:scholen_voorbeeld", pk=inlezing.pk)
    return render(
        request,
        "overdracht/scholen_voorbeeld.html",
        {
            "inlezing": inlezing,
            "voorbeeld": None if inlezing.toegepast_op else duo_voorbeeld(inlezing=inlezing),
        },
    )


# --- Users by invitation -------------------------------------------------------------------------


@uitnodigen_vereist
def uitnodigen(request):
    form = UitnodigenForm(request.POST or None, request.FILES or None)
    lijst = None
    if request.method == "POST" and form.is_valid():
        tekst = form.cleaned_data["regels"]
        if request.POST.get("actie") == "versturen":
            try:
                with eenmalig(request) as inzending:
                    nieuw = uitnodigingen_versturen(door=request.user, tekst=tekst)
                    melding = ngettext(
                        "%(n)d uitnodiging wordt verstuurd.",
                        "%(n)d uitnodigingen worden verstuurd.",
                        len(nieuw),
                    ) % {"n": len(nieuw)}
                    inzending.resultaat(url=reverse("overdracht:uitnodigingen"), melding=melding)
            except AlVerstuurd as eerder:
                return eerder.antwoord(request)
            except ValidationError as e:
                _fouten(request, e)
            else:
                messages.success(request, melding)
                return redirect("overdracht:uitnodigingen")
        try:
            lijst = uitnodigingen_lezen(door=request.user, tekst=tekst)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            # The checked text goes back in the field, so "Versturen" sends exactly what was shown.
            form = UitnodigenForm(initial={"regels": tekst})
    return render(request, "overdracht/uitnodigen.html", {"form": form, "lijst": lijst})


@uitnodigen_vereist
def uitnodigingen(request):
    return render(
        request,
        "overdracht/uitnodigingen.html",
        {"uitnodigingen": uitnodigingen_open(organisatie=request.user.organisatie)},
    )


@require_POST
@uitnodigen_vereist
def uitnodiging_opnieuw_versturen(request, pk: int):
    uitnodiging = get_object_or_404(Uitnodiging, pk=pk, organisatie_id=request.user.organisatie_id)
    try:
        with eenmalig(request) as inzending:
            uitnodiging_opnieuw(door=request.user, uitnodiging=uitnodiging)
            melding = _("Een nieuwe uitnodiging is verstuurd naar %(email)s.") % {
                "email": uitnodiging.gebruiker.email
            }
            inzending.resultaat(url=reverse("overdracht:uitnodigingen"), melding=melding)
    except AlVerstuurd as eerder:
        return eerder.antwoord(request)
    except ValidationError as e:
        _fouten(request, e)
    else:
        messages.success(request, melding)
    return redirect("overdracht:uitnodigingen")


SESSIE_TOKEN = "kindkans_uitnodiging"


@openbaar
@never_cache
def aannemen(request, token: str):
    """The link from the mail. The token moves into the session and the browser goes on to a URL
    without it, so it does not leak through the Referer header or the browser history (as
    Django's password reset does)."""
    request.session[SESSIE_TOKEN] = token
    return redirect("overdracht:aannemen_wachtwoord")


@openbaar
@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
def aannemen_wachtwoord(request):
    uitnodiging = uitnodiging_geldig(request.session.get(SESSIE_TOKEN, ""))
    if uitnodiging is None:
        return render(request, "overdracht/uitnodiging_ongeldig.html", status=404)
    gebruiker = uitnodiging.gebruiker
    form = SetPasswordForm(gebruiker, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            gebruiker = uitnodiging_aannemen(
                uitnodiging=uitnodiging, wachtwoord_form=form, ip=client_ip(request)
            )
        except ValidationError:
            return render(request, "overdracht/uitnodiging_ongeldig.html", status=404)
        request.session.pop(SESSIE_TOKEN, None)
        # The password step is done: the login's own enrolment of the authenticator app follows.
        sessie_start(request, gebruiker)
        messages.success(
            request,
            _("Uw wachtwoord is ingesteld. Koppel nu uw authenticator-app."),
        )
        return redirect("koppelen")
    return render(
        request,
        "overdracht/uitnodiging_aannemen.html",
        {"form": form, "gebruiker": gebruiker, "organisatie": uitnodiging.organisatie},
    )


# --- Full export and import ----------------------------------------------------------------------

exporteren_vereist = recht_vereist(Recht.SWV_EXPORTEREN)


@exporteren_vereist
@sensitive_post_parameters("wachtzin", "wachtzin_nogmaals")
def exporteren(request):
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with eenmalig(request) as inzending:
                export = export_starten(door=request.user, wachtwoord=form.cleaned_data["wachtzin"])
                melding = _("De export is gestart. Dit kan even duren; ververs de pagina.")
                inzending.resultaat(
                    url=reverse("overdracht:exporteren"), melding=melding, object=export
                )
        except AlVerstuurd as eerder:
            return eerder.antwoord(request)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, melding)
            return redirect("overdracht:exporteren")
    exports = Export.objects.filter(organisatie_id=request.user.organisatie_id, door=request.user)
    return render(
        request,
        "overdracht/exporteren.html",
        {
            "form": form,
            "exports": exports[:10],
            "bezig": any(e.status in (ExportStatus.WACHTRIJ, ExportStatus.BEZIG) for e in exports),
        },
    )


@require_POST
@exporteren_vereist
def export_downloaden_view(request, pk: int):
    export = get_object_or_404(
        Export, pk=pk, organisatie_id=request.user.organisatie_id, door=request.user
    )
    try:
        bestand = export_downloaden(door=request.user, export=export)
    except ValidationError as e:
        _fouten(request, e)
        return redirect("overdracht:exporteren")
    naam = f"kindkans-export-{export.organisatie.code}-{timezone.localtime():%Y%m%d}.7z"
    return FileResponse(
        bestand, as_attachment=True, filename=naam, content_type="application/x-7z-compressed"
    )


def _platform_vereist(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not mag(request.user, Recht.SWV_IMPORTEREN):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@_platform_vereist
@sensitive_post_parameters("wachtzin")
def importeren(request):
    """The platform admin reads an export into a new organisation of this installation."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        Path(settings.EXPORT_DIR).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.EXPORT_DIR, suffix=".7z") as tmp:
            for blok in data["archief"].chunks():
                tmp.write(blok)
            tmp.flush()
            try:
                organisatie = swv_importeren(
                    door=request.user,
                    pad=Path(tmp.name),
                    wachtwoord=data["wachtzin"],
                    code=data["code"],
                    naam=data["naam"],
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(
                    request,
                    _(
                        "%(naam)s is ingelezen. Gebruikers kiezen een wachtwoord via "
                        "“Wachtwoord vergeten?”."
                    )
                    % {"naam": organisatie.naam},
                )
                return redirect("admin:organisaties_organisatie_change", organisatie.pk)
    return render(request, "overdracht/importeren.html", {"form": form})
