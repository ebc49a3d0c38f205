from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from storages.backends.s3 import S3Storage

from accounts.eenmalig import AlVerstuurd, eenmalig
from bijlagen.checks import TOEGESTAAN
from bijlagen.forms import VOORSTEL, DocumentsoortForm, UploadForm, documentsoorten_bepalen
from bijlagen.models import Documentsoort
from bijlagen.names import DOCUMENTSOORT_TREFWOORDEN, extensie_van
from bijlagen.selectors import (
    bijlage_concepten_for,
    bijlage_get_for,
    bijlage_remove_allowed,
    bijlage_soort_change_allowed,
    bijlage_upload_allowed,
    bijlagen_list_for,
    bijlagen_vereisten_for,
    documentsoort_default_for,
    documentsoort_raden_allowed,
    vragen_gesteld,
)
from bijlagen.services import (
    OPSLAG_MISLUKT,
    Afgewezen,
    OpslagMislukt,
    bestanden_check,
    bijlage_concepten_soort_store,
    bijlage_concepten_store,
    bijlage_download_record,
    bijlage_open_for_download,
    bijlage_remove,
    bijlage_soort_change,
    bijlagen_add,
)
from hulpvragen.access import hulpvraag_get_for
from kindkans.proxy import client_ip


def _toegevoegd(n: int) -> str:
    return ngettext("%(n)d bijlage toegevoegd.", "%(n)d bijlagen toegevoegd.", n) % {"n": n}


@login_required
def bijlagen_lijst(request, hulpvraag_pk: int):
    hulpvraag = hulpvraag_get_for(request.user, hulpvraag_pk)
    mag_uploaden = bijlage_upload_allowed(user=request.user, hulpvraag=hulpvraag)
    verplicht = list(bijlagen_vereisten_for(hulpvraag=hulpvraag).soorten)
    standaard_soort = (
        documentsoort_default_for(user=request.user, hulpvraag=hulpvraag, verplicht=verplicht)
        if mag_uploaden
        else None
    )
    raden = mag_uploaden and documentsoort_raden_allowed(user=request.user, hulpvraag=hulpvraag)
    afgewezen: list[Afgewezen] = []
    bewaard_ids: list[str] | None = None
    if request.method == "POST":
        if not mag_uploaden:
            raise PermissionDenied
        form = UploadForm(request.POST, raden=raden)
        form.is_valid()  # the kinds are read by documentsoorten_bepalen, with Dutch refusals
        bestanden = request.FILES.getlist("bestanden")
        bewaard_ids = request.POST.getlist("bewaard")
        concepten = list(
            bijlage_concepten_for(hulpvraag=hulpvraag, gebruiker=request.user, ids=bewaard_ids)
        )
        soorten, afgewezen = documentsoorten_bepalen(
            data=request.POST,
            bestanden=bestanden,
            concepten=concepten,
            voorstel=standaard_soort,
            raden=raden,
        )
        goed, fout = bestanden_check(bestanden=bestanden, documentsoorten=soorten)
        afgewezen = fout + afgewezen
        bijlagen = None
        try:
            if afgewezen:
                # Nothing becomes a bijlage; the good files wait, with their kinds, so they need
                # not be chosen again.
                bijlage_concepten_soort_store(concepten=concepten)
                nieuw = bijlage_concepten_store(
                    hulpvraag=hulpvraag, gebruiker=request.user, bestanden=goed
                )
                bewaard_ids = [str(c.pk) for c in concepten + nieuw]
            elif not goed and not concepten:
                afgewezen = [Afgewezen(naam="", melding=_("Kies ten minste één bestand."))]
            else:
                # Posted twice (double click, reload): added once; the second post is shown the
                # list with the first one's message.
                with eenmalig(request) as inzending:
                    bijlagen = bijlagen_add(
                        hulpvraag=hulpvraag,
                        door=request.user,
                        bestanden=goed,
                        concepten=concepten,
                        beantwoordt_vragen=form.cleaned_data["beantwoordt_vragen"]
                        and vragen_gesteld(hulpvraag),
                        documentsoort=standaard_soort,  # each file has its own; the fallback
                    )
                    inzending.resultaat(
                        url=reverse("bijlagen:lijst", args=[hulpvraag.pk]),
                        melding=_toegevoegd(len(bijlagen)),
                        object=bijlagen[0],
                    )
        except AlVerstuurd as eerder:
            return eerder.antwoord(request)
        except OpslagMislukt:
            # Storage full or failing: nothing was added and no file is left behind; the files
            # kept from an earlier refusal stay offered.
            afgewezen = [Afgewezen(naam="", melding=str(OPSLAG_MISLUKT))]
            bewaard_ids = [str(c.pk) for c in concepten]
        if bijlagen is not None:
            messages.success(request, _toegevoegd(len(bijlagen)))
            return redirect("bijlagen:lijst", hulpvraag_pk=hulpvraag.pk)
    else:
        form = UploadForm(
            raden=raden,
            initial={
                "beantwoordt_vragen": vragen_gesteld(hulpvraag),
                "documentsoort": standaard_soort,
            },
        )
    concepten = bijlage_concepten_for(hulpvraag=hulpvraag, gebruiker=request.user)
    return render(
        request,
        "bijlagen/lijst.html",
        {
            "hulpvraag": hulpvraag,
            "bijlagen": bijlagen_list_for(hulpvraag=hulpvraag),
            "form": form,
            "mag_uploaden": mag_uploaden,
            "vragen_gesteld": vragen_gesteld(hulpvraag),
            "afgewezen": afgewezen,
            "concepten": concepten,
            "bewaard_ids": bewaard_ids,
            "toegestaan": TOEGESTAAN,
            "documentsoorten": Documentsoort.choices,
            "verplicht": [Documentsoort(s).label for s in verplicht if s in Documentsoort.values],
            "voorstel_veld": VOORSTEL,
            "standaard_soort": standaard_soort,
            # The same table the server guesses with, for static/js/bijlagen-upload.js.
            "trefwoorden": DOCUMENTSOORT_TREFWOORDEN if raden else [],
        },
        status=400 if afgewezen else 200,
    )


