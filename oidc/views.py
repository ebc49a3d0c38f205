"""Logging in with the school's own account (OpenID Connect): start, the provider's answer, the
SWV chooser, switching SWV, and linking/unlinking on Mijn account. Views only orchestrate."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from accounts.decorators import openbaar
from accounts.http import safe_next
from accounts.middleware import tweede_stap_url
from accounts.models import Gebeurtenis
from accounts.selectors import organisaties_search
from accounts.services import beveiliging_log
from kindkans.proxy import client_ip
from oidc.models import ExterneIdentiteit, Identiteitsprovider
from oidc.protocol import ProviderFout, antwoord_verwerken, autorisatie_url
from oidc.selectors import (
    koppelingen_for_identiteit,
    provider_allowed,
    providers_for_organisatie,
)
from oidc.services import (
    EXTERN,
    andere_koppelingen_for,
    extern_login,
    extern_sessie,
    koppeling_create,
    koppeling_delete,
    poging_store,
    poging_take,
    swv_switch,
)
from organisaties.models import Organisatie

NIET_GEKOPPELD = _lazy(
    "U bent bij %(naam)s ingelogd, maar dat account is nog niet gekoppeld aan een "
    "Kindkans-account. Log één keer in met uw gebruikersnaam, wachtwoord en code en kies dan "
    "onder Mijn account “Koppelen met %(naam)s”. Er is geen account aangemaakt."
)
MISLUKT = _lazy(
    "Inloggen met %(naam)s is niet gelukt. Probeer het opnieuw; lukt het weer niet, log dan in "
    "met uw gebruikersnaam en wachtwoord of vraag het loket om hulp."
)


def _redirect_uri() -> str:
    # From SITE_URL, never from the Host header: the provider only accepts registered URIs.
    return settings.SITE_URL.rstrip("/") + reverse("oidc:terug")


def _naar_provider(request: HttpRequest, provider: Identiteitsprovider, gegevens: dict):
    try:
        url, state = autorisatie_url(request, provider, redirect_uri=_redirect_uri())
    except ProviderFout as fout:
        beveiliging_log(
            gebeurtenis=Gebeurtenis.LOGIN_MISLUKT,
            ip=client_ip(request),
            toelichting=f"{provider.naam}: {fout.reden}",
        )
        messages.error(request, MISLUKT % {"naam": provider.naam})
        return None
    poging_store(request, state, {"provider": provider.pk, **gegevens})
    # Reached by a link (GET), never by a form: browsers check every redirect after a form
    # submission against the submitting page's CSP form-action ('self'), so a form could not
    # lead to the provider. A GET only starts an attempt; nothing changes before the answer.
    return HttpResponseRedirect(url)


def _login_url(next_url: str, organisatie: Organisatie | None = None) -> str:
    query = {"next": next_url}
    if organisatie is not None:
        query["organisatie"] = organisatie.naam
    return f"{reverse('login')}?{urlencode(query)}"


def _next(request: HttpRequest) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), reverse("start"))


def _organisatie(request: HttpRequest) -> Organisatie | None:
    tekst = request.POST.get("organisatie") or request.GET.get("organisatie") or ""
    gevonden = organisaties_search(tekst=tekst)
    return gevonden[0] if len(gevonden) == 1 else None


@openbaar
@require_POST
@csrf_protect
@never_cache
def organisatie_kiezen(request: HttpRequest) -> HttpResponse:
    """ "Inloggen met het account van uw school" on the login screen before the organisation's
    providers are shown: the page with its "Inloggen met <naam>" (links: see _naar_provider);
    none → back to the login screen."""
    next_url = _next(request)
    organisatie = _organisatie(request)
    providers = providers_for_organisatie(organisatie=organisatie)
    if not providers:
        if organisatie is None:
            messages.error(request, _("Kies eerst uw organisatie."))
        else:
            messages.error(
                request,
                _("Bij %(org)s logt u in met uw gebruikersnaam, wachtwoord en code.")
                % {"org": organisatie.naam},
            )
        return redirect(_login_url(next_url, organisatie))
    return render(
        request,
        "oidc/providers.html",
        {"providers": providers, "organisatie": organisatie, "next": next_url},
    )


@openbaar
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """ "Inloggen met <naam>": a provider of the chosen organisation."""
    next_url = _next(request)
    organisatie = _organisatie(request)
    provider = next(
        (
            p
            for p in providers_for_organisatie(organisatie=organisatie)
            if str(p.pk) == request.GET.get("provider")
        ),
        None,
    )
    if provider is None:
        messages.error(request, _("Kies eerst uw organisatie."))
        return redirect(_login_url(next_url, organisatie))
    antwoord = _naar_provider(
        request, provider, {"doel": "login", "next": next_url, "organisatie": organisatie.pk}
    )
    return antwoord or redirect(_login_url(next_url, organisatie))


@openbaar
@never_cache
def terug(request: HttpRequest) -> HttpResponse:
    """The provider's answer (our redirect URI)."""
    ip = client_ip(request)
    poging = poging_take(request, request.GET.get("state"))
    if poging is None:
        # No attempt of this session has this state: forged, replayed or from another browser.
        beveiliging_log(
            gebeurtenis=Gebeurtenis.LOGIN_MISLUKT, ip=ip, toelichting="extern: state onbekend"
        )
        messages.error(
            request,
            _("Deze inlogpoging is verlopen of in een andere browser begonnen. Probeer opnieuw."),
        )
        return redirect("login")
    provider = Identiteitsprovider.objects.filter(pk=poging["provider"], actief=True).first()
    if provider is None:
        raise Http404
    organisatie = Organisatie.objects.filter(pk=poging.get("organisatie")).first()
    next_url = safe_next(request, poging.get("next"), reverse("start"))
    koppelen = poging.get("doel") == "koppelen"
    try:
        identiteit = antwoord_verwerken(request, provider)
    except ProviderFout as fout:
        beveiliging_log(
            gebeurtenis=Gebeurtenis.LOGIN_MISLUKT,
            gebruiker=request.user if koppelen and request.user.is_authenticated else None,
            organisatie=organisatie,
            ip=ip,
            toelichting=f"{provider.naam}: {fout.reden}",
        )
        messages.error(request, MISLUKT % {"naam": provider.naam})
        if koppelen and request.user.is_authenticated:
            return redirect("account")
        return redirect(_login_url(next_url, organisatie))

    if koppelen:
        return _koppelen_afronden(request, provider, identiteit, poging)

    mfa = provider.mfa_vertrouwd(amr=list(identiteit.amr), acr=identiteit.acr)
    extern = extern_sessie(request, identiteit=identiteit, provider=provider, mfa=mfa)
    koppelingen = koppelingen_for_identiteit(issuer=identiteit.issuer, sub=identiteit.sub)
    if not koppelingen:
        beveiliging_log(
            gebeurtenis=Gebeurtenis.LOGIN_MISLUKT,
            organisatie=organisatie,
            ip=ip,
            toelichting=f"{provider.naam}: niet gekoppeld",
        )
        messages.error(request, NIET_GEKOPPELD % {"naam": provider.naam})
        return redirect(_login_url(next_url, organisatie))
    if len(koppelingen) == 1:
        return _inloggen(request, koppelingen[0], extern, next_url)
    # Several SWVs: the chooser, of exactly these accounts. Nothing is logged in yet.
    request.session[EXTERN] = {**extern, "keuze": [k.pk for k in koppelingen], "next": next_url}
    return redirect("oidc:kiezen")


