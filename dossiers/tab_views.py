"""The hulpvraag view's tabs that belong to the dossier: Basisgegevens, Schoolgegevens,
Mijn notities and Toegang. Each is called by hulpvragen.views.hulpvraag_tab_dispatch after the
access check, and renders through hulpvragen.tabs.render_tab."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from dossiers.dossier_forms import AdresForm, NotitieForm, SchoolgegevensForm, ToegangForm
from dossiers.selectors import notities_for
from dossiers.services import (
    adres_add,
    notitie_create,
    schoolgegevens_update,
    toegang_grant,
    toegang_revoke,
)
from hulpvragen.models import Toegang
from hulpvragen.tabs import render_tab, tab_url

# Who may change the pupil's address and schoolgegevens: the school that files and the loket.
WIJZIGERS = {Rol.SCHOOL, Rol.SWV_LOKET}


def basisgegevens_tab(request, hulpvraag):
    leerling = hulpvraag.leerling
    mag_wijzigen = request.user.rol in WIJZIGERS
    form = None
    if mag_wijzigen:
        form = AdresForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            adres_add(leerling=leerling, door=request.user, **form.cleaned_data)
            messages.success(request, _("Het nieuwe adres is toegevoegd."))
            return redirect(tab_url(hulpvraag.pk, "basisgegevens"))
    elif request.method == "POST":
        raise Http404
    return render_tab(
        request,
        hulpvraag,
        "basisgegevens",
        "dossiers/tab_basisgegevens.html",
        {"adressen": list(leerling.adressen.all()), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def schoolgegevens_tab(request, hulpvraag):
    sg = hulpvraag.schoolgegevens
    mag_wijzigen = request.user.rol in WIJZIGERS
    form = None
    if mag_wijzigen:
        form = SchoolgegevensForm(
            request.POST or None, user=request.user, initial=SchoolgegevensForm.initial_from(sg)
        )
        if request.method == "POST" and form.is_valid():
            schoolgegevens_update(schoolgegevens=sg, door=request.user, **form.model_data())
            messages.success(request, _("De schoolgegevens zijn opgeslagen."))
            return redirect(tab_url(hulpvraag.pk, "schoolgegevens"))
    elif request.method == "POST":
        raise Http404
    return render_tab(
        request,
        hulpvraag,
        "schoolgegevens",
        "dossiers/tab_schoolgegevens.html",
        {
            "sg": sg,
            "form": form,
            "bewerken": bool(form and (form.errors or "bewerken" in request.GET)),
        },
        status=400 if form is not None and form.errors else 200,
    )


def notities_tab(request, hulpvraag):
    form = NotitieForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        notitie_create(hulpvraag=hulpvraag, auteur=request.user, tekst=form.cleaned_data["tekst"])
        messages.success(request, _("Uw notitie is opgeslagen."))
        return redirect(tab_url(hulpvraag.pk, "notities"))
    return render_tab(
        request,
        hulpvraag,
        "notities",
        "dossiers/tab_notities.html",
        {"notities": list(notities_for(user=request.user, hulpvraag=hulpvraag)), "form": form},
        status=400 if form.errors else 200,
    )


def _rol_toegang(hulpvraag) -> list[dict]:
    """Who sees this hulpvraag by the role rules of hulpvragen/access.py, and why."""
    school = hulpvraag.schoolgegevens.school
    actief = User.objects.filter(organisatie_id=hulpvraag.organisatie_id, is_active=True)
    groepen = [
        {
            "reden": _("Ondersteuningscoördinator van %(school)s") % {"school": school.naam},
            "gebruikers": list(actief.filter(rol=Rol.SCHOOL, scholen=school)),
        },
        {
            "reden": _("Bevoegd gezag van %(school)s") % {"school": school.naam},
            "gebruikers": list(actief.filter(rol=Rol.BEVOEGD_GEZAG, bestuur_id=school.bestuur_id)),
        },
    ]
    if hulpvraag.status.zichtbaar_voor_swv:
        groepen.append(
            {
                "reden": _("Loket van het samenwerkingsverband (de aanvraag is ingediend)"),
                "gebruikers": list(actief.filter(rol=Rol.SWV_LOKET)),
            }
        )
    else:
        groepen.append(
            {
                "reden": _(
                    "Het samenwerkingsverband ziet deze hulpvraag nog niet: de status is een "
                    "voorlopige aanvraag."
                ),
                "gebruikers": [],
            }
        )
    return groepen


def toegang_tab(request, hulpvraag):
    beheer = request.user.rol == Rol.SWV_LOKET
    form = ToegangForm(request.POST or None, user=request.user) if beheer else None
    if request.method == "POST":
        if not beheer:
            raise Http404
        if "intrekken" in request.POST:
            toegang = Toegang.objects.filter(
                hulpvraag=hulpvraag, pk=request.POST.get("intrekken") or 0
            ).first()
            if toegang is None:
                raise Http404
            toegang_revoke(toegang=toegang, door=request.user)
            messages.success(
                request, _("De toegang van %(naam)s is ingetrokken.") % {"naam": toegang.gebruiker}
            )
            return redirect(tab_url(hulpvraag.pk, "toegang"))
        if form.is_valid():
            toegang_grant(
                hulpvraag=hulpvraag,
                gebruiker=form.cleaned_data["gebruiker"],
                door=request.user,
                reden=form.cleaned_data["reden"],
            )
            messages.success(
                request,
                _("%(naam)s heeft nu leestoegang.") % {"naam": form.cleaned_data["gebruiker"]},
            )
            return redirect(tab_url(hulpvraag.pk, "toegang"))
    toegangen = list(
        Toegang.objects.filter(hulpvraag=hulpvraag).select_related("gebruiker", "verleend_door")
    )
    return render_tab(
        request,
        hulpvraag,
        "toegang",
        "dossiers/tab_toegang.html",
        {
            "rolgroepen": _rol_toegang(hulpvraag),
            "toegangen": toegangen,
            "form": form,
            "beheer": beheer,
        },
        status=400 if form is not None and form.errors else 200,
    )
