"""The Kengetallen screen (reports) and its CSV/XLSX downloads."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.rechten import Recht, mag, recht_vereist
from beheer.audit import audit_bekeken
from beheer.forms import PeriodeForm
from beheer.kengetallen import kengetallen_for
from beheer.rapporten import (
    kengetallen_csv,
    kengetallen_grafieken,
    kengetallen_tabellen,
    kengetallen_xlsx,
)
from beheer.xlsx import XLSX_CONTENT_TYPE
from loket.services import loket_instellingen_for

kengetallen_vereist = recht_vereist(Recht.KENGETALLEN_BEKIJKEN)


@kengetallen_vereist
def kengetallen(request):
    """The loket's and the beheerder's reports. The overdue list names hulpvragen: it, its export
    and the "te laat" chart are the loket's only (the beheerder sees no pupil data)."""
    is_loket = mag(request.user, Recht.EXPORTEREN)
    tabellen = kengetallen_tabellen(met_te_laat=is_loket)
    if not is_loket and "te_laat" in (request.GET.get("csv"), request.GET.get("xlsx")):
        raise Http404
    vandaag = timezone.localdate()
    form = PeriodeForm(request.GET or {"van": vandaag.replace(month=1, day=1), "tot": vandaag})
    if not form.is_valid():
        return render(request, "beheer/kengetallen.html", {"form": form})
    van, tot = form.cleaned_data["van"], form.cleaned_data["tot"]
    k = kengetallen_for(user=request.user, van=van, tot=tot)
    if request.GET.get("csv") == "te_laat" or request.GET.get("xlsx") in ("te_laat", "alle"):
        # The overdue list names hulpvragen: an export of it is recorded like the page.
        audit_bekeken(
            user=request.user, onderdeel="kengetallen", details=f"{len(k.te_laat)} te laat, export"
        )
    tabel = request.GET.get("xlsx")
    if tabel in tabellen or tabel == "alle":
        response = HttpResponse(
            kengetallen_xlsx(k, tabellen if tabel == "alle" else [tabel]),
            content_type=XLSX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = (
            f'attachment; filename="kengetallen-{tabel}-{van:%d-%m-%Y}-{tot:%d-%m-%Y}.xlsx"'
        )
        return response
    tabel = request.GET.get("csv")
    if tabel in tabellen:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="kengetallen-{tabel}-{van:%d-%m-%Y}-{tot:%d-%m-%Y}.csv"'
        )
        kengetallen_csv(response, k, tabel)
        return response
    querystring = f"van={van:%d-%m-%Y}&tot={tot:%d-%m-%Y}"
    grafieken = kengetallen_grafieken(k)
    if k.te_laat:
        audit_bekeken(
            user=request.user, onderdeel="kengetallen", details=f"{len(k.te_laat)} te laat"
        )
    return render(
        request,
        "beheer/kengetallen.html",
        {
            "form": form,
            "k": k,
            "is_loket": is_loket,
            "grafieken": grafieken,
            "querystring": querystring,
            "beslistermijn_weken": loket_instellingen_for(
                organisatie_id=request.user.organisatie_id
            ).beslistermijn_weken,
        },
    )
