"""Screens of besluiten: the TLV tab, the loket's Besluit page (deskundigen, TLV, afwijzing, FA),
the deskundige's Advies page and the beheerder's letter templates. Every hulpvraag comes through
the access module (404 otherwise); what a role may do on top of seeing it is checked here and
answered with 404 as well. Business rules live in the besluiten services
(services.py: the decisions; services_advies, services_brieven, services_herinneringen)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.eenmalig import AlVerstuurd, eenmalig
from accounts.rechten import Recht, mag, mag_in_eigen_organisatie
from audit.services import inzage_record
from besluiten import brieven
from besluiten.forms import AdviesForm, AfwijzingForm, FaForm, SjabloonForm, TlvForm, ToewijzenForm
from besluiten.models import Afwijzing, Briefsjabloon, BriefSoort, Deskundigenadvies, TlvSoort
from besluiten.selectors import (
    adviezen_for,
    besluit_allowed,
    besluit_for,
    deskundigen_for,
    eigen_advies_get_for,
    tlvs_for,
)
from besluiten.services import afwijzing_record, fa_record, tlv_record
from besluiten.services_advies import (
    advies_submit,
    adviezen_problemen_for,
    adviezen_waarschuwingen_for,
    deskundige_assign,
    discipline_suggest,
)
from besluiten.services_brieven import briefsjabloon_reset, briefsjabloon_save
from hulpvragen.access import hulpvraag_get_for
from hulpvragen.models import HulpvraagType
from hulpvragen.services import StatusWijzigingGeweigerd
from hulpvragen.tabs import render_tab


def tlv_tab(request, hulpvraag):
    """The TLV tab: the pupil's TLVs with their period and letters ("N Bijlagen"), a TLV near
    its einddatum flagged for renewal; for a TLV VSO also the deskundigenadvies as far as the
    user may see it."""
    adviezen = []
    if hulpvraag.type == HulpvraagType.TLV_VSO:
        adviezen = list(adviezen_for(user=request.user, hulpvraag=hulpvraag))
    afwijzing = None
    if hulpvraag.type == HulpvraagType.TLV_VSO and hulpvraag.status.eindstatus:
        afwijzing = Afwijzing.objects.filter(hulpvraag=hulpvraag).first()
    return render_tab(
        request,
        hulpvraag,
        "tlv",
        "besluiten/tab_tlv.html",
        {
            "regels": tlvs_for(user=request.user, leerling_id=hulpvraag.leerling_id),
            "adviezen": adviezen,
            "afwijzing": afwijzing,
            "is_loket": mag(request.user, Recht.BESLISSEN),
            "waarschuwingen": adviezen_waarschuwingen_for(adviezen)
            if mag(request.user, Recht.BESLISSEN)
            else [],
        },
    )


def _besluit_hulpvraag(request, pk):
    hulpvraag = hulpvraag_get_for(request.user, pk)
    if not besluit_allowed(request.user):
        raise Http404
    return hulpvraag


@login_required
def besluit(request, pk: int):
    """The loket's Besluit page of one hulpvraag: for a TLV VSO the two deskundigen and their
    advice, then "TLV vastleggen" or "Afwijzing vastleggen"; for an FA "Arrangement
    vastleggen". Each form records the decision, changes the status and makes the letter."""
    hulpvraag = _besluit_hulpvraag(request, pk)
    deskundigen = deskundigen_for(organisatie_id=hulpvraag.organisatie_id)
    forms = {}
    geweigerd = None
    actie = request.POST.get("actie") if request.method == "POST" else None

    if actie == "toewijzen":
        volgorde = request.POST.get("volgorde")
        form = ToewijzenForm(request.POST, deskundigen=deskundigen, auto_id=f"id_d{volgorde}_%s")
        forms[f"toewijzen{volgorde}"] = form
        if form.is_valid():
            try:
                deskundige_assign(
                    hulpvraag=hulpvraag,
                    door=request.user,
                    deskundige=form.cleaned_data["deskundige"],
                    volgorde=form.cleaned_data["volgorde"],
                    discipline=form.cleaned_data["discipline"],
                )
            except StatusWijzigingGeweigerd as refusal:
                geweigerd = refusal
            else:
                messages.success(
                    request,
                    _("Deskundige %(n)s is toegewezen en heeft leestoegang gekregen.")
                    % {"n": form.cleaned_data["volgorde"]},
                )
                return redirect("besluiten:besluit", pk=hulpvraag.pk)
    elif actie in ("tlv", "afwijzing", "fa"):
        form_class = {"tlv": TlvForm, "afwijzing": AfwijzingForm, "fa": FaForm}[actie]
        form = form_class(request.POST, auto_id=f"id_{actie}_%s")
        forms[actie] = form
        if form.is_valid():
            data = dict(form.cleaned_data)
            gezien = data.pop("gezien_status")
            try:
                # Posted twice: recorded once, the second post sees the first one's result (not
                # the stale-status refusal the engine would give it).
                with eenmalig(request) as inzending:
                    if actie == "tlv":
                        record = tlv_record(
                            hulpvraag=hulpvraag,
                            door=request.user,
                            soort=TlvSoort.VSO,
                            gezien_status=gezien,
                            **data,
                        )
                        melding = _("De TLV is vastgelegd en de toekenningsbrief is gemaakt.")
                    elif actie == "afwijzing":
                        record = afwijzing_record(
                            hulpvraag=hulpvraag, door=request.user, gezien_status=gezien, **data
                        )
                        melding = _("De afwijzing is vastgelegd en de afwijzingsbrief is gemaakt.")
                    else:
                        record = fa_record(
                            hulpvraag=hulpvraag, door=request.user, gezien_status=gezien, **data
                        )
                        melding = _(
                            "Het arrangement is vastgelegd en de toewijzingsbrief is gemaakt."
                        )
                    # The manual: the school finds the TLV's letter on the TLV tab.
                    url = (
                        reverse("hulpvragen:tab", args=[hulpvraag.pk, "tlv"])
                        if actie == "tlv"
                        else reverse("hulpvragen:detail", args=[hulpvraag.pk])
                    )
                    inzending.resultaat(
                        url=url,
                        melding=melding,
                        object=record,
                    )
            except AlVerstuurd as eerder:
                return eerder.antwoord(request)
            except StatusWijzigingGeweigerd as refusal:
                geweigerd = refusal
                hulpvraag = hulpvraag_get_for(request.user, pk)
            else:
                messages.success(request, melding)
                return redirect(url)
    elif request.method == "GET":
        inzage_record(
            gebruiker=request.user,
            onderdeel="besluit",
            leerling_id=hulpvraag.leerling_id,
            hulpvraag_id=hulpvraag.pk,
        )

    record = besluit_for(hulpvraag)
    adviezen = list(adviezen_for(user=request.user, hulpvraag=hulpvraag))
    per_volgorde = {a.volgorde: a for a in adviezen}
    gezien = {"gezien_status": hulpvraag.status_id}
    if hulpvraag.type == HulpvraagType.TLV_VSO:
        for volgorde in (1, 2):
            huidig = per_volgorde.get(volgorde)
            forms.setdefault(
                f"toewijzen{volgorde}",
                ToewijzenForm(
                    initial={
                        "volgorde": volgorde,
                        "deskundige": huidig.deskundige_id if huidig else None,
                        "discipline": huidig.discipline if huidig else "",
                    },
                    deskundigen=deskundigen,
                    auto_id=f"id_d{volgorde}_%s",
                ),
            )
        uitgebracht = [a for a in adviezen if a.uitgebracht and a.toelaatbaar]
        categorieen = {a.bekostigingscategorie for a in uitgebracht}
        forms.setdefault(
            "tlv",
            TlvForm(
                auto_id="id_tlv_%s",
                initial={
                    **gezien,
                    "bekostigingscategorie": categorieen.pop() if len(categorieen) == 1 else "",
                },
            ),
        )
        forms.setdefault("afwijzing", AfwijzingForm(initial=gezien, auto_id="id_afwijzing_%s"))
    elif hulpvraag.type == HulpvraagType.FA:
        forms.setdefault("fa", FaForm(initial=gezien, auto_id="id_fa_%s"))
        forms.setdefault("afwijzing", AfwijzingForm(initial=gezien, auto_id="id_afwijzing_%s"))

    return render(
        request,
        "besluiten/besluit.html",
        {
            "hulpvraag": hulpvraag,
            "record": record,
            "adviezen": per_volgorde,
            "advies1": per_volgorde.get(1),
            "advies2": per_volgorde.get(2),
            "problemen": adviezen_problemen_for(adviezen)
            if hulpvraag.type == HulpvraagType.TLV_VSO
            else [],
            "waarschuwingen": adviezen_waarschuwingen_for(adviezen),
            "forms": forms,
            "geweigerd": geweigerd,
            "open": not hulpvraag.status.eindstatus and record is None,
            "voorstellen": {u.pk: discipline_suggest(u) for u in deskundigen},
        },
    )


