"""Screens for the SWV's loket and beheerder. Every view answers 404 to anybody else (also to
another organisation's loket), like the rest of the application."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import fouten_melden
from accounts.rechten import Recht, mag_in_eigen_organisatie, recht_vereist
from beheer.audit import audit_bekeken
from beheer.forms import (
    AanvraagForm,
    AfwijzenForm,
    GoedkeurenForm,
    PersoneelswijzigingForm,
)
from beheer.models import PersoneelswijzigingStatus
from beheer.selectors import (
    personeelswijziging_preview,
    personeelswijzigingen_for,
)
from beheer.services import (
    personeelswijziging_apply,
    personeelswijziging_reject,
    personeelswijziging_request,
    personeelswijziging_undo,
    personeelswijziging_undo_allowed,
)
from hulpvragen.access import hulpvragen_visible_to

# The screens' rights come from the capability module (accounts/rechten.py).
swv_beheer_vereist = recht_vereist(Recht.BEHEERSCHERMEN)


@swv_beheer_vereist
def index(request):
    return render(request, "beheer/index.html")


@swv_beheer_vereist
def personeelswijziging_lijst(request):
    wijzigingen = personeelswijzigingen_for(user=request.user)[:200]
    return render(request, "beheer/personeelswijziging_lijst.html", {"wijzigingen": wijzigingen})


@swv_beheer_vereist
def personeelswijziging_nieuw(request):
    form = PersoneelswijzigingForm(request.POST or None, user=request.user)
    voorbeeld = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if request.POST.get("actie") == "toepassen":
            try:
                pw = personeelswijziging_apply(
                    door=request.user,
                    school=d["school"],
                    vertrekkend=d["vertrekkend"],
                    vertrekkend_email=d["vertrekkend_email"],
                    opvolger=d["opvolger"],
                    ingangsdatum=d["ingangsdatum"],
                    toelichting=d["toelichting"],
                )
            except ValidationError as e:
                fouten_melden(request, e)
            else:
                messages.success(
                    request,
                    _("De personeelswijziging is toegepast op %(n)s schoolgegevens.")
                    % {"n": pw.regels.count()},
                )
                return redirect("beheer:personeelswijziging", pk=pw.pk)
        voorbeeld = personeelswijziging_preview(
            user=request.user,
            school=d["school"],
            vertrekkend=d["vertrekkend"],
            vertrekkend_email=d["vertrekkend_email"] or getattr(d["vertrekkend"], "email", ""),
        )
    if voorbeeld is not None and voorbeeld.zichtbaar:
        audit_bekeken(
            user=request.user,
            onderdeel="personeelswijziging",
            details=f"voorbeeld, {len(voorbeeld.zichtbaar)} hulpvragen",
        )
    return render(
        request,
        "beheer/personeelswijziging_nieuw.html",
        {
            "form": form,
            "voorbeeld": voorbeeld,
            "voorbeeld_school": form.cleaned_data["school"] if voorbeeld is not None else None,
        },
    )


def _get_wijziging(request, pk: int):
    return get_object_or_404(personeelswijzigingen_for(user=request.user), pk=pk)


@swv_beheer_vereist
def personeelswijziging_detail(request, pk: int):
    pw = _get_wijziging(request, pk)
    goedkeuren = afwijzen = voorbeeld = None
    if pw.status == PersoneelswijzigingStatus.AANGEVRAAGD:
        goedkeuren = GoedkeurenForm(
            request.POST or None,
            user=request.user,
            initial={"ingangsdatum": pw.ingangsdatum},
        )
        afwijzen = AfwijzenForm()
        if request.method == "POST" and goedkeuren.is_valid():
            d = goedkeuren.cleaned_data
            if request.POST.get("actie") == "toepassen":
                try:
                    personeelswijziging_apply(
                        door=request.user,
                        school=pw.school,
                        vertrekkend=pw.vertrekkend,
                        vertrekkend_email=pw.vertrekkend_email,
                        opvolger=d["opvolger"],
                        ingangsdatum=d["ingangsdatum"],
                        aanvraag=pw,
                    )
                except ValidationError as e:
                    fouten_melden(request, e)
                else:
                    messages.success(request, _("De aanvraag is goedgekeurd en toegepast."))
                    return redirect("beheer:personeelswijziging", pk=pw.pk)
            voorbeeld = personeelswijziging_preview(
                user=request.user,
                school=pw.school,
                vertrekkend=pw.vertrekkend,
                vertrekkend_email=pw.vertrekkend_email,
            )
    regels = list(pw.regels.all())
    sg_ids = [r.schoolgegevens_id for r in regels]
    zichtbaar = list(
        hulpvragen_visible_to(request.user)
        .filter(schoolgegevens_id__in=sg_ids)
        .select_related("leerling", "status")
        .order_by("leerling__achternaam", "pk")
    )
    if zichtbaar or (voorbeeld is not None and voorbeeld.zichtbaar):
        audit_bekeken(
            user=request.user,
            onderdeel="personeelswijziging",
            details=f"wijziging {pw.pk}, {len(zichtbaar)} hulpvragen",
        )
    return render(
        request,
        "beheer/personeelswijziging_detail.html",
        {
            "pw": pw,
            "regels": regels,
            "zichtbaar": zichtbaar,
            "kan_ongedaan": personeelswijziging_undo_allowed(pw),
            "goedkeuren": goedkeuren,
            "afwijzen": afwijzen,
            "voorbeeld": voorbeeld,
            "voorbeeld_school": pw.school,
        },
    )


@require_POST
@swv_beheer_vereist
def personeelswijziging_ongedaan(request, pk: int):
    pw = _get_wijziging(request, pk)
    try:
        n = personeelswijziging_undo(personeelswijziging=pw, door=request.user)
    except ValidationError as e:
        fouten_melden(request, e)
    else:
        messages.success(
            request,
            _("De personeelswijziging is ongedaan gemaakt (%(n)s schoolgegevens).") % {"n": n},
        )
    return redirect("beheer:personeelswijziging", pk=pw.pk)


@require_POST
@swv_beheer_vereist
def personeelswijziging_afwijzen(request, pk: int):
    pw = _get_wijziging(request, pk)
    form = AfwijzenForm(request.POST)
    if form.is_valid():
        try:
            personeelswijziging_reject(
                personeelswijziging=pw,
                door=request.user,
                toelichting=form.cleaned_data["toelichting"],
            )
        except ValidationError as e:
            fouten_melden(request, e)
        else:
            messages.success(request, _("De aanvraag is afgewezen."))
    else:
        messages.error(request, _("Vul een reden in."))
    return redirect("beheer:personeelswijziging", pk=pw.pk)


@login_required
def personeelswijziging_aanvragen(request):
    """For a school's coordinator: request a personeelswijziging and follow earlier requests."""
    if not mag_in_eigen_organisatie(request.user, Recht.PERSONEELSWIJZIGING_AANVRAGEN):
        raise Http404
    form = AanvraagForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            personeelswijziging_request(
                door=request.user,
                school=d["school"],
                vertrekkend=d["vertrekkend"],
                vertrekkend_email=d["vertrekkend_email"],
                opvolger_naam=d["opvolger_naam"],
                opvolger_email=d["opvolger_email"],
                ingangsdatum=d["ingangsdatum"],
                toelichting=d["toelichting"],
            )
        except ValidationError as e:
            fouten_melden(request, e)
        else:
            messages.success(
                request,
                _(
                    "Uw aanvraag is naar het loket gestuurd. U ziet hieronder wanneer die "
                    "is behandeld."
                ),
            )
            return redirect("beheer:aanvragen")
    aanvragen = personeelswijzigingen_for(user=request.user)[:50]
    return render(
        request, "beheer/personeelswijziging_aanvragen.html", {"form": form, "aanvragen": aanvragen}
    )
