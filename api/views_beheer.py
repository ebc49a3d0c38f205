"""The beheerder's screen "API-koppelingen" (/swv/api-koppelingen/): register a client for
schools of the SWV (or read-only for the whole SWV), give it tokens (shown once), rotate and
revoke them, revoke the client."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.eenmalig import AlVerstuurd, eenmalig
from accounts.rechten import Recht, recht_vereist
from api.forms import KoppelingForm, VernieuwenForm
from api.models import ApiClient
from api.services import (
    api_client_create,
    api_client_revoke,
    api_client_update,
    api_token_create,
    api_token_revoke,
    api_token_rotate,
)
from organisaties.admin_scope import fouten_naar_form

koppelingbeheer_vereist = recht_vereist(Recht.API_KOPPELINGEN_BEHEREN)


def _clients(request):
    return ApiClient.objects.filter(organisatie_id=request.user.organisatie_id)


@koppelingbeheer_vereist
def koppelingen(request):
    clients = (
        _clients(request)
        .select_related("gebruiker")
        .prefetch_related("gebruiker__scholen", "tokens")
    )
    return render(request, "api/koppelingen.html", {"clients": clients})


def _detail(request, client, *, form=None, nieuw_token="", status=200):
    return render(
        request,
        "api/koppeling.html",
        {
            "client": client,
            "tokens": client.tokens.all(),
            "scholen": client.gebruiker.scholen.order_by("naam"),
            "form": form
            or KoppelingForm(
                organisatie_id=client.organisatie_id,
                client=client,
                initial={
                    "naam": client.naam,
                    "scope": client.scope,
                    "scholen": list(client.gebruiker.scholen.all()),
                    "per_minuut": client.per_minuut,
                    "contact_email": client.contact_email,
                },
            ),
            "vernieuwen": VernieuwenForm(),
            "nieuw_token": nieuw_token,
            "schema_url": reverse("api:docs"),
        },
        status=status,
    )


@koppelingbeheer_vereist
def koppeling_nieuw(request):
    form = KoppelingForm(request.POST or None, organisatie_id=request.user.organisatie_id)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with eenmalig(request) as inzending:
                client = api_client_create(
                    door=request.user,
                    naam=d["naam"],
                    scope=d["scope"],
                    scholen=d["scholen"],
                    swv_breed=d["swv_breed"],
                    per_minuut=d["per_minuut"],
                    contact_email=d["contact_email"],
                )
                _rij, token = api_token_create(door=request.user, client=client)
                inzending.resultaat(
                    url=reverse("koppelingen:detail", args=[client.pk]),
                    melding=_("De koppeling is aangemaakt."),
                    object=client,
                )
        except AlVerstuurd as eerder:
            return eerder.antwoord(request)
        except ValidationError as fout:
            fouten_naar_form(form, fout)
        else:
            messages.success(request, _("De koppeling is aangemaakt."))
            # The token is shown in this answer only; it is stored as a hash.
            return _detail(request, client, nieuw_token=token)
    return render(
        request, "api/koppeling_nieuw.html", {"form": form}, status=400 if form.errors else 200
    )


@koppelingbeheer_vereist
def koppeling_detail(request, pk: int):
    client = get_object_or_404(_clients(request).select_related("gebruiker"), pk=pk)
    if request.method != "POST":
        return _detail(request, client)
    actie = request.POST.get("actie")
    try:
        with eenmalig(request) as inzending:
            token = ""
            if actie == "wijzigen":
                form = KoppelingForm(
                    request.POST, organisatie_id=client.organisatie_id, client=client
                )
                if not form.is_valid():
                    return _detail(request, client, form=form, status=400)
                d = form.cleaned_data
                api_client_update(
                    door=request.user,
                    client=client,
                    naam=d["naam"],
                    scope=d["scope"],
                    scholen=d.get("scholen", []),
                    per_minuut=d["per_minuut"],
                    contact_email=d["contact_email"],
                )
                melding = _("De koppeling is gewijzigd.")
            elif actie == "token":
                _rij, token = api_token_create(door=request.user, client=client)
                melding = _("Er is een nieuw token gemaakt.")
            elif actie == "vernieuwen":
                rij = get_object_or_404(client.tokens, pk=request.POST.get("token"))
                form = VernieuwenForm(request.POST)
                dagen = int(form.cleaned_data["overlap"]) if form.is_valid() else 7
                _rij, token = api_token_rotate(
                    door=request.user, token=rij, overlap=timedelta(days=dagen)
                )
                melding = _("Het token is vernieuwd.")
            elif actie == "intrekken":
                rij = get_object_or_404(client.tokens, pk=request.POST.get("token"))
                api_token_revoke(door=request.user, token=rij)
                melding = _("Het token is ingetrokken; het werkt niet meer.")
            elif actie == "koppeling_intrekken":
                api_client_revoke(door=request.user, client=client)
                melding = _("De koppeling is ingetrokken; geen enkel token werkt nog.")
            else:
                return redirect("koppelingen:detail", client.pk)
            inzending.resultaat(
                url=reverse("koppelingen:detail", args=[client.pk]), melding=melding
            )
    except AlVerstuurd as eerder:
        return eerder.antwoord(request)
    except ValidationError as fout:
        for bericht in fout.messages:
            messages.error(request, bericht)
        return redirect("koppelingen:detail", client.pk)
    messages.success(request, melding)
    if token:
        return _detail(request, client, nieuw_token=token)
    return redirect("koppelingen:detail", client.pk)