def _inloggen(
    request: HttpRequest, koppeling: ExterneIdentiteit, extern: dict, next_url: str
) -> HttpResponse:
    extern = {k: v for k, v in extern.items() if k not in ("keuze", "next")}
    if extern_login(request, koppeling=koppeling, extern=extern, ip=client_ip(request)):
        return redirect(next_url)
    # The provider did not assert multi-factor authentication: Kindkans' own code follows.
    return redirect(tweede_stap_url(koppeling.user, next_url))


def _koppelen_afronden(request, provider, identiteit, poging) -> HttpResponse:
    gebruiker = request.user
    if not (
        gebruiker.is_authenticated
        and gebruiker.pk == poging.get("gebruiker")
        and gebruiker.is_verified()
    ):
        # Linking belongs to the session that asked for it, fully logged in.
        raise PermissionDenied
    try:
        koppeling_create(
            gebruiker=gebruiker, provider=provider, identiteit=identiteit, ip=client_ip(request)
        )
    except ValidationError as fout:
        messages.error(request, " ".join(fout.messages))
    else:
        messages.success(
            request,
            _("Uw account is gekoppeld. Voortaan kunt u inloggen met %(naam)s.")
            % {"naam": provider.naam},
        )
    return redirect("account")


@openbaar
@csrf_protect
@never_cache
def kiezen(request: HttpRequest) -> HttpResponse:
    """After a provider login linked to accounts in several SWVs: choose one (only those)."""
    extern = request.session.get(EXTERN) or {}
    keuze = extern.get("keuze")
    if not keuze:
        return redirect("login")
    koppelingen = [
        k
        for k in koppelingen_for_identiteit(issuer=extern["issuer"], sub=extern["sub"])
        if k.pk in keuze
    ]
    if request.method == "POST":
        gekozen = next((k for k in koppelingen if str(k.pk) == request.POST.get("koppeling")), None)
        if gekozen is not None:
            return _inloggen(request, gekozen, extern, extern.get("next") or reverse("start"))
    return render(request, "oidc/kiezen.html", {"koppelingen": koppelingen, "wisselen": False})


@csrf_protect
@never_cache
def wisselen(request: HttpRequest) -> HttpResponse:
    """Switch to another SWV this provider login is linked to, without logging in again."""
    koppelingen = andere_koppelingen_for(request)
    if not koppelingen:
        raise Http404
    if request.method == "POST":
        gekozen = next((k for k in koppelingen if str(k.pk) == request.POST.get("koppeling")), None)
        if gekozen is not None:
            swv_switch(request, koppeling=gekozen, ip=client_ip(request))
            messages.success(
                request,
                _("U werkt nu in %(org)s.") % {"org": gekozen.organisatie.naam},
            )
            return redirect("start")
    return render(request, "oidc/kiezen.html", {"koppelingen": koppelingen, "wisselen": True})


@never_cache
def koppelen(request: HttpRequest, provider_pk: int) -> HttpResponse:
    """Mijn account, "Koppelen met <naam>": the provider login that links this account."""
    provider = get_object_or_404(Identiteitsprovider, pk=provider_pk, actief=True)
    if not provider_allowed(provider=provider, gebruiker=request.user):
        raise Http404
    antwoord = _naar_provider(
        request,
        provider,
        {"doel": "koppelen", "gebruiker": request.user.pk, "next": reverse("account")},
    )
    return antwoord or redirect("account")


@require_POST
@csrf_protect
@never_cache
def ontkoppelen(request: HttpRequest, koppeling_pk: int) -> HttpResponse:
    koppeling = get_object_or_404(ExterneIdentiteit, pk=koppeling_pk, user=request.user)
    naam = koppeling.provider.naam
    koppeling_delete(koppeling=koppeling, door=request.user, ip=client_ip(request))
    messages.success(
        request,
        _("De koppeling met %(naam)s is verwijderd. U logt weer in met uw wachtwoord en code.")
        % {"naam": naam},
    )
    return redirect("account")
