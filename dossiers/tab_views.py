"""The hulpvraag view's tabs that belong to the dossier: Basisgegevens, Schoolgegevens,
Mijn notities and Toegang. Each is called by hulpvragen.views.hulpvraag_tab_dispatch after the
access check, and renders through hulpvragen.tabs.render_tab."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from accounts.rechten import Recht, mag, mag_toegang_intrekken
from dossiers.dossier_forms import (
    AdresForm,
    NotitieForm,
    SchoolgegevensForm,
    ToegangForm,
    UitnodigingForm,
)
from dossiers.selectors import adressen_historie_for
from dossiers.services import (
    AdresAlVervallen,
    adres_add,
    adres_correct,
    adres_remove,
    schoolgegevens_update,
)
from hulpvragen.selectors import notities_for, toegangen_visible_to
from hulpvragen.services import notitie_create
from hulpvragen.services_toegang import toegang_grant, toegang_invite, toegang_revoke
from hulpvragen.tabs import render_tab, tab_url


def basisgegevens_tab(request, hulpvraag):
    """The pupil's data and address history. School and loket add an address, and correct or
    remove a wrongly entered one (POST `corrigeren=<pk>` with the address fields under the
    prefix `adres-<pk>`, or `verwijderen=<pk>` with a `reden`)."""
    leerling = hulpvraag.leerling
    mag_wijzigen = mag(request.user, Recht.BASISGEGEVENS_WIJZIGEN)
    form = None
    fout_bij: int | None = None
    correctie_form = None
    verwijder_fout = ""
    terug = redirect(tab_url(hulpvraag.pk, "basisgegevens"))
    if mag_wijzigen:
        post = request.POST if request.method == "POST" else None
        nieuw_post = (
            post
            if post is not None and not ("corrigeren" in post or "verwijderen" in post)
            else None
        )
        form = AdresForm(nieuw_post)
        if nieuw_post is not None and form.is_valid():
            adres_add(leerling=leerling, door=request.user, **form.cleaned_data)
            messages.success(request, _("Het nieuwe adres is toegevoegd."))
            return terug
        if post is not None and ("corrigeren" in post or "verwijderen" in post):
            sleutel = "corrigeren" if "corrigeren" in post else "verwijderen"
            adres = leerling.adressen.filter(pk=_int(post.get(sleutel))).first()
            if adres is None:
                raise Http404
            try:
                if sleutel == "corrigeren":
                    correctie_form = AdresForm(post, prefix=f"adres-{adres.pk}")
                    if correctie_form.is_valid():
                        adres_correct(adres=adres, door=request.user, **correctie_form.cleaned_data)
                        messages.success(
                            request,
                            _("Het adres is gecorrigeerd; het oude staat in de historie."),
                        )
                        return terug
                else:
                    reden = (post.get("reden") or "").strip()
                    if reden:
                        adres_remove(adres=adres, door=request.user, reden=reden)
                        messages.success(
                            request,
                            _("Het adres is verwijderd; het staat als verwijderd in de historie."),
                        )
                        return terug
                    verwijder_fout = _("Vul in waarom dit adres verwijderd wordt.")
            except AdresAlVervallen as al:
                messages.info(request, al.messages[0])
                return terug
            fout_bij = adres.pk
    elif request.method == "POST":
        raise Http404
    rijen = adressen_historie_for(leerling=leerling)
    for rij in rijen:
        adres = rij["adres"]
        if mag_wijzigen and not adres.vervallen:
            rij["correctie_form"] = (
                correctie_form
                if correctie_form is not None and adres.pk == fout_bij
                else AdresForm(instance=adres, prefix=f"adres-{adres.pk}")
            )
            rij["verwijder_fout"] = verwijder_fout if adres.pk == fout_bij else ""
            rij["open"] = adres.pk == fout_bij
    return render_tab(
        request,
        hulpvraag,
        "basisgegevens",
        "dossiers/tab_basisgegevens.html",
        {"adressen": rijen, "form": form, "mag_wijzigen": mag_wijzigen},
        status=400 if (form is not None and form.errors) or fout_bij is not None else 200,
    )


def _int(waarde) -> int:
    try:
        return int(waarde)
    except (TypeError, ValueError):
        return 0


def schoolgegevens_tab(request, hulpvraag):
    sg = hulpvraag.schoolgegevens
    mag_wijzigen = mag(request.user, Recht.BASISGEGEVENS_WIJZIGEN)
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


_toegang_mag_intrekken = mag_toegang_intrekken


def toegang_tab(request, hulpvraag):
    user = request.user
    beheer = mag(user, Recht.TOEGANG_VERLENEN)
    post = request.POST if request.method == "POST" else None
    form = ToegangForm(post, user=user) if beheer else None
    uitnodigen = mag(user, Recht.UITNODIGEN)
    uitnodiging = UitnodigingForm(post) if uitnodigen else None
    zichtbaar = toegangen_visible_to(user=user, hulpvraag=hulpvraag)
    if request.method == "POST":
        if "intrekken" in request.POST:
            toegang = zichtbaar.filter(pk=request.POST.get("intrekken") or 0).first()
            if toegang is None or not _toegang_mag_intrekken(user, toegang):
                raise Http404
            toegang_revoke(toegang=toegang, door=user)
            messages.success(
                request, _("De toegang van %(naam)s is ingetrokken.") % {"naam": toegang.gebruiker}
            )
            return redirect(tab_url(hulpvraag.pk, "toegang"))
        if "uitnodigen" in request.POST:
            if not uitnodigen:
                raise Http404
            form = ToegangForm(user=user) if beheer else None
            if uitnodiging.is_valid():
                try:
                    toegang = toegang_invite(
                        hulpvraag=hulpvraag, door=user, **uitnodiging.cleaned_data
                    )
                except ValidationError as exc:
                    uitnodiging.add_error(None, exc)
                else:
                    messages.success(
                        request,
                        _("%(naam)s is uitgenodigd en heeft leestoegang tot en met %(datum)s.")
                        % {"naam": toegang.gebruiker, "datum": f"{toegang.geldig_tot:%d-%m-%Y}"},
                    )
                    return redirect(tab_url(hulpvraag.pk, "toegang"))
        else:
            if not beheer:
                raise Http404
            uitnodiging = UitnodigingForm() if uitnodigen else None
            if form.is_valid():
                toegang_grant(
                    hulpvraag=hulpvraag,
                    gebruiker=form.cleaned_data["gebruiker"],
                    door=user,
                    reden=form.cleaned_data["reden"],
                    geldig_tot=form.cleaned_data["geldig_tot"],
                )
                messages.success(
                    request,
                    _("%(naam)s heeft nu leestoegang.") % {"naam": form.cleaned_data["gebruiker"]},
                )
                return redirect(tab_url(hulpvraag.pk, "toegang"))
    vandaag = timezone.localdate()
    toegangen = [
        {
            "t": t,
            "verlopen": t.geldig_tot is not None and t.geldig_tot < vandaag,
            "intrekbaar": t.ingetrokken_op is None and _toegang_mag_intrekken(user, t),
        }
        for t in zichtbaar.select_related("gebruiker", "verleend_door")
    ]
    fouten = (form is not None and form.errors) or (uitnodiging is not None and uitnodiging.errors)
    return render_tab(
        request,
        hulpvraag,
        "toegang",
        "dossiers/tab_toegang.html",
        {
            "rolgroepen": _rol_toegang(hulpvraag),
            "toegangen": toegangen,
            "form": form,
            "uitnodiging": uitnodiging,
            "beheer": beheer,
            "school": mag(user, Recht.INTERNE_OVERLEGRONDE),
            "acties": any(r["intrekbaar"] for r in toegangen),
        },
        status=400 if fouten else 200,
    )
