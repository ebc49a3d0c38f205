"""The Scholen screen (at /swv/scholen/): new school, changes, merge and closure, with history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.http import fouten_melden, fouten_op_formulier
from accounts.rechten import Recht, recht_vereist
from beheer.audit import audit_bekeken
from beheer.forms import (
    SchoolForm,
    SchoolKeuzeForm,
)
from beheer.selectors import (
    scholen_for,
    school_open_hulpvragen_for,
    schoolhistorie_for,
)
from beheer.services_scholen import school_close, school_create, school_merge, school_update
from organisaties.models import School

# The screens' rights come from the capability module (accounts/rechten.py).
swv_beheer_vereist = recht_vereist(Recht.BEHEERSCHERMEN)


@swv_beheer_vereist
def scholen(request):
    return render(request, "beheer/scholen.html", {"scholen": scholen_for(user=request.user)})


@swv_beheer_vereist
def school_nieuw(request):
    form = SchoolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            school = school_create(door=request.user, gegevens=form.cleaned_data)
        except ValidationError as e:
            fouten_op_formulier(form, e)
        else:
            messages.success(request, _("De school is toegevoegd."))
            return redirect("beheer:school", pk=school.pk)
    return render(request, "beheer/school.html", {"form": form, "school": None})


def _get_school(request, pk: int):
    return get_object_or_404(School, pk=pk, organisatie_id=request.user.organisatie_id)


@swv_beheer_vereist
def school_detail(request, pk: int):
    """A school's data and its history. A closed (opgeheven) school is history itself: its form is
    shown read-only and a post changes nothing."""
    school = _get_school(request, pk)
    form = SchoolForm(request.POST or None, instance=school, user=request.user)
    if not school.actief:
        for veld in form.fields.values():
            veld.disabled = True
    if request.method == "POST" and not school.actief:
        messages.error(request, _("Deze school is opgeheven; haar gegevens worden niet gewijzigd."))
        return redirect("beheer:school", pk=school.pk)
    if request.method == "POST" and form.is_valid():
        try:
            wijzigingen = school_update(door=request.user, school=school, **form.cleaned_data)
        except ValidationError as e:
            school.refresh_from_db()
            fouten_op_formulier(form, e)
        else:
            if wijzigingen:
                messages.success(request, _("De wijziging is opgeslagen en vastgelegd."))
            return redirect("beheer:school", pk=school.pk)
    return render(
        request,
        "beheer/school.html",
        {"form": form, "school": school, "historie": schoolhistorie_for(school=school)},
    )


@swv_beheer_vereist
def school_samenvoegen(request, pk: int):
    school = _get_school(request, pk)
    form = SchoolKeuzeForm(request.POST or None, user=request.user, school=school)
    zichtbaar, overig = school_open_hulpvragen_for(user=request.user, school=school)
    bevestigen = request.method == "POST" and form.is_valid()
    if bevestigen and request.POST.get("actie") == "bevestigen":
        try:
            school_merge(door=request.user, bron=school, doel=form.cleaned_data["doel"])
        except ValidationError as e:
            fouten_melden(request, e)
        else:
            messages.success(
                request,
                _("%(bron)s is samengevoegd met %(doel)s.")
                % {"bron": school.naam, "doel": form.cleaned_data["doel"].naam},
            )
            return redirect("beheer:school", pk=form.cleaned_data["doel"].pk)
    if zichtbaar:
        audit_bekeken(
            user=request.user,
            onderdeel="school",
            details=f"open hulpvragen van school {school.pk}: {len(zichtbaar)}",
        )
    return render(
        request,
        "beheer/school_actie.html",
        {
            "school": school,
            "form": form,
            "actie": "samenvoegen",
            "zichtbaar": zichtbaar,
            "overig": overig,
            "bevestigen": bevestigen,
            "aantal_dossiers": school.schoolgegevens.count(),
            "aantal_gebruikers": school.gebruikers.count(),
        },
    )


@swv_beheer_vereist
def school_sluiten(request, pk: int):
    school = _get_school(request, pk)
    form = SchoolKeuzeForm(request.POST or None, user=request.user, school=school, verplicht=False)
    zichtbaar, overig = school_open_hulpvragen_for(user=request.user, school=school)
    bevestigen = request.method == "POST" and form.is_valid()
    if bevestigen and request.POST.get("actie") == "bevestigen":
        try:
            school_close(door=request.user, school=school, doel=form.cleaned_data["doel"])
        except ValidationError as e:
            fouten_melden(request, e)
        else:
            messages.success(request, _("%(school)s is opgeheven.") % {"school": school.naam})
            return redirect("beheer:school", pk=school.pk)
    if zichtbaar:
        audit_bekeken(
            user=request.user,
            onderdeel="school",
            details=f"open hulpvragen van school {school.pk}: {len(zichtbaar)}",
        )
    return render(
        request,
        "beheer/school_actie.html",
        {
            "school": school,
            "form": form,
            "actie": "sluiten",
            "zichtbaar": zichtbaar,
            "overig": overig,
            "bevestigen": bevestigen,
        },
    )
