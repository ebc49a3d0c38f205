"""The parent's pages at /ouder/<link>/…: the code, the aanvraag, the ticked bijlagen and three
actions (correct, zienswijze, voor gezien). No Django login is involved: see ouders/sessie.py.
Every page and action is in the audit log with "ouder" as the actor."""

from __future__ import annotations

import secrets
from functools import wraps

from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import openbaar
from accounts.eenmalig import AlVerstuurd, eenmalig
from audit.models import InzageActie
from audit.services import inzage_record
from bijlagen.views import bijlage_download_antwoord
from formulieren.definities import vragen
from formulieren.forms import vraag_veld
from ouders.models import Uitnodiging
from ouders.selectors import (
    ouder_bijlage_get_for,
    ouder_getoond_for,
    uitnodiging_get_by_link,
)
from ouders.services import (
    OuderFout,
    ouder_code_check,
    ouder_logout,
    ouder_voor_gezien_sign,
    ouder_voorstel_submit,
    ouder_zienswijze_submit,
)
from ouders.sessie import (
    sessie_cookie_wissen,
    sessie_cookie_zetten,
    sessie_hash,
    sessie_uit_cookie,
)


def _audit(uitnodiging: Uitnodiging, onderdeel: str, details: str, actie=InzageActie.BEKEKEN):
    inzage_record(
        gebruiker=None,
        ouder_uitnodiging=uitnodiging,
        onderdeel=f"ouder: {onderdeel}",
        actie=actie,
        leerling_id=uitnodiging.hulpvraag.leerling_id,
        hulpvraag_id=uitnodiging.hulpvraag_id,
        details=f"uitnodiging {uitnodiging.pk}: {details}",
    )