@login_required
def advies(request, pk: int):
    """The assigned deskundige records their advice (and may correct it until the decision)."""
    hulpvraag = hulpvraag_get_for(request.user, pk)
    eigen: Deskundigenadvies = eigen_advies_get_for(user=request.user, hulpvraag=hulpvraag)
    geweigerd = None
    if request.method == "POST":
        form = AdviesForm(request.POST)
        if form.is_valid():
            try:
                advies_submit(advies=eigen, door=request.user, **form.cleaned_data)
            except StatusWijzigingGeweigerd as refusal:
                geweigerd = refusal
            else:
                messages.success(request, _("Uw advies is opgeslagen."))
                return redirect("hulpvragen:tab", pk=hulpvraag.pk, tab="tlv")
    else:
        inzage_record(
            gebruiker=request.user,
            onderdeel="advies",
            leerling_id=hulpvraag.leerling_id,
            hulpvraag_id=hulpvraag.pk,
        )
        form = AdviesForm(
            initial={
                "toelaatbaar": None
                if eigen.toelaatbaar is None
                else ("ja" if eigen.toelaatbaar else "nee"),
                "bekostigingscategorie": eigen.bekostigingscategorie,
                "duur_schooljaren": eigen.duur_schooljaren,
                "motivering": eigen.motivering,
            }
        )
    return render(
        request,
        "besluiten/advies.html",
        {"hulpvraag": hulpvraag, "advies": eigen, "form": form, "geweigerd": geweigerd},
    )


