"""Toevoegen: search first, then the new-dossier wizard Basisgegevens → Schoolgegevens →
Hulpvraag, kept as the creator's concept after every step; and "Nieuwe hulpvraag toevoegen" for a
pupil already in Kindkans."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import Rol
from accounts.rechten import Recht, mag_in_eigen_organisatie
from audit.services import inzage_record
from bijlagen.checks import TOEGESTAAN
from bijlagen.models import Documentsoort
from bijlagen.services import bestanden_check
from dossiers.dossier_forms import BasisgegevensForm, HulpvraagForm, SchoolgegevensForm
from dossiers.models import ConceptStap, DossierConcept, Leerling, Schoolgegevens
from dossiers.search import MIN_ZOEK_LENGTE, leerlingen_matching
from dossiers.selectors import dossierconcepten_for
from dossiers.services_wizard import (
    dossier_create,
    dossierconcept_bijlage_remove,
    dossierconcept_bijlagen_add,
    dossierconcept_delete,
    dossierconcept_save,
    dossierconcept_start,
    hulpvraag_add,
)
from hulpvragen.access import hulpvragen_visible_to, leerling_get_for, leerlingen_visible_to
from hulpvragen.selectors import hulpvraag_type_choices_for_school

STAPPEN = [ConceptStap.BASISGEGEVENS, ConceptStap.SCHOOLGEGEVENS, ConceptStap.HULPVRAAG]


def _maker(request) -> None:
    if not mag_in_eigen_organisatie(request.user, Recht.HULPVRAAG_INDIENEN):
        raise Http404


def _met_dossierlink(leerlingen, user):
    """Each pupil with the newest hulpvraag the user may open (one query for all)."""
    nieuwste = (
        hulpvragen_visible_to(user)
        .filter(leerling_id=OuterRef("pk"))
        .order_by("-hulpvraagdatum", "-id")
        .values("pk")[:1]
    )
    return leerlingen.annotate(hulpvraag_pk=Subquery(nieuwste))


@login_required
def toevoegen(request):
    """ "Toevoegen": first check whether the pupil is already known (step 1–2 of the manual)."""
    _maker(request)
    q = " ".join(request.GET.get("q", "").split())
    resultaten = None
    fout = ""
    if q:
        if len(q) < MIN_ZOEK_LENGTE:
            fout = _("Zoek op minstens %(n)s tekens.") % {"n": MIN_ZOEK_LENGTE}
        else:
            gevonden = leerlingen_matching(leerlingen_visible_to(request.user), q)
            resultaten = list(_met_dossierlink(gevonden, request.user).order_by("achternaam")[:50])
            inzage_record(
                gebruiker=request.user,
                onderdeel="toevoegen: zoeken",
                details=f"{len(resultaten)} gevonden",
            )
    return render(
        request,
        "dossiers/toevoegen.html",
        {
            "q": q,
            "fout": fout,
            "resultaten": resultaten,
            "concepten": list(dossierconcepten_for(user=request.user)[:20]),
        },
    )


@login_required
@require_POST
def concept_start(request):
    """ "Dossier toevoegen": start a concept, kept from the first keystroke on."""
    _maker(request)
    concept = dossierconcept_start(door=request.user)
    return redirect("dossiers:stap", concept.pk, ConceptStap.BASISGEGEVENS)


def _concept(request, pk) -> DossierConcept:
    _maker(request)
    return get_object_or_404(dossierconcepten_for(user=request.user), pk=pk)


@login_required
def concept(request, pk: int):
    """Resume a concept where it was left."""
    c = _concept(request, pk)
    return redirect("dossiers:stap", c.pk, c.stap)


@login_required
@require_POST
def concept_verwijderen(request, pk: int):
    c = _concept(request, pk)
    dossierconcept_delete(concept=c)
    messages.success(request, _("Het niet afgeronde dossier is verwijderd."))
    return redirect("hulpvragen:lijst")


def _raw(post, form_class_fields) -> dict:
    return {k: post.get(k, "") for k in form_class_fields}


BASIS_VELDEN = [
    *BasisgegevensForm.Meta.fields,
    "straat",
    "huisnummer",
    "postcode",
    "woonplaats",
    "toch_nieuw",
]
SCHOOL_VELDEN = [
    "school",
    "leerjaar_groep",
    "doublures",
    "aanvrager",
    "contactpersoon",
    "email",
    "telefoon",
]
HULPVRAAG_VELDEN = ["type", "omschrijving", "coordinator"]


def _basis_form(concept, data=None):
    # An EDEXML import prefills as initial values: nothing shows as an error before the user
    # has had a chance to complete the step.
    return BasisgegevensForm(
        data if data is not None else concept.gegevens.get("basisgegevens") or None,
        initial=concept.gegevens.get("edexml", {}).get("basisgegevens"),
    )


def _school_form(concept, user, data=None):
    bound = data if data is not None else concept.gegevens.get("schoolgegevens")
    initial = {"contactpersoon": user.get_full_name(), "email": user.email, "doublures": 0}
    if user.rol == Rol.SCHOOL:
        initial["aanvrager"] = user.pk
        scholen = list(user.scholen.all()[:2])
        if len(scholen) == 1:
            initial["school"] = scholen[0].pk
    initial.update(concept.gegevens.get("edexml", {}).get("schoolgegevens", {}))
    return SchoolgegevensForm(bound or None, user=user, initial=initial)


def _hulpvraag_form(concept, user, school, namen, data=None):
    bound = data if data is not None else concept.gegevens.get("hulpvraag")
    types = hulpvraag_type_choices_for_school(school=school) if school else []
    return HulpvraagForm(bound or None, user=user, types=types, namen=namen)


def _duplicaten(user, leerling: dict):
    """Pupils that look like this one. Returns (visible matches, hidden identifier clash).

    Same BSN/onderwijsnummer in the organisation is the same pupil for certain (the database
    refuses a second one); same achternaam + geboortedatum probably is."""
    org = user.organisatie_id
    ids = Q()
    if leerling.get("bsn"):
        ids |= Q(bsn=leerling["bsn"])
    if leerling.get("onderwijsnummer"):
        ids |= Q(onderwijsnummer=leerling["onderwijsnummer"])
    zichtbaar = leerlingen_visible_to(user)
    naam = Q(achternaam__iexact=leerling["achternaam"], geboortedatum=leerling["geboortedatum"])
    matches = list(
        _met_dossierlink(zichtbaar.filter(ids | naam if ids else naam), user).order_by(
            "achternaam"
        )[:10]
    )
    verborgen = bool(ids) and (
        Leerling.objects.filter(ids, organisatie_id=org)
        .exclude(pk__in=[m.pk for m in matches])
        .exists()
    )
    zeker = [
        m
        for m in matches
        if (leerling.get("bsn") and m.bsn == leerling["bsn"])
        or (leerling.get("onderwijsnummer") and m.onderwijsnummer == leerling["onderwijsnummer"])
    ]
    return matches, zeker, verborgen


@login_required
def stap(request, pk: int, stap: str):
    c = _concept(request, pk)
    if stap not in STAPPEN:
        raise Http404
    if STAPPEN.index(stap) > STAPPEN.index(c.stap):
        return redirect("dossiers:stap", c.pk, c.stap)
    user = request.user
    context = {
        "concept": c,
        "stap": stap,
        "stappen": STAPPEN,
        "huidige_index": STAPPEN.index(c.stap),
    }
    post = request.POST if request.method == "POST" else None

    if stap == ConceptStap.BASISGEGEVENS:
        if post is not None:
            dossierconcept_save(concept=c, stap=stap, gegevens=_raw(post, BASIS_VELDEN))
        form = _basis_form(c, post)
        context["form"] = form
        if post is not None:
            if form.is_valid():
                matches, zeker, verborgen = _duplicaten(user, form.leerling_data())
                if zeker:
                    context["duplicaten"] = zeker
                    context["zeker"] = True
                elif verborgen:
                    context["verborgen"] = True
                    context["loket_email"] = user.organisatie.loket_email
                elif matches and not form.cleaned_data["toch_nieuw"]:
                    context["duplicaten"] = matches
                else:
                    dossierconcept_save(
                        concept=c,
                        stap=stap,
                        gegevens=_raw(post, BASIS_VELDEN),
                        volgende=_verder(c, ConceptStap.SCHOOLGEGEVENS),
                    )
                    messages.success(request, _("De basisgegevens zijn bewaard."))
                    return redirect("dossiers:stap", c.pk, ConceptStap.SCHOOLGEGEVENS)
            else:
                context["bewaard"] = True
            return render(request, "dossiers/wizard.html", context, status=400)
        return render(request, "dossiers/wizard.html", context)

    if stap == ConceptStap.SCHOOLGEGEVENS:
        if post is not None:
            dossierconcept_save(concept=c, stap=stap, gegevens=_raw(post, SCHOOL_VELDEN))
        form = _school_form(c, user, post)
        context["form"] = form
        if post is not None:
            if form.is_valid():
                dossierconcept_save(
                    concept=c,
                    stap=stap,
                    gegevens=_raw(post, SCHOOL_VELDEN),
                    volgende=_verder(c, ConceptStap.HULPVRAAG),
                )
                messages.success(request, _("De schoolgegevens zijn bewaard."))
                return redirect("dossiers:stap", c.pk, ConceptStap.HULPVRAAG)
            context["bewaard"] = True
            return render(request, "dossiers/wizard.html", context, status=400)
        return render(request, "dossiers/wizard.html", context)

    # Hulpvraag: the earlier steps must still be valid (they were, but data may have changed).
    basis = _basis_form(c)
    school = _school_form(c, user)
    if not basis.is_valid():
        messages.error(request, _("Controleer de basisgegevens."))
        return redirect("dossiers:stap", c.pk, ConceptStap.BASISGEGEVENS)
    if not school.is_valid():
        messages.error(request, _("Controleer de schoolgegevens."))
        return redirect("dossiers:stap", c.pk, ConceptStap.SCHOOLGEGEVENS)
    leerling = basis.leerling_data()
    namen = [leerling["roepnaam"], leerling["achternaam"], leerling["voornamen"]]
    afgewezen = []
    if post is not None:
        dossierconcept_save(concept=c, stap=stap, gegevens=_raw(post, HULPVRAAG_VELDEN))
        # Bijlagen at creation: kept with the concept at once (also when the rest does not
        # validate yet, or the user leaves), added to the hulpvraag on the last Opslaan.
        for sleutel in post.getlist("bijlage_verwijderen"):
            dossierconcept_bijlage_remove(concept=c, sleutel=sleutel)
        goed, afgewezen = bestanden_check(bestanden=request.FILES.getlist("bestanden"))
        dossierconcept_bijlagen_add(concept=c, bestanden=goed)
        if "alleen_bijlagen" in post and not afgewezen:
            if goed:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d bijlage bewaard bij dit dossier.",
                        "%(n)d bijlagen bewaard bij dit dossier.",
                        len(goed),
                    )
                    % {"n": len(goed)},
                )
            return redirect("dossiers:stap", c.pk, ConceptStap.HULPVRAAG)
    form = _hulpvraag_form(c, user, school.cleaned_data["school"], namen, post)
    context.update(
        form=form,
        school=school.cleaned_data["school"],
        bijlagen=[
            {**b, "documentsoort_label": Documentsoort(b.get("documentsoort") or "overig").label}
            for b in c.gegevens.get("bijlagen", [])
        ],
        afgewezen=afgewezen,
        toegestaan=TOEGESTAAN,
    )
    if post is not None:
        if afgewezen:
            form.is_valid()  # show the fields' messages too
            context["bewaard"] = True
            return render(request, "dossiers/wizard.html", context, status=400)
        if form.is_valid():
            sg = school.model_data()
            if user.rol == Rol.SCHOOL and sg["aanvrager"] is None:
                sg["aanvrager"] = user
            try:
                hulpvraag = dossier_create(
                    concept=c,
                    door=user,
                    leerling=leerling,
                    adres={**basis.adres_data(), "ingangsdatum": c.aangemaakt_op.date()},
                    schoolgegevens={**sg, "begindatum": c.aangemaakt_op.date()},
                    hulpvraag={
                        "type": form.cleaned_data["type"],
                        "omschrijving": form.cleaned_data["omschrijving"],
                        "coordinator": form.cleaned_data.get("coordinator"),
                    },
                )
            except ValidationError as exc:
                # The engine's type-per-sector rule (hulpvraag_create) refused the title.
                form.add_error("type", exc)
                context["bewaard"] = True
                return render(request, "dossiers/wizard.html", context, status=400)
            except IntegrityError:
                messages.error(
                    request,
                    _(
                        "Er staat inmiddels al een leerling met dit BSN of onderwijsnummer "
                        "in Kindkans. Controleer de basisgegevens."
                    ),
                )
                return redirect("dossiers:stap", c.pk, ConceptStap.BASISGEGEVENS)
            messages.success(
                request,
                _(
                    "Het dossier en de hulpvraag zijn aangemaakt. Meer bijlagen voegt u toe "
                    "met de knop Bijlagen."
                ),
            )
            return redirect("hulpvragen:detail", hulpvraag.pk)
        context["bewaard"] = True
        return render(request, "dossiers/wizard.html", context, status=400)
    return render(request, "dossiers/wizard.html", context)


def schoolgegevens_voor_nieuwe_hulpvraag(user, leerling: Leerling) -> Schoolgegevens | None:
    """The enrolment a new hulpvraag for a pupil already in Kindkans hangs on: the newest, and
    for a school user one of its own schools (the screen and the API ask this)."""
    sgs = Schoolgegevens.objects.filter(leerling=leerling).select_related("school")
    if user.rol == Rol.SCHOOL:
        sgs = sgs.filter(school__in=user.scholen.all())
    return sgs.order_by("-begindatum", "-id").first()


def _verder(concept: DossierConcept, volgende: str) -> str:
    """Never move a concept's furthest step backwards when an earlier step is saved again."""
    return max(concept.stap, volgende, key=STAPPEN.index)


