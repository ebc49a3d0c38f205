"""The Formulier tab: choose the form → "Formulier bewerken" → answer → "Opslaan"; autosave,
signing by the bevoegd gezag and the Word export. Pages work without JavaScript."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.bewaren import inzending_ophalen
from accounts.decorators import bewaren_na_verlopen, post_bewaren
from audit.models import InzageActie
from audit.services import inzage_record
from formulieren.forms import FormulierForm, initial_uit
from formulieren.models import Formulier
from formulieren.selectors import (
    formulier_aangewezen_ondertekenaar_id,
    formulier_context,
    formulier_edit_allowed,
    formulier_get_for,
    formulier_ontbrekende_antwoorden,
    formulier_weergave_for,
    formulieren_for_hulpvraag,
    formulieren_te_ondertekenen_for,
    ondertekenaars_for,
)
from formulieren.services import (
    OndertekenFout,
    VerouderdFormulier,
    concept_clean,
    formulier_concept_save,
    formulier_save,
    formulier_sign,
)
from formulieren.weergave import datum_nl
from formulieren.word import formulier_docx
from hulpvragen.access import hulpvraag_get_for
from hulpvragen.tabs import render_tab, tab_url

_weergave = formulier_weergave_for

# Blocks other apps add under the form on the Formulier tab (the parents' invitations, ouders
# app): dotted paths to callables (request, hulpvraag, formulier, weergave) → HTML or "".
TAB_ONDERDELEN: list[str] = []


def tab_onderdeel_register(pad: str) -> None:
    if pad not in TAB_ONDERDELEN:
        TAB_ONDERDELEN.append(pad)


def _audit(request, formulier: Formulier, onderdeel: str, details: str, **kwargs) -> None:
    """One access audit record per page that shows (or changes) a pupil's form."""
    inzage_record(
        gebruiker=request.user,
        onderdeel=onderdeel,
        leerling_id=formulier.hulpvraag.leerling_id,
        hulpvraag_id=formulier.hulpvraag_id,
        details=f"formulier {formulier.pk}: {details}",
        **kwargs,
    )


def _tab_url(formulier: Formulier) -> str:
    return tab_url(formulier.hulpvraag_id, "formulier") + f"?formulier={formulier.pk}"


def _mag_ondertekenen(user, formulier: Formulier) -> bool:
    return (
        formulier.definitie.ondertekening_vereist
        and formulier.opgeslagen_op is not None
        and formulier_aangewezen_ondertekenaar_id(formulier=formulier) == str(user.pk)
    )


def formulier_tab_view(request, hulpvraag):
    """The Formulier tab in the hulpvraag's frame (registered in hulpvragen.tabs; the dispatcher
    already answered 404 for whoever may not see the hulpvraag)."""
    formulieren = list(formulieren_for_hulpvraag(hulpvraag=hulpvraag))
    gekozen = next((f for f in formulieren if str(f.pk) == request.GET.get("formulier")), None)
    gekozen = gekozen or (formulieren[0] if formulieren else None)
    context = {"formulieren": formulieren, "formulier": gekozen}
    if gekozen is not None:
        gekozen.hulpvraag = hulpvraag
        feiten = formulier_context(hulpvraag=hulpvraag)
        weergave = _weergave(gekozen, context=feiten)
        context.update(
            weergave=weergave,
            onderdelen=[
                html
                for pad in TAB_ONDERDELEN
                if (html := import_string(pad)(request, hulpvraag, gekozen, weergave))
            ],
            # A saved form can lack an answer that became required later (the PrO toelichting
            # once the LVS advice is not praktijkonderwijs): say so here, not only at indienen.
            ontbrekend=formulier_ontbrekende_antwoorden(formulier=gekozen, context=feiten)
            if gekozen.opgeslagen_op
            else [],
            mag_bewerken=formulier_edit_allowed(user=request.user, formulier=gekozen),
            mag_ondertekenen=_mag_ondertekenen(request.user, gekozen),
            concept_op=datum_nl(gekozen.concept_opgeslagen_op) if gekozen.concept else "",
        )
    return render_tab(request, hulpvraag, "formulier", "formulieren/tab.html", context)


@login_required
def formulier_tab(request, hulpvraag_pk: int):
    """Old address of the tab: on to the tab in the hulpvraag's frame."""
    hulpvraag = hulpvraag_get_for(request.user, hulpvraag_pk)
    query = f"?formulier={request.GET['formulier']}" if request.GET.get("formulier") else ""
    return redirect(tab_url(hulpvraag.pk, "formulier") + query)


