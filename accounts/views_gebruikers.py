"""The beheerder's Gebruikers screen (at /swv/gebruikers/): personal accounts of the own
organisation, through accounts.services_gebruikers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import GebruikerForm, GebruikersFilter
from accounts.http import fouten_melden, fouten_op_formulier
from accounts.models import Rol
from accounts.rechten import Recht, recht_vereist
from accounts.selectors import gebruikers_for
from accounts.services import tweede_factor_reset
from accounts.services_gebruikers import gebruiker_create, gebruiker_set_actief, gebruiker_update
from kindkans.proxy import client_ip

gebruikersbeheer_vereist = recht_vereist(Recht.GEBRUIKERS_BEHEREN)


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
        fouten_op_formulier(form, e)
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
        fouten_melden(request, e)
    else:
        messages.success(
            request,
            _("Het account is weer actief.") if actief else _("Het account is gedeactiveerd."),
        )
    return redirect("beheer:gebruiker", pk=gebruiker.pk)


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
