"""Privacy screens of the beheerder: AVG inzage (export of one pupil's data) and the audit log."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.rechten import Recht, recht_vereist
from beheer.audit import audit_bekeken
from beheer.auditlog import auditlog_zoeken
from beheer.forms import (
    AuditlogZoekForm,
    InzageZoekForm,
)
from beheer.inzage import inzage_verzamelen, inzage_zip
from hulpvragen.access import (
    leerling_get_for_inzage,
    leerlingen_for_inzage,
)

beheerder_vereist = recht_vereist(Recht.BEWAARTERMIJNEN_BEHEREN)


auditlog_vereist = recht_vereist(Recht.AUDITLOG_BEKIJKEN)


@beheerder_vereist
def inzage(request):
    form = InzageZoekForm(request.POST if request.method == "POST" else None)
    gevonden = None
    if request.method == "POST" and form.is_valid():
        gevonden = list(
            leerlingen_for_inzage(
                request.user, bsn=form.cleaned_data["bsn"], dossier=form.cleaned_data["dossier"]
            )[:5]
        )
        for leerling in gevonden:
            audit_bekeken(user=request.user, onderdeel="inzage (AVG)", leerling_id=leerling.pk)
    return render(request, "beheer/inzage.html", {"form": form, "gevonden": gevonden})


@require_POST
@beheerder_vereist
def inzage_export(request, pk: int):
    leerling = leerling_get_for_inzage(request.user, pk)
    bestand = inzage_zip(inzage=inzage_verzamelen(leerling=leerling), door=request.user)
    audit_bekeken(
        user=request.user,
        onderdeel="inzage (AVG)",
        leerling_id=leerling.pk,
        details="export als ZIP",
    )
    naam = f"inzage-dossier-{leerling.pk}-{timezone.localdate():%d-%m-%Y}.zip"
    return FileResponse(bestand, as_attachment=True, filename=naam, content_type="application/zip")


@require_http_methods(["GET", "POST"])
@auditlog_vereist
def auditlog(request):
    """Who saw or changed what: search by pupil (dossier number or BSN), user and period.

    The search is a GET (pages, links, back button), but a BSN never goes in a URL, where server
    and proxy logs would keep it: the form posts, the BSN becomes the dossier number, and the
    answer redirects to the GET with that number."""
    if request.method == "POST":
        form = AuditlogZoekForm(request.POST, user=request.user)
        if form.is_valid():
            zoek = {k: request.POST.get(k, "") for k in ("dossier", "gebruiker", "van", "tot")}
            if form.cleaned_data["bsn"]:
                leerling = leerlingen_for_inzage(request.user, bsn=form.cleaned_data["bsn"]).first()
                # An unknown BSN searches nothing rather than everything.
                zoek["dossier"] = str(leerling.pk) if leerling else ""
                if leerling is None:
                    form.add_error("bsn", _("Er is geen leerling met dit BSN."))
            if form.is_valid():
                zoek = {k: v for k, v in zoek.items() if v}
                return redirect(f"{reverse('beheer:auditlog')}?{urlencode(zoek)}")
        return render(
            request,
            "beheer/auditlog.html",
            {"form": form, "regels": None, "volgende": "", "querystring": ""},
        )
    # A BSN in a link is ignored (see above): the form never puts it there.
    data = request.GET.copy()
    data.pop("bsn", None)
    form = AuditlogZoekForm(data or None, user=request.user)
    regels, volgende = None, ""
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        regels, volgende = auditlog_zoeken(
            user=request.user,
            leerling_id=d["dossier"],
            gebruiker=d["gebruiker"],
            van=d["van"],
            tot=d["tot"],
            cursor=request.GET.get("na", ""),
        )
    data.pop("na", None)
    return render(
        request,
        "beheer/auditlog.html",
        {
            "form": form,
            "regels": regels,
            "volgende": volgende,
            "querystring": data.urlencode(),
        },
    )