def _concept_uit_post(form: FormulierForm, post) -> dict:
    """What the school typed, as typed, so an invalid Opslaan never loses it."""
    concept = {}
    for sleutel, veld in form.fields.items():
        if isinstance(veld, forms.MultipleChoiceField):
            concept[sleutel] = post.getlist(sleutel)
        elif post.get(sleutel):
            concept[sleutel] = post.get(sleutel)
    return concept


@post_bewaren
@login_required
def formulier_bewerken(request, pk: int):
    formulier = formulier_get_for(user=request.user, pk=pk)
    if not formulier_edit_allowed(user=request.user, formulier=formulier):
        raise PermissionDenied
    hulpvraag = formulier.hulpvraag
    ondertekenaars = ondertekenaars_for(hulpvraag=hulpvraag)
    kwargs = {
        "inhoud": formulier.definitie.inhoud,
        "context": formulier_context(hulpvraag=hulpvraag),
        "ondertekenaars": ondertekenaars,
        "opgeslagen": formulier.antwoorden,
    }
    revisie = formulier.revisie
    bron = formulier.concept if formulier.concept is not None else formulier.antwoorden
    if request.method == "POST":
        form = FormulierForm(request.POST, **kwargs)
        try:
            gezien = int(request.POST.get("revisie", ""))
        except ValueError:
            gezien = -1
        if form.is_valid():
            try:
                formulier_save(
                    formulier=formulier,
                    user=request.user,
                    antwoorden=form.antwoorden(),
                    revisie=gezien,
                )
            except VerouderdFormulier as e:
                revisie = e.formulier.revisie
                messages.error(
                    request,
                    _(
                        "Dit formulier is intussen door iemand anders opgeslagen (%(datum)s). "
                        "Uw antwoorden staan hieronder nog; controleer ze en kies opnieuw Opslaan."
                    )
                    % {
                        "datum": datum_nl(
                            e.formulier.opgeslagen_op or e.formulier.concept_opgeslagen_op
                        )
                    },
                )
            else:
                _audit(
                    request,
                    formulier,
                    "formulier bewerken",
                    "opgeslagen",
                    actie=InzageActie.GEWIJZIGD,
                )
                messages.success(request, _("Het formulier is opgeslagen."))
                return redirect(_tab_url(formulier))
        else:
            status, nieuwe, _op = formulier_concept_save(
                user=request.user,
                formulier_id=formulier.pk,
                concept=_concept_uit_post(form, request.POST),
                revisie=gezien,
            )
            if status == "ok":
                revisie = nieuwe
            bron = _concept_uit_post(form, request.POST)
            messages.error(
                request,
                _(
                    "Het formulier is nog niet opgeslagen: verbeter de gemarkeerde vragen. "
                    "Uw antwoorden zijn als concept bewaard."
                ),
            )
    elif (bewaard := inzending_ophalen(gebruiker=request.user, pad=request.path)) is not None:
        # Posted after the session had expired (without JavaScript's autosave): the middleware
        # kept it; now it is the draft, and the page says so.
        post, bewaard_op = bewaard
        bron = _concept_uit_post(FormulierForm(**kwargs), post)
        try:
            gezien = int(post.get("revisie", ""))
        except ValueError:
            gezien = -1
        status, nieuwe, _op = formulier_concept_save(
            user=request.user, formulier_id=formulier.pk, concept=bron, revisie=gezien
        )
        if status == "ok":
            revisie = nieuwe
        form = FormulierForm(initial=initial_uit(formulier.definitie.inhoud, bron), **kwargs)
        tijd = timezone.localtime(bewaard_op).strftime("%H:%M")
        if status == "ok":
            tekst = _(
                "U was afgemeld voordat uw antwoorden van %(tijd)s waren opgeslagen. Ze staan "
                "hieronder weer en zijn als concept bewaard; kies Opslaan om het formulier op te "
                "slaan."
            )
        else:
            tekst = _(
                "U was afgemeld voordat uw antwoorden van %(tijd)s waren opgeslagen. Ze staan "
                "hieronder weer, maar het formulier is intussen elders gewijzigd: controleer ze "
                "en kies Opslaan."
            )
        messages.warning(request, tekst % {"tijd": tijd})
    else:
        form = FormulierForm(initial=initial_uit(formulier.definitie.inhoud, bron), **kwargs)
        if formulier.concept is not None:
            messages.info(
                request,
                _(
                    "Uw concept van %(datum)s is teruggezet (automatisch opgeslagen). Kies "
                    "Opslaan om het formulier op te slaan."
                )
                % {"datum": datum_nl(formulier.concept_opgeslagen_op)},
            )
    weergave = _weergave(formulier, antwoorden=bron, form=form, ondertekenaars=ondertekenaars)
    _audit(request, formulier, "formulier bewerken", "bewerkscherm getoond")
    return render(
        request,
        "formulieren/bewerken.html",
        {
            "formulier": formulier,
            "hulpvraag": hulpvraag,
            "weergave": weergave,
            "form": form,
            "revisie": revisie,
            "tab_url": _tab_url(formulier),
            "pro_advies_tekst": kwargs["context"].get("pro_advies_tekst", ""),
        },
    )