# --- Letter templates (beheerder) ----------------------------------------------------------------


def _beheerder(request):
    if not mag_in_eigen_organisatie(request.user, Recht.BRIEFSJABLONEN_BEHEREN):
        raise Http404


@login_required
def sjablonen(request):
    _beheerder(request)

    eigen = {
        s.soort: s for s in Briefsjabloon.objects.filter(organisatie_id=request.user.organisatie_id)
    }
    return render(
        request,
        "besluiten/sjablonen.html",
        {"soorten": [(s, label, eigen.get(s)) for s, label in BriefSoort.choices]},
    )


@login_required
def sjabloon(request, soort: str):
    _beheerder(request)
    if soort not in BriefSoort.values:
        raise Http404
    organisatie_id = request.user.organisatie_id
    geweigerd = None
    if request.method == "POST" and "herstellen" in request.POST:
        briefsjabloon_reset(organisatie_id=organisatie_id, soort=soort)
        messages.success(request, _("De standaardtekst wordt weer gebruikt."))
        return redirect("besluiten:sjabloon", soort=soort)
    if request.method == "POST":
        form = SjabloonForm(request.POST)
        if form.is_valid():
            try:
                briefsjabloon_save(
                    organisatie_id=organisatie_id,
                    soort=soort,
                    tekst=form.cleaned_data["tekst"],
                    door=request.user,
                )
            except StatusWijzigingGeweigerd as refusal:
                geweigerd = refusal
            else:
                messages.success(request, _("Het sjabloon is opgeslagen."))
                return redirect("besluiten:sjablonen")
    else:
        form = SjabloonForm(
            initial={"tekst": brieven.sjabloon_tekst(organisatie_id=organisatie_id, soort=soort)}
        )
    return render(
        request,
        "besluiten/sjabloon.html",
        {
            "soort": soort,
            "label": BriefSoort(soort).label,
            "form": form,
            "geweigerd": geweigerd,
            "plaatshouders": brieven.PLAATSHOUDERS[soort].items(),
            "met_bezwaar": soort in brieven.MET_BEZWAAR,
        },
    )
