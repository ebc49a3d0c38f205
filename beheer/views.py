"""Screens for the SWV's loket and beheerder. Every view answers 404 to anybody else (also to
another organisation's loket), like the rest of the application."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import client_ip
from accounts.models import Rol
from accounts.rechten import Recht, mag, mag_in_eigen_organisatie, recht_vereist
from accounts.services import tweede_factor_reset
from beheer.audit import audit_bekeken
from beheer.auditlog import auditlog_zoeken
from beheer.forms import (
    AanvraagForm,
    AfwijzenForm,
    AuditlogZoekForm,
    BewaartermijnenForm,
    GebruikerForm,
    GebruikersFilter,
    GoedkeurenForm,
    InzageZoekForm,
    PeriodeForm,
    PersoneelswijzigingForm,
    SchoolForm,
    SchoolKeuzeForm,
    VerwijderenForm,
)
from beheer.inzage import inzage_verzamelen, inzage_zip
from beheer.kengetallen import kengetallen_for
from beheer.models import Bewaarsignalering, PersoneelswijzigingStatus, Verwijdering
from beheer.selectors import (
    bewaartermijnen_for,
    gebruikers_for,
    personeelswijziging_voorbeeld,
    personeelswijzigingen_for,
    scholen_for,
    school_open_hulpvragen,
    schoolhistorie_for,
)
from beheer.services import (
    bewaaropdracht_plannen,
    bewaarsignalering_refresh,
    bewaartermijnen_set,
    gebruiker_create,
    gebruiker_set_actief,
    gebruiker_update,
    personeelswijziging_apply,
    personeelswijziging_kan_ongedaan,
    personeelswijziging_reject,
    personeelswijziging_request,
    personeelswijziging_undo,
    school_close,
    school_create,
    school_merge,
    school_update,
)
from beheer.svg import staafdiagram
from beheer.xlsx import XLSX_CONTENT_TYPE, werkmap
from hulpvragen.access import (
    hulpvragen_visible_to,
    leerling_get_for_inzage,
    leerlingen_for_inzage,
)
from kindkans.spreadsheet import csv_schrijver
from loket.services import loket_instellingen_voor
from organisaties.models import School

# The screens' rights come from the capability module (accounts/rechten.py).
swv_beheer_vereist = recht_vereist(Recht.BEHEERSCHERMEN)
beheerder_vereist = recht_vereist(Recht.BEWAARTERMIJNEN_BEHEREN)
gebruikersbeheer_vereist = recht_vereist(Recht.GEBRUIKERS_BEHEREN)
auditlog_vereist = recht_vereist(Recht.AUDITLOG_BEKIJKEN)
kengetallen_vereist = recht_vereist(Recht.KENGETALLEN_BEKIJKEN)


def _fouten(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@swv_beheer_vereist
def index(request):
    return render(request, "beheer/index.html")


# --- Personeelswijziging -------------------------------------------------------------------------


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
                _fouten(request, e)
            else:
                messages.success(
                    request,
                    _("De personeelswijziging is toegepast op %(n)s schoolgegevens.")
                    % {"n": pw.regels.count()},
                )
                return redirect("beheer:personeelswijziging", pk=pw.pk)
        voorbeeld = personeelswijziging_voorbeeld(
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
                    _fouten(request, e)
                else:
                    messages.success(request, _("De aanvraag is goedgekeurd en toegepast."))
                    return redirect("beheer:personeelswijziging", pk=pw.pk)
            voorbeeld = personeelswijziging_voorbeeld(
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
            "kan_ongedaan": personeelswijziging_kan_ongedaan(pw),
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
        _fouten(request, e)
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
            _fouten(request, e)
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
            _fouten(request, e)
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


# --- Users ---------------------------------------------------------------------------------------


@gebruikersbeheer_vereist
def gebruikers(request):
    filter_form = GebruikersFilter(request.GET or None)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    page = Paginator(gebruikers_for(user=request.user, **filters), 50).get_page(
        request.GET.get("pagina")
    )
    querystring = request.GET.copy()
    querystring.pop("pagina", None)
    return render(
        request,
        "beheer/gebruikers.html",
        {"page": page, "filter": filter_form, "querystring": querystring.urlencode()},
    )


def _gebruiker_opslaan(request, form, *, nieuw: bool):
    d = form.cleaned_data
    try:
        if nieuw:
            gegevens = {k: d[k] for k in form.Meta.fields if k != "scholen"}
            gebruiker = gebruiker_create(door=request.user, gegevens=gegevens, scholen=d["scholen"])
        else:
            gebruiker = gebruiker_update(
                door=request.user, gebruiker=form.instance, scholen=d["scholen"]
            )
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, e)
        return None
    return gebruiker


@gebruikersbeheer_vereist
def gebruiker_nieuw(request):
    form = GebruikerForm(request.POST or None, beheerder=request.user)
    if request.method == "POST" and form.is_valid():
        gebruiker = _gebruiker_opslaan(request, form, nieuw=True)
        if gebruiker is not None:
            messages.success(
                request,
                _(
                    "Account “%(naam)s” is aangemaakt. De gebruiker stelt zelf een wachtwoord in "
                    "via “Wachtwoord vergeten” en koppelt bij de eerste keer inloggen de "
                    "authenticator-app."
                )
                % {"naam": gebruiker.username},
            )
            return redirect("beheer:gebruiker", pk=gebruiker.pk)
    return render(request, "beheer/gebruiker.html", {"form": form, "gebruiker": None})


def _get_gebruiker(request, pk: int):
    return get_object_or_404(gebruikers_for(user=request.user).exclude(rol=Rol.PLATFORM), pk=pk)


@gebruikersbeheer_vereist
def gebruiker_detail(request, pk: int):
    gebruiker = _get_gebruiker(request, pk)
    form = GebruikerForm(request.POST or None, instance=gebruiker, beheerder=request.user)
    if request.method == "POST" and form.is_valid():
        if _gebruiker_opslaan(request, form, nieuw=False) is not None:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("beheer:gebruiker", pk=gebruiker.pk)
        gebruiker.refresh_from_db()
    return render(request, "beheer/gebruiker.html", {"form": form, "gebruiker": gebruiker})


@require_POST
@gebruikersbeheer_vereist
def gebruiker_actief(request, pk: int):
    gebruiker = _get_gebruiker(request, pk)
    actief = request.POST.get("actief") == "ja"
    try:
        gebruiker_set_actief(door=request.user, gebruiker=gebruiker, actief=actief)
    except ValidationError as e:
        _fouten(request, e)
    else:
        messages.success(
            request,
            _("Het account is weer actief.") if actief else _("Het account is gedeactiveerd."),
        )
    return redirect("beheer:gebruiker", pk=gebruiker.pk)


# --- Schools -------------------------------------------------------------------------------------


@swv_beheer_vereist
def scholen(request):
    return render(request, "beheer/scholen.html", {"scholen": scholen_for(user=request.user)})


def _model_fouten(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@swv_beheer_vereist
def school_nieuw(request):
    form = SchoolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            school = school_create(door=request.user, gegevens=form.cleaned_data)
        except ValidationError as e:
            _model_fouten(form, e)
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
            _model_fouten(form, e)
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
    zichtbaar, overig = school_open_hulpvragen(user=request.user, school=school)
    bevestigen = request.method == "POST" and form.is_valid()
    if bevestigen and request.POST.get("actie") == "bevestigen":
        try:
            school_merge(door=request.user, bron=school, doel=form.cleaned_data["doel"])
        except ValidationError as e:
            _fouten(request, e)
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
    zichtbaar, overig = school_open_hulpvragen(user=request.user, school=school)
    bevestigen = request.method == "POST" and form.is_valid()
    if bevestigen and request.POST.get("actie") == "bevestigen":
        try:
            school_close(door=request.user, school=school, doel=form.cleaned_data["doel"])
        except ValidationError as e:
            _fouten(request, e)
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


# --- Retention -----------------------------------------------------------------------------------

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
            record = bewaaropdracht_plannen(
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


# --- Inzage (AVG art. 15) ------------------------------------------------------------------------


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


# --- Kengetallen ---------------------------------------------------------------------------------

CSV_TABELLEN = {
    "type": ("Type", "Aantal"),
    "status": ("Type", "Status", "Aantal"),
    "school": ("School", "Aantal"),
    "doorlooptijd": ("Type", "Aantal", "Mediaan (dagen)", "P25", "P75", "Minimum", "Maximum"),
    "te_laat": (
        "Hulpvraag",
        "Type",
        "School",
        "Status",
        "Ingediend op",
        "Dagen",
        "Uiterste besluitdatum",
    ),
    "tlv": ("Soort TLV", "Bekostigingscategorie", "Aantal"),
}


XLSX_TITELS = {
    "type": "Per type",
    "status": "Per type en status",
    "school": "Per school",
    "doorlooptijd": "Doorlooptijd",
    "te_laat": "Besluit te laat",
    "tlv": "TLV per bekostiging",
}


def _csv_rijen(k, tabel: str):
    if tabel == "type":
        return k.per_type
    if tabel == "status":
        return k.per_status
    if tabel == "school":
        return k.per_school
    if tabel == "tlv":
        return k.tlv_bekostiging
    if tabel == "doorlooptijd":
        return [
            (s.label, s.n, s.mediaan, s.p25, s.p75, s.minimum, s.maximum) for s in k.doorlooptijd
        ]
    return [
        (
            t.hulpvraag.pk,
            t.hulpvraag.get_type_display(),
            t.hulpvraag.schoolgegevens.school.naam,
            t.hulpvraag.status.naam,
            f"{timezone.localtime(t.ingediend_op):%d-%m-%Y}",
            t.dagen,
            f"{timezone.localtime(t.uiterste_besluitdatum):%d-%m-%Y}",
        )
        for t in k.te_laat
    ]


@kengetallen_vereist
def kengetallen(request):
    """The loket's and the beheerder's reports. The overdue list names hulpvragen: it, its export
    and the "te laat" chart are the loket's only (the beheerder sees no pupil data)."""
    is_loket = mag(request.user, Recht.EXPORTEREN)
    tabellen = [t for t in CSV_TABELLEN if is_loket or t != "te_laat"]
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
        namen = tabellen if tabel == "alle" else [tabel]
        response = HttpResponse(
            werkmap((XLSX_TITELS[naam], CSV_TABELLEN[naam], _csv_rijen(k, naam)) for naam in namen),
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
        response.write("\ufeff")  # so Excel reads UTF-8
        schrijver = csv_schrijver(response, delimiter=";")
        schrijver.writerow(CSV_TABELLEN[tabel])
        schrijver.writerows(_csv_rijen(k, tabel))
        return response
    querystring = f"van={van:%d-%m-%Y}&tot={tot:%d-%m-%Y}"
    te_laat_per_type: dict[str, int] = {}
    for t in k.te_laat:
        label = t.hulpvraag.get_type_display()
        te_laat_per_type[label] = te_laat_per_type.get(label, 0) + 1
    grafieken = {
        "type": staafdiagram(_("Hulpvragen per type"), k.per_type),
        "school": staafdiagram(_("Hulpvragen per school"), k.per_school[:25]),
        "doorlooptijd": staafdiagram(
            _("Mediane doorlooptijd in dagen, met de middelste helft"),
            [(s.label, s.mediaan) for s in k.doorlooptijd],
            spreiding=[(s.p25, s.p75) for s in k.doorlooptijd],
        ),
        "te_laat": staafdiagram(_("Besluit te laat per type"), list(te_laat_per_type.items())),
        "tlv": staafdiagram(
            _("TLV's per bekostigingscategorie"),
            [(f"{soort} {categorie}", n) for soort, categorie, n in k.tlv_bekostiging],
        ),
    }
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
            "beslistermijn_weken": loket_instellingen_voor(
                organisatie_id=request.user.organisatie_id
            ).beslistermijn_weken,
        },
    )


# --- Auditlog ------------------------------------------------------------------------------------


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


@require_POST
@gebruikersbeheer_vereist
def gebruiker_tweede_factor(request, pk: int):
    """Reset the second factor through the login's own service: app and backup codes stop working,
    sessions end, the next login enrols again; the security log records it."""
    gebruiker = _get_gebruiker(request, pk)
    try:
        tweede_factor_reset(gebruiker=gebruiker, door=request.user, ip=client_ip(request))
    except PermissionDenied as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _(
                "De tweede factor is gereset: bij de volgende keer inloggen koppelt "
                "%(naam)s de app opnieuw."
            )
            % {"naam": gebruiker.username},
        )
    return redirect("beheer:gebruiker", pk=gebruiker.pk)