def _geen_cache(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    # same-origin, not no-referrer: with no-referrer Chromium posts forms with "Origin: null",
    # which the CSRF check refuses; same-origin still keeps the link out of other sites.
    response["Referrer-Policy"] = "same-origin"
    return response


def _werkt_niet(request):
    """One answer for an unknown, expired or revoked link: nothing tells them apart."""
    return _geen_cache(render(request, "ouders/link_werkt_niet.html", status=404))


def _url(naam: str, token: str) -> str:
    return reverse(f"ouder:{naam}", args=[token])


def _sessie_van(request, uitnodiging: Uitnodiging) -> str | None:
    """The session secret when the cookie belongs to this invitation's current session."""
    sessie = sessie_uit_cookie(request)
    if (
        sessie is None
        or sessie[0] != uitnodiging.pk
        or not uitnodiging.sessie_hash
        or uitnodiging.geblokkeerd
        or not secrets.compare_digest(sessie_hash(sessie[1]), uitnodiging.sessie_hash)
    ):
        return None
    return sessie[1]


def ouder_pagina(view):
    """A page of a parent's session: the link must be usable, and the cookie must belong to
    this invitation's current session. Otherwise back to the code page (or 'link werkt niet')."""

    @wraps(view)
    def wrapper(request, token: str, *args, **kwargs):
        uitnodiging = uitnodiging_get_by_link(token)
        if uitnodiging is None or not uitnodiging.bruikbaar:
            return _werkt_niet(request)
        geheim = _sessie_van(request, uitnodiging)
        if geheim is None:
            return _geen_cache(HttpResponseRedirect(_url("link", token)))
        response = view(request, uitnodiging, token, *args, **kwargs)
        if getattr(response, "ouder_afgemeld", False):
            sessie_cookie_wissen(response)
        else:
            # Sliding: the session lasts OUDERS_SESSIE_MINUTEN after the last page.
            sessie_cookie_zetten(response, uitnodiging_id=uitnodiging.pk, geheim=geheim)
        return _geen_cache(response)

    return openbaar(wrapper)


@openbaar
@require_http_methods(["GET", "POST"])
def link(request, token: str):
    """The page the e-mail's link opens: type the code."""
    uitnodiging = uitnodiging_get_by_link(token)
    if uitnodiging is None or not uitnodiging.bruikbaar:
        return _werkt_niet(request)
    if request.method == "GET" and _sessie_van(request, uitnodiging) is not None:
        # The mail's link opened again while the session still runs: straight to the aanvraag.
        return _geen_cache(HttpResponseRedirect(_url("aanvraag", token)))
    fout = ""
    if request.method == "POST":
        geheim, fout = ouder_code_check(uitnodiging=uitnodiging, code=request.POST.get("code", ""))
        if geheim:
            _audit(uitnodiging, "code", "code juist, sessie begonnen")
            response = HttpResponseRedirect(_url("aanvraag", token))
            sessie_cookie_zetten(response, uitnodiging_id=uitnodiging.pk, geheim=geheim)
            return _geen_cache(response)
        _audit(uitnodiging, "code", "code onjuist of geblokkeerd")
        uitnodiging.refresh_from_db()
    elif uitnodiging.geblokkeerd:
        fout = _("Er is te vaak een verkeerde code ingevuld. Vraag de school om een nieuwe code.")
    return _geen_cache(
        render(
            request,
            "ouders/code.html",
            {"uitnodiging": uitnodiging, "fout": fout, "geblokkeerd": uitnodiging.geblokkeerd},
            status=400 if fout else 200,
        )
    )


@ouder_pagina
def aanvraag(request, uitnodiging: Uitnodiging, token: str):
    getoond = ouder_getoond_for(uitnodiging)
    _audit(uitnodiging, "aanvraag", "aanvraag gelezen")
    return render(
        request,
        "ouders/aanvraag.html",
        {
            "uitnodiging": uitnodiging,
            "token": token,
            "weergave": getoond.weergave,
            "bijlagen": getoond.bijlagen,
            "zienswijzen": getoond.zienswijzen,
            "voorstellen": getoond.voorstellen,
            "voor_gezien": getattr(uitnodiging, "voor_gezien", None),
            "melding": request.GET.get("klaar", ""),
        },
    )


@ouder_pagina
def bijlage(request, uitnodiging: Uitnodiging, token: str, pk: int):
    gekozen = ouder_bijlage_get_for(uitnodiging, pk)
    if not gekozen.downloadbaar:
        _audit(uitnodiging, "bijlage", f"bijlage {gekozen.pk} niet beschikbaar")
        return render(request, "ouders/bijlage_niet_beschikbaar.html", {"token": token}, status=409)
    return bijlage_download_antwoord(request, gekozen, door=None, ouder_uitnodiging=uitnodiging)


class VoorstelForm(forms.Form):
    toelichting = forms.CharField(
        label=gettext_lazy("Toelichting (niet verplicht)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, inhoud: dict, antwoorden: dict, **kwargs):
        super().__init__(*args, **kwargs)
        ouders = inhoud.get("ouders", {})
        sleutels = [*ouders.get("contact", [])]
        if ouders.get("gezagssituatie"):
            sleutels.insert(0, ouders["gezagssituatie"])
        per_sleutel = {v["sleutel"]: v for _s, v in vragen(inhoud)}
        self.vragen = {}
        velden = {}
        for sleutel in sleutels:
            vraag = per_sleutel.get(sleutel)
            if vraag is None or vraag.get("bron") or vraag["type"] not in ("tekst", "keuze"):
                continue
            if vraag["type"] == "keuze" and vraag.get("meerdere"):
                continue
            veld = vraag_veld(vraag)
            veld.initial = antwoorden.get(sleutel, "")
            velden[sleutel] = veld
            self.vragen[sleutel] = vraag
        toelichting = self.fields.pop("toelichting")
        self.fields.update(velden)
        self.fields["toelichting"] = toelichting
        self.antwoorden = antwoorden

    def wijzigingen(self) -> dict:
        result = {}
        for sleutel, vraag in self.vragen.items():
            oud = str(self.antwoorden.get(sleutel) or "")
            nieuw = str(self.cleaned_data.get(sleutel) or "").strip()
            if nieuw != oud:
                labels = dict((str(w), lab) for w, lab in vraag.get("opties", []))
                result[sleutel] = {
                    "label": vraag["label"],
                    "oud": oud,
                    "nieuw": nieuw,
                    "oud_tekst": labels.get(oud, oud),
                    "nieuw_tekst": labels.get(nieuw, nieuw),
                }
        return result


def _terug(token: str, klaar: str):
    return HttpResponseRedirect(_url("aanvraag", token) + f"?klaar={klaar}")


@ouder_pagina
def gegevens(request, uitnodiging: Uitnodiging, token: str):
    formulier = uitnodiging.formulier
    kwargs = {"inhoud": formulier.definitie.inhoud, "antwoorden": formulier.antwoorden or {}}
    form = VoorstelForm(request.POST or None, **kwargs)
    fout = ""
    if request.method == "POST" and form.is_valid():
        try:
            with eenmalig(request, gebruiker=None) as inzending:
                voorstel = ouder_voorstel_submit(
                    uitnodiging=uitnodiging,
                    wijzigingen=form.wijzigingen(),
                    toelichting=form.cleaned_data["toelichting"],
                )
                _audit(uitnodiging, "gegevens", f"voorstel {voorstel.pk}", InzageActie.AANGEMAAKT)
                inzending.resultaat(url=_url("aanvraag", token) + "?klaar=voorstel")
        except AlVerstuurd:
            return _terug(token, "voorstel")
        except OuderFout as e:
            fout = str(e)
        else:
            return _terug(token, "voorstel")
    _audit(uitnodiging, "gegevens", "gegevens controleren getoond")
    return render(
        request,
        "ouders/gegevens.html",
        {"uitnodiging": uitnodiging, "token": token, "form": form, "fout": fout},
        status=400 if (fout or form.errors) else 200,
    )


class ZienswijzeForm(forms.Form):
    tekst = forms.CharField(
        label=gettext_lazy("Uw zienswijze"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    niet_eens = forms.BooleanField(
        label=gettext_lazy("Wij zijn het niet eens met de aanvraag"), required=False
    )


@ouder_pagina
def zienswijze(request, uitnodiging: Uitnodiging, token: str):
    form = ZienswijzeForm(request.POST or None)
    fout = ""
    if request.method == "POST" and form.is_valid():
        try:
            with eenmalig(request, gebruiker=None) as inzending:
                z = ouder_zienswijze_submit(
                    uitnodiging=uitnodiging,
                    tekst=form.cleaned_data["tekst"],
                    niet_eens=form.cleaned_data["niet_eens"],
                )
                _audit(uitnodiging, "zienswijze", f"zienswijze {z.pk}", InzageActie.AANGEMAAKT)
                inzending.resultaat(url=_url("aanvraag", token) + "?klaar=zienswijze")
        except AlVerstuurd:
            return _terug(token, "zienswijze")
        except OuderFout as e:
            fout = str(e)
        else:
            return _terug(token, "zienswijze")
    _audit(uitnodiging, "zienswijze", "zienswijze-pagina getoond")
    return render(
        request,
        "ouders/zienswijze.html",
        {"uitnodiging": uitnodiging, "token": token, "form": form, "fout": fout},
        status=400 if fout else 200,
    )


@ouder_pagina
def tekenen(request, uitnodiging: Uitnodiging, token: str):
    fout = ""
    naam = ""
    if request.method == "POST":
        naam = request.POST.get("naam", "")
        try:
            with eenmalig(request, gebruiker=None) as inzending:
                vg = ouder_voor_gezien_sign(
                    uitnodiging=uitnodiging,
                    naam=naam,
                    getoond_hash=request.POST.get("getoond", ""),
                )
                _audit(
                    uitnodiging,
                    "voor gezien",
                    f"getekend, sha256 {vg.hash}, bijlage {vg.bijlage_id}",
                    InzageActie.AANGEMAAKT,
                )
                inzending.resultaat(url=_url("aanvraag", token) + "?klaar=getekend")
        except AlVerstuurd:
            return _terug(token, "getekend")
        except OuderFout as e:
            fout = str(e)
            _audit(uitnodiging, "voor gezien", f"tekenen geweigerd: {fout}")
        else:
            return _terug(token, "getekend")
    getoond = ouder_getoond_for(uitnodiging)
    _audit(uitnodiging, "voor gezien", f"tekenpagina getoond, sha256 {getoond.hash}")
    return render(
        request,
        "ouders/tekenen.html",
        {
            "uitnodiging": uitnodiging,
            "token": token,
            "weergave": getoond.weergave,
            "getoond": getoond,
            "voor_gezien": getattr(uitnodiging, "voor_gezien", None),
            "fout": fout,
            "naam": naam,
        },
        status=400 if fout else 200,
    )


@require_POST
@ouder_pagina
def afmelden(request, uitnodiging: Uitnodiging, token: str):
    ouder_logout(uitnodiging=uitnodiging)
    _audit(uitnodiging, "afmelden", "afgemeld")
    response = render(request, "ouders/afgemeld.html", {"token": token})
    response.ouder_afgemeld = True
    return response
