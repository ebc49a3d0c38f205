"""Status wijzigen and Statushistorie: the screens over the status engine. Every hulpvraag comes
through the access module (404 for anyone who may not see it); every change through
hulpvraag_change_status, which also decides what is allowed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.eenmalig import AlVerstuurd, eenmalig
from hulpvragen.access import hulpvraag_get_for
from hulpvragen.forms import StatusWijzigenForm
from hulpvragen.selectors import available_transitions, statuswijzigingen_for
from hulpvragen.services import StatusWijzigingGeweigerd, VerouderdeStatus, hulpvraag_change_status


@login_required
def hulpvraag_status_wijzigen(request, pk: int):
    hulpvraag = hulpvraag_get_for(request.user, pk)
    geweigerd: StatusWijzigingGeweigerd | None = None
    if request.method == "POST":
        form = StatusWijzigenForm(request.POST)
        if form.is_valid():
            try:
                # Posted twice (double click, reload, a second tab: also a self-transition the
                # stale-status check cannot tell apart): recorded once, the second post is shown
                # the first one's result.
                with eenmalig(request) as inzending:
                    wijziging = hulpvraag_change_status(
                        hulpvraag=hulpvraag,
                        naar=form.cleaned_data["naar"],
                        door=request.user,
                        toelichting=form.cleaned_data["toelichting"],
                        gezien_status=form.cleaned_data["gezien_status"],
                    )
                    melding = _("De status is gewijzigd naar “%(naar)s”.") % {
                        "naar": wijziging.naar.naam
                    }
                    inzending.resultaat(
                        url=reverse("hulpvragen:detail", args=[hulpvraag.pk]),
                        melding=melding,
                        object=wijziging,
                    )
            except AlVerstuurd as eerder:
                return eerder.antwoord(request)
            except VerouderdeStatus as refusal:
                geweigerd = refusal
                # Show the page as the hulpvraag is now; keep what the user typed.
                hulpvraag = hulpvraag_get_for(request.user, pk)
                form = StatusWijzigenForm(
                    initial={
                        "gezien_status": hulpvraag.status_id,
                        "toelichting": form.cleaned_data["toelichting"],
                    }
                )
            except StatusWijzigingGeweigerd as refusal:
                geweigerd = refusal
            else:
                messages.success(request, melding)
                return redirect("hulpvragen:detail", pk=hulpvraag.pk)
    else:
        form = StatusWijzigenForm(initial={"gezien_status": hulpvraag.status_id})
    keuzes = available_transitions(hulpvraag=hulpvraag, user=request.user)
    gekozen = "" if isinstance(geweigerd, VerouderdeStatus) else form["naar"].value()
    return render(
        request,
        "hulpvragen/status_wijzigen.html",
        {
            "hulpvraag": hulpvraag,
            "keuzes": keuzes,
            "form": form,
            "geweigerd": geweigerd,
            "gekozen": str(gekozen or ""),
        },
        status=409 if isinstance(geweigerd, VerouderdeStatus) else 200,
    )


@login_required
def hulpvraag_statushistorie(request, pk: int):
    hulpvraag = hulpvraag_get_for(request.user, pk)
    wijzigingen = list(statuswijzigingen_for(hulpvraag=hulpvraag))
    wijzigingen.reverse()  # newest first: what the school has to do now is on top
    return render(
        request,
        "hulpvragen/statushistorie.html",
        {"hulpvraag": hulpvraag, "wijzigingen": wijzigingen},
    )