@bewaren_na_verlopen
@require_POST
def formulier_concept(request, pk: int):
    """Autosave (JSON, or a form-encoded `navigator.sendBeacon` with `revisie`, `antwoorden` as
    JSON text and the CSRF token as a field). One UPDATE checks access and revision; with the
    session and the user that makes three queries. Accepted for a short while after the idle
    timeout (the page's last save as its countdown ends, its pagehide beacon); later it answers
    401 so the page can say so."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {"melding": _("U bent afgemeld. Meld u opnieuw aan; uw laatste concept is bewaard.")},
            status=401,
        )
    try:
        if request.content_type == "application/json":
            body = json.loads(request.body or b"{}")
        else:
            body = {
                "revisie": request.POST["revisie"],
                "antwoorden": json.loads(request.POST["antwoorden"]),
            }
        revisie = int(body["revisie"])
        concept = concept_clean(body["antwoorden"])
    except (ValueError, KeyError, TypeError, ValidationError):
        return JsonResponse({"melding": _("Ongeldig verzoek.")}, status=400)
    status, nieuwe, op = formulier_concept_save(
        user=request.user, formulier_id=pk, concept=concept, revisie=revisie
    )
    if status == "onbekend":
        raise Http404
    if status == "verouderd":
        return JsonResponse(
            {
                "revisie": nieuwe,
                "melding": _(
                    "Niet automatisch opgeslagen: het formulier is intussen elders gewijzigd. "
                    "Herlaad de pagina; kopieer eerst wat u net typte."
                ),
            },
            status=409,
        )
    tijd = timezone.localtime(op).strftime("%H:%M:%S")
    return JsonResponse(
        {
            "revisie": nieuwe,
            "opgeslagen_op": datum_nl(op),
            "melding": _("Concept automatisch opgeslagen om %(tijd)s.") % {"tijd": tijd},
        }
    )


@login_required
def formulier_ondertekenen(request, pk: int):
    formulier = formulier_get_for(user=request.user, pk=pk)
    if not _mag_ondertekenen(request.user, formulier):
        raise PermissionDenied
    fout = ""
    if request.method == "POST":
        try:
            formulier_sign(
                formulier=formulier, user=request.user, code=request.POST.get("code", "")
            )
        except OndertekenFout as e:
            fout = str(e)
        else:
            _audit(
                request,
                formulier,
                "formulier ondertekenen",
                "ondertekend",
                actie=InzageActie.GEWIJZIGD,
            )
            messages.success(request, _("Het formulier is digitaal ondertekend."))
            return redirect(_tab_url(formulier))
    _audit(request, formulier, "formulier ondertekenen", "ondertekenscherm getoond")
    return render(
        request,
        "formulieren/ondertekenen.html",
        {
            "formulier": formulier,
            "hulpvraag": formulier.hulpvraag,
            "weergave": _weergave(formulier),
            "fout": fout,
            "tab_url": _tab_url(formulier),
        },
        status=400 if fout else 200,
    )


@login_required
def formulier_word(request, pk: int):
    formulier = formulier_get_for(user=request.user, pk=pk)
    if formulier.opgeslagen_op is None:
        messages.error(request, _("Sla het formulier eerst op; daarna kunt u het exporteren."))
        return redirect(_tab_url(formulier))
    inhoud = formulier_docx(_weergave(formulier))
    _audit(request, formulier, "formulier export", "Word-export gedownload")
    naam = f"{formulier.definitie.sleutel}-{formulier.hulpvraag_id}.docx"
    response = HttpResponse(
        inhoud,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{naam}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def te_ondertekenen(request):
    formulieren = list(formulieren_te_ondertekenen_for(user=request.user))
    # A list of pupils' forms: one record for the page, as the hulpvragen list does.
    inzage_record(
        gebruiker=request.user,
        onderdeel="te ondertekenen",
        details=f"{len(formulieren)} formulieren",
    )
    return render(request, "formulieren/te_ondertekenen.html", {"formulieren": formulieren})