@login_required
def nieuwe_hulpvraag(request, leerling_pk: int):
    """Step 4 for a pupil already in Kindkans: "Nieuwe hulpvraag toevoegen"."""
    _maker(request)
    leerling = leerling_get_for(request.user, leerling_pk)
    sg = schoolgegevens_voor_nieuwe_hulpvraag(request.user, leerling)
    if sg is None:
        raise Http404
    namen = [leerling.roepnaam, leerling.achternaam, leerling.voornamen]
    form = HulpvraagForm(
        request.POST or None,
        user=request.user,
        types=hulpvraag_type_choices_for_school(school=sg.school),
        namen=namen,
    )
    if request.method == "POST" and form.is_valid():
        try:
            hulpvraag = hulpvraag_add(
                schoolgegevens=sg,
                door=request.user,
                type=form.cleaned_data["type"],
                omschrijving=form.cleaned_data["omschrijving"],
                coordinator=form.cleaned_data.get("coordinator"),
            )
        except ValidationError as exc:
            form.add_error("type", exc)
        else:
            messages.success(request, _("De hulpvraag is aangemaakt."))
            return redirect("hulpvragen:detail", hulpvraag.pk)
    return render(
        request,
        "dossiers/nieuwe_hulpvraag.html",
        {"leerling": leerling, "sg": sg, "form": form, "terug": reverse("hulpvragen:lijst")},
        status=400 if form.errors else 200,
    )
