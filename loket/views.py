"""The loket's screens. Every hulpvraag through the access module (404 outside); writes through
loket.services; who may open a screen is decided by role here (404 for anybody else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.rechten import Recht, mag, mag_in_eigen_organisatie
from hulpvragen.access import hulpvraag_get_for, hulpvragen_visible_to
from hulpvragen.models import Label
from hulpvragen.services import StatusWijzigingGeweigerd
from hulpvragen.tabs import render_tab, tab_url
from loket.forms import (
    AanpakForm,
    AgendaForm,
    BagAdviesForm,
    GenodigdeForm,
    InternOverlegForm,
    LoketInstellingenForm,
    ProUitkomstForm,
    ToewijzenForm,
    VergaderingForm,
    VerplaatsenForm,
    VragenForm,
)
from loket.klok import Fase
from loket.models import Agendapunt, Uitkomst, Vergadering, VergaderingSoort
from loket.selectors import TLV_WEERGAVEN, WEERGAVEN, werkvoorraad, werkvoorraad_aantallen
from loket.services import (
    aanpak_post,
    bij_school_keuzes_for,
    coordinatoren_for,
    hulpvraag_assign,
    loket_instellingen_for,
    loket_instellingen_update,
    vragen_send,
)
from loket.services_vergaderingen import (
    agendapunt_add,
    agendapunten_for,
    bag_advies_submit,
    interne_overlegronde_create,
    overlegronde_genodigde_invite,
    pro_uitkomst_record,
    vergadering_create,
    vergadering_move,
)

PER_PAGINA = 50


def alleen_loket(user: User, recht: Recht = Recht.WERKVOORRAAD) -> None:
    if not mag_in_eigen_organisatie(user, recht):
        raise Http404


@login_required
def werkvoorraad_view(request):
    alleen_loket(request.user)
    slugs = [slug for slug, _label in WEERGAVEN]
    weergave = request.GET.get("weergave", "")
    weergave = weergave if weergave in slugs else slugs[0]
    coordinator = request.GET.get("coordinator", "")
    coordinator = coordinator if coordinator in ("mij", "geen") else ""
    pagina = Paginator(
        werkvoorraad(user=request.user, weergave=weergave, coordinator=coordinator), PER_PAGINA
    ).get_page(request.GET.get("pagina"))
    nu = timezone.now()
    rijen = []
    for hulpvraag in pagina.object_list:
        if weergave in TLV_WEERGAVEN:
            rijen.append({"hulpvraag": hulpvraag, "tlv": hulpvraag.tlv})
            continue
        klok = hulpvraag.termijn.klok
        rijen.append(
            {
                "hulpvraag": hulpvraag,
                "fase": hulpvraag.termijn.get_fase_display(),
                "fase_slug": hulpvraag.termijn.fase,
                "dagen": klok.dagen_sinds_indienen(nu),
                "deadline": klok.deadline_op(nu),
                "gepauzeerd": klok.pauze_sinds is not None,
                "te_laat": klok.te_laat(nu),
                "label_ids": {label.pk for label in hulpvraag.labels.all()},
            }
        )
    aantallen = werkvoorraad_aantallen(user=request.user)
    return render(
        request,
        "loket/werkvoorraad.html",
        {
            "rijen": rijen,
            "pagina": pagina,
            "weergave": weergave,
            "tlv_weergave": weergave in TLV_WEERGAVEN,
            "coordinator": coordinator,
            "weergaven": [
                {"slug": slug, "label": label, "aantal": aantallen[slug]}
                for slug, label in WEERGAVEN
            ],
            # Evaluated once for every row's quick form (no query per row).
            "coordinatoren": list(coordinatoren_for(organisatie_id=request.user.organisatie_id)),
            "labels": list(Label.objects.filter(organisatie_id=request.user.organisatie_id)),
            "terug": request.get_full_path(),
        },
    )


@login_required
@require_POST
def toewijzen(request, pk: int):
    alleen_loket(request.user, Recht.COORDINATOR_TOEWIJZEN)
    hulpvraag = hulpvraag_get_for(request.user, pk)
    organisatie_id = request.user.organisatie_id
    form = ToewijzenForm(
        request.POST,
        coordinatoren=coordinatoren_for(organisatie_id=organisatie_id),
        labels=Label.objects.filter(organisatie_id=organisatie_id),
    )
    terug = request.POST.get("terug", "")
    if not url_has_allowed_host_and_scheme(terug, allowed_hosts={request.get_host()}):
        terug = reverse("loket:werkvoorraad")
    if not form.is_valid():
        messages.error(request, _("De toewijzing is niet opgeslagen: kies uit de lijst."))
        return redirect(terug)
    try:
        hulpvraag_assign(
            hulpvraag=hulpvraag,
            door=request.user,
            coordinator=form.cleaned_data["coordinator"],
            labels=form.cleaned_data["labels"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Coördinator en labels van hulpvraag %(nr)s opgeslagen.") % {"nr": pk}
        )
    return redirect(terug)


@login_required
def instellingen(request):
    user = request.user
    if not mag_in_eigen_organisatie(user, Recht.LOKETINSTELLINGEN_BEHEREN):
        raise Http404
    huidige = loket_instellingen_for(organisatie_id=user.organisatie_id)
    form = LoketInstellingenForm(request.POST or None, instance=huidige)
    if request.method == "POST" and form.is_valid():
        loket_instellingen_update(
            organisatie=user.organisatie,
            door=user,
            beslistermijn_weken=form.cleaned_data["beslistermijn_weken"],
        )
        messages.success(request, _("De loketinstellingen zijn opgeslagen."))
        return redirect("loket:instellingen")
    return render(request, "loket/instellingen.html", {"form": form})


@login_required
def vragen(request, pk: int):
    """Incompleet / vragen gesteld with the toelichting and the questions document."""
    alleen_loket(request.user, Recht.VRAGEN_STELLEN)
    hulpvraag = hulpvraag_get_for(request.user, pk)
    keuzes = bij_school_keuzes_for(hulpvraag=hulpvraag, user=request.user)
    form = VragenForm(
        request.POST or None,
        request.FILES or None,
        keuzes=keuzes,
        initial={"gezien_status": hulpvraag.status_id},
    )
    if request.method == "POST" and form.is_valid():
        naar = next(s for s in keuzes if s.pk == form.cleaned_data["naar"])
        try:
            _wijziging, bijlagen = vragen_send(
                hulpvraag=hulpvraag,
                door=request.user,
                naar=naar,
                toelichting=form.cleaned_data["toelichting"],
                vragen=form.cleaned_data["vragen"],
                document=form.cleaned_data["document"],
                gezien_status=form.cleaned_data["gezien_status"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except StatusWijzigingGeweigerd as refusal:
            form.add_error(None, [refusal.message, *refusal.ontbrekend])
        else:
            messages.success(
                request,
                _("De status is gewijzigd naar “%(naar)s”; de school krijgt bericht.")
                % {"naar": naar.naam},
            )
            return redirect("hulpvragen:detail", pk=hulpvraag.pk)
    return render(
        request,
        "loket/vragen.html",
        {"hulpvraag": hulpvraag, "form": form, "keuzes": keuzes},
        status=400 if form.errors else 200,
    )


# --- Meetings ------------------------------------------------------------------------------------


def _swv_vergadering(user: User, pk: int) -> Vergadering:
    vergadering = Vergadering.objects.filter(
        pk=pk,
        organisatie_id=user.organisatie_id,
        soort__in=[VergaderingSoort.BAG, VergaderingSoort.PRO],
    ).first()
    if vergadering is None:
        raise Http404
    return vergadering


@login_required
def vergaderingen(request):
    """BAG-overleggen and PrO-loketvergaderingen: the list, and planning a new one."""
    alleen_loket(request.user, Recht.VERGADERINGEN_BEHEREN)
    form = VergaderingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vergadering = vergadering_create(door=request.user, **form.cleaned_data)
        messages.success(request, _("%(v)s gepland.") % {"v": vergadering})
        return redirect("loket:vergadering", pk=vergadering.pk)
    lijst = (
        Vergadering.objects.filter(
            organisatie_id=request.user.organisatie_id,
            soort__in=[VergaderingSoort.BAG, VergaderingSoort.PRO],
        )
        .annotate(aantal=Count("agendapunten"))
        .order_by("-datum", "-tijd", "-id")[:200]
    )
    return render(
        request,
        "loket/vergaderingen.html",
        {"vergaderingen": lijst, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def vergadering_verplaatsen_view(request, pk: int):
    """Another date, time or place for a meeting; the schools of a BAG-overleg's open agenda
    items are told by e-mail."""
    alleen_loket(request.user, Recht.VERGADERINGEN_BEHEREN)
    vergadering = _swv_vergadering(request.user, pk)
    form = VerplaatsenForm(
        request.POST or None,
        initial={
            "datum": vergadering.datum,
            "tijd": vergadering.tijd,
            "plaats": vergadering.plaats,
        },
    )
    if request.method == "POST" and form.is_valid():
        berichten = vergadering_move(
            vergadering=vergadering, door=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            ngettext(
                "De vergadering is verplaatst; %(n)d school krijgt hierover een e-mail.",
                "De vergadering is verplaatst; %(n)d scholen krijgen hierover een e-mail.",
                len(berichten),
            )
            % {"n": len(berichten)},
        )
        return redirect("loket:vergadering", pk=vergadering.pk)
    return render(
        request,
        "loket/vergadering_verplaatsen.html",
        {"vergadering": vergadering, "form": form},
        status=400 if form.errors else 200,
    )


def _kandidaten(user: User, vergadering: Vergadering):
    if vergadering.soort == VergaderingSoort.BAG:
        type_, fasen = "BAG", [Fase.INGEDIEND, Fase.IN_BEHANDELING]
    else:
        type_, fasen = "PRO", [Fase.INGEDIEND, Fase.AANGEVULD]
    return (
        hulpvragen_visible_to(user)
        .filter(type=type_, termijn__fase__in=fasen)
        .exclude(agendapunten__vergadering=vergadering)
        .select_related("leerling", "schoolgegevens__school", "status")
        .order_by("termijn__ingediend_op", "pk")[:200]
    )


@login_required
def vergadering(request, pk: int):
    """One meeting: its agenda, putting hulpvragen on it, and per hulpvraag the outcome."""
    alleen_loket(request.user, Recht.VERGADERINGEN_BEHEREN)
    vergadering = _swv_vergadering(request.user, pk)
    kandidaten = list(_kandidaten(request.user, vergadering))
    form = AgendaForm(request.POST or None, kandidaten=kandidaten)
    if request.method == "POST" and form.is_valid():
        hulpvraag = hulpvraag_get_for(request.user, form.cleaned_data["hulpvraag"])
        try:
            agendapunt_add(vergadering=vergadering, hulpvraag=hulpvraag, door=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        except StatusWijzigingGeweigerd as refusal:
            form.add_error(None, [refusal.message, *refusal.ontbrekend])
        else:
            messages.success(request, _("De hulpvraag staat op de agenda."))
            return redirect("loket:vergadering", pk=vergadering.pk)
    agenda = (
        vergadering.agendapunten.filter(hulpvraag__in=hulpvragen_visible_to(request.user))
        .select_related(
            "hulpvraag__leerling", "hulpvraag__status", "hulpvraag__schoolgegevens__school"
        )
        .order_by("toegevoegd_op", "pk")
    )
    return render(
        request,
        "loket/vergadering.html",
        {
            "vergadering": vergadering,
            "agenda": agenda,
            "form": form,
            "advies_form": BagAdviesForm(),
            "uitkomst_form": ProUitkomstForm(),
            "open": Uitkomst.OPEN,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def agendapunt_afhandelen(request, pk: int, punt: int):
    """After the meeting: the BAG advice (with file) or the PrO outcome for one hulpvraag."""
    alleen_loket(request.user, Recht.VERGADERINGEN_BEHEREN)
    vergadering = _swv_vergadering(request.user, pk)
    agendapunt = Agendapunt.objects.filter(vergadering=vergadering, pk=punt).first()
    if agendapunt is None:
        raise Http404
    agendapunt.hulpvraag = hulpvraag_get_for(request.user, agendapunt.hulpvraag_id)
    if vergadering.soort == VergaderingSoort.BAG:
        form = BagAdviesForm(request.POST, request.FILES)
    else:
        form = ProUitkomstForm(request.POST)
    fouten: list[str] = []
    if form.is_valid():
        try:
            if vergadering.soort == VergaderingSoort.BAG:
                bag_advies_submit(
                    agendapunt=agendapunt,
                    door=request.user,
                    toelichting=form.cleaned_data["toelichting"],
                    advies=form.cleaned_data["advies"],
                )
            else:
                pro_uitkomst_record(
                    agendapunt=agendapunt,
                    door=request.user,
                    uitkomst=form.cleaned_data["uitkomst"],
                    toelichting=form.cleaned_data["toelichting"],
                    ingangsdatum=form.cleaned_data["ingangsdatum"],
                    einddatum=form.cleaned_data["einddatum"],
                )
        except ValidationError as exc:
            fouten = exc.messages
        except StatusWijzigingGeweigerd as refusal:
            fouten = [refusal.message, *refusal.ontbrekend]
    else:
        fouten = [f"{form.fields[n].label}: {' '.join(e)}" for n, e in form.errors.items()]
    if fouten:
        messages.error(request, " ".join(str(f) for f in fouten))
    else:
        messages.success(
            request,
            _("Vastgelegd; de status is nu “%(status)s”.")
            % {"status": agendapunt.hulpvraag.status.naam},
        )
    return redirect("loket:vergadering", pk=vergadering.pk)


def overlegronde_tab(request, hulpvraag):
    """The Overlegronde tab: the meetings about this hulpvraag. Loket and deskundige see the SWV's
    meetings; the school sees only its own internal rounds, plans them here and invites an
    outsider to one (time-limited read access through the Toegang service)."""
    user = request.user
    form = uitnodiging = None
    uitnodigen_voor = None
    if mag(user, Recht.INTERNE_OVERLEGRONDE):
        form = InternOverlegForm(None if "uitnodigen" in request.POST else request.POST or None)
        if "uitnodigen" in request.POST:
            uitnodigen_voor = (
                agendapunten_for(hulpvraag=hulpvraag, user=user)
                .filter(pk=request.POST.get("uitnodigen") or 0)
                .first()
            )
            if uitnodigen_voor is None:
                raise Http404
            uitnodiging = GenodigdeForm(request.POST)
            if uitnodiging.is_valid():
                try:
                    toegang = overlegronde_genodigde_invite(
                        agendapunt=uitnodigen_voor, door=user, **uitnodiging.cleaned_data
                    )
                except ValidationError as exc:
                    uitnodiging.add_error(None, exc)
                else:
                    messages.success(
                        request,
                        _("%(naam)s is uitgenodigd en kan de hulpvraag lezen tot en met %(datum)s.")
                        % {"naam": toegang.gebruiker, "datum": f"{toegang.geldig_tot:%d-%m-%Y}"},
                    )
                    return redirect(tab_url(hulpvraag.pk, "overlegronde"))
        elif request.method == "POST" and form.is_valid():
            interne_overlegronde_create(hulpvraag=hulpvraag, door=user, **form.cleaned_data)
            messages.success(request, _("De interne overlegronde is gepland."))
            return redirect(tab_url(hulpvraag.pk, "overlegronde"))
    elif request.method == "POST":
        raise Http404
    punten = list(
        agendapunten_for(hulpvraag=hulpvraag, user=user).order_by(
            "-vergadering__datum", "-vergadering__tijd"
        )
    )
    for punt in punten:
        intern = punt.vergadering.soort == VergaderingSoort.INTERN
        punt.uitnodiging = None
        if intern and mag(user, Recht.INTERNE_OVERLEGRONDE):
            punt.uitnodiging = (
                uitnodiging
                if uitnodigen_voor is not None and uitnodigen_voor.pk == punt.pk
                else GenodigdeForm(initial={"geldig_tot": punt.vergadering.datum})
            )
    fouten = (form is not None and form.errors) or (uitnodiging is not None and uitnodiging.errors)
    return render_tab(
        request,
        hulpvraag,
        "overlegronde",
        "loket/tab_overlegronde.html",
        {"punten": punten, "form": form},
        status=400 if fouten else 200,
    )


def aanpak_tab(request, hulpvraag):
    """The Aanpak tab: everyone who sees the hulpvraag reads the SWV's beschikking and agreed
    approach; the loket posts a new one (the school gets an e-mail)."""
    user = request.user
    form = AanpakForm(request.POST or None) if mag(user, Recht.AANPAK_PLAATSEN) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            aanpak_post(hulpvraag=hulpvraag, door=user, **form.cleaned_data)
            messages.success(request, _("De aanpak is geplaatst; de school krijgt bericht."))
            return redirect(tab_url(hulpvraag.pk, "aanpak"))
    return render_tab(
        request,
        hulpvraag,
        "aanpak",
        "loket/tab_aanpak.html",
        {"aanpakken": hulpvraag.aanpakken.all(), "form": form},
        status=400 if form is not None and form.errors else 200,
    )
