"""The beheerder's Bewaartermijnen screen: terms per type, the list of dossiers past their term
and the confirmed jobs that delete or anonymise them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.rechten import Recht, recht_vereist
from beheer.forms import (
    BewaartermijnenForm,
    VerwijderenForm,
)
from beheer.models import Bewaarsignalering, Verwijdering
from beheer.selectors import bewaartermijnen_for
from beheer.services_bewaren import (
    bewaaropdracht_schedule,
    bewaarsignalering_refresh,
    bewaartermijnen_set,
)

beheerder_vereist = recht_vereist(Recht.BEWAARTERMIJNEN_BEHEREN)


MAX_TE_VERWIJDEREN = 500


@beheerder_vereist
def bewaartermijnen(request):
    org_id = request.user.organisatie_id
    termijnen = bewaartermijnen_for(organisatie_id=org_id)
    form = BewaartermijnenForm(
        request.POST if request.POST.get("actie") == "termijnen" else None, termijnen=termijnen
    )
    if form.is_bound and form.is_valid():
        bewaartermijnen_set(door=request.user, jaren_per_type=form.cleaned_data)
        messages.success(request, _("De bewaartermijnen zijn opgeslagen."))
        return redirect("beheer:bewaartermijnen")
    if request.POST.get("actie") == "controleren":
        n = bewaarsignalering_refresh(organisatie_id=org_id)
        messages.success(
            request,
            ngettext(
                "%(n)s dossier heeft zijn bewaartermijn bereikt.",
                "%(n)s dossiers hebben hun bewaartermijn bereikt.",
                n,
            )
            % {"n": n},
        )
        return redirect("beheer:bewaartermijnen")
    if request.POST.get("actie") == "verwijderen":
        verwijderen = VerwijderenForm(request.POST)
        if verwijderen.is_valid():
            record = bewaaropdracht_schedule(
                door=request.user,
                leerling_ids=verwijderen.cleaned_data["leerling_ids"],
                soort=verwijderen.cleaned_data["soort"],
            )
            messages.success(
                request,
                ngettext(
                    "De opdracht (%(soort)s, %(n)s dossier) is ingepland en wordt op de "
                    "achtergrond uitgevoerd. Het resultaat staat onder “Eerder uitgevoerd”.",
                    "De opdracht (%(soort)s, %(n)s dossiers) is ingepland en wordt op de "
                    "achtergrond uitgevoerd. Het resultaat staat onder “Eerder uitgevoerd”.",
                    len(record.aangevraagd),
                )
                % {"soort": record.get_soort_display(), "n": len(record.aangevraagd)},
            )
            return redirect("beheer:bewaartermijnen")
        messages.error(request, _("Vink de bevestiging aan."))
    signaleringen = list(
        Bewaarsignalering.objects.filter(organisatie_id=org_id)[:MAX_TE_VERWIJDEREN]
    )
    return render(
        request,
        "beheer/bewaartermijnen.html",
        {
            "form": form,
            "signaleringen": signaleringen,
            "verwijderen": VerwijderenForm(
                initial={"leerling_ids": ",".join(str(s.leerling_id) for s in signaleringen)}
            ),
            "verwijderingen": Verwijdering.objects.filter(organisatie_id=org_id)[:20],
        },
    )
