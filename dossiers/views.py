from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from dossiers.forms import LvsFormulier
from dossiers.selectors import iq_tests_for, lvs_edit_allowed, lvs_overzicht_for, toetsen_for
from dossiers.services import lvs_gegevens_save
from hulpvragen.access import hulpvraag_get_for
from hulpvragen.models import Hulpvraag
from hulpvragen.tabs import render_tab


@login_required
def lvs_tab(request, pk: int):
    """URL entry: access through the access module (404 for everyone who may not see it)."""
    return lvs_tab_view(request, hulpvraag_get_for(request.user, pk))


def lvs_tab_view(request, hulpvraag: Hulpvraag):
    """The LVS tab of a hulpvraag: the pupil's IQ tests, toetsen with DL and leerachterstand,
    the sociaal-emotionele questions and, after saving, the berekend advies. Takes a hulpvraag
    the caller got through hulpvragen.access (the shape of a tab view in a tab registry)."""
    leerling = hulpvraag.leerling
    mag_bewerken = lvs_edit_allowed(user=request.user)
    if request.method == "POST" and not mag_bewerken:
        raise PermissionDenied
    iq_tests, toetsen = iq_tests_for(leerling=leerling), toetsen_for(leerling=leerling)
    overzicht = lvs_overzicht_for(
        leerling=leerling,
        schoolgegevens=hulpvraag.schoolgegevens,
        iq_tests=iq_tests,
        toetsen=toetsen,
    )

    formulier = None
    if mag_bewerken:
        formulier = LvsFormulier(
            leerling=leerling,
            iq_tests=iq_tests,
            toetsen=toetsen,
            sociaal_emotioneel=overzicht.sociaal_emotioneel,
            data=request.POST if request.method == "POST" else None,
        )
        if request.method == "POST":
            if formulier.is_valid():
                lvs_gegevens_save(leerling=leerling, door=request.user, **formulier.wijzigingen())
                messages.success(request, _("De LVS-gegevens zijn opgeslagen."))
                return redirect(lvs_url(hulpvraag.pk) + "#berekend-advies")
            messages.error(
                request,
                _("Niet opgeslagen: controleer de velden met een melding. Uw invoer staat er nog."),
            )

    regels = {regel.toets.pk: regel for regel in overzicht.toetsen}
    toets_rijen = (
        [(form, regels.get(form.instance.pk)) for form in formulier.toetsen] if formulier else []
    )
    # In the hulpvraag view's frame (the pupil's hulpvragen, the tabs, the access audit).
    return render_tab(
        request,
        hulpvraag,
        "lvs",
        "dossiers/lvs.html",
        {
            "overzicht": overzicht,
            "formulier": formulier,
            "toets_rijen": toets_rijen,
            "mag_bewerken": mag_bewerken,
        },
    )


def lvs_url(hulpvraag_pk: int) -> str:
    return reverse("dossiers:lvs", args=[hulpvraag_pk])