@login_required
def bijlage_download(request, hulpvraag_pk: int, pk: int):
    hulpvraag = hulpvraag_get_for(request.user, hulpvraag_pk)
    bijlage = bijlage_get_for(hulpvraag=hulpvraag, pk=pk)
    if not bijlage.downloadbaar:
        # Waiting for the virus scan, or in quarantine: the file never leaves (fail closed).
        return render(
            request,
            "bijlagen/niet_beschikbaar.html",
            {"hulpvraag": hulpvraag, "bijlage": bijlage},
            status=409,
        )
    return bijlage_download_antwoord(request, bijlage, door=request.user)


def bijlage_download_antwoord(request, bijlage, *, door, ouder_uitnodiging=None):
    """The one way a file leaves, for staff and for a parent's invitation alike (the caller has
    found `bijlage` within what the user or invitation may see and checked `downloadbaar`): the
    record first, then S3's presigned URL, nginx's internal redirect or the stream."""
    wie = {"door": door, "ouder_uitnodiging": ouder_uitnodiging}
    if isinstance(default_storage, S3Storage):
        # Off the workers: the browser fetches the object from S3 with a URL valid for a
        # minute, made after the record. The URL names the file by its number, not its own
        # name: a query string ends up in the storage provider's logs, and names of bijlagen
        # carry pupils' names.
        bijlage_download_record(bijlage=bijlage, ip_adres=client_ip(request), **wie)
        extensie = extensie_van(bijlage.naam)
        url = default_storage.url(
            bijlage.sleutel,
            parameters={
                "ResponseContentDisposition": content_disposition_header(
                    True, f"bijlage-{bijlage.pk}{extensie}"
                ),
                "ResponseContentType": bijlage.content_type,
                # The file from S3 is pupil data like every other response: never cached.
                "ResponseCacheControl": "no-store, private",
            },
            expire=settings.BIJLAGEN_DOWNLOAD_URL_SECONDEN,
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    if settings.DOWNLOADS_X_ACCEL_PREFIX:
        # Off the workers: nginx sends the file from its internal location
        # (deploy/nginx/kindkans.conf.template) and keeps these headers.
        bijlage_download_record(bijlage=bijlage, ip_adres=client_ip(request), **wie)
        response = HttpResponse(content_type=bijlage.content_type)
        response["X-Accel-Redirect"] = (
            settings.DOWNLOADS_X_ACCEL_PREFIX.rstrip("/") + "/" + (quote(bijlage.sleutel))
        )
        response["Content-Disposition"] = content_disposition_header(True, bijlage.naam)
    else:
        # The development server: the application streams the file itself.
        bestand = bijlage_open_for_download(bijlage=bijlage, ip_adres=client_ip(request), **wie)
        response = FileResponse(
            bestand, as_attachment=True, filename=bijlage.naam, content_type=bijlage.content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it anyway, it may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def bijlage_verwijderen(request, hulpvraag_pk: int, pk: int):
    hulpvraag = hulpvraag_get_for(request.user, hulpvraag_pk)
    bijlage = bijlage_get_for(hulpvraag=hulpvraag, pk=pk)
    if not bijlage_remove_allowed(user=request.user, bijlage=bijlage):
        raise PermissionDenied
    bijlage_remove(bijlage=bijlage, door=request.user)
    messages.success(request, _("Bijlage “%(naam)s” verwijderd.") % {"naam": bijlage.naam})
    return redirect("bijlagen:lijst", hulpvraag_pk=hulpvraag.pk)


@login_required
@require_POST
def bijlage_soort(request, hulpvraag_pk: int, pk: int):
    hulpvraag = hulpvraag_get_for(request.user, hulpvraag_pk)
    bijlage = bijlage_get_for(hulpvraag=hulpvraag, pk=pk)
    if not bijlage_soort_change_allowed(user=request.user, hulpvraag=hulpvraag, bijlage=bijlage):
        raise PermissionDenied
    form = DocumentsoortForm(request.POST)
    if form.is_valid():
        bijlage_soort_change(
            bijlage=bijlage, documentsoort=form.cleaned_data["documentsoort"], door=request.user
        )
        messages.success(
            request,
            _("“%(naam)s” is nu: %(soort)s.")
            % {"naam": bijlage.naam, "soort": bijlage.get_documentsoort_display()},
        )
    else:
        messages.error(request, _("Kies een soort document."))
    return redirect("bijlagen:lijst", hulpvraag_pk=hulpvraag.pk)
