"""Template tags for the pages of the accounts app that offer the provider login, so accounts'
Python code needs nothing from this app: the login screen's buttons, Mijn account's links, the
header's "Ander samenwerkingsverband"."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from accounts.selectors import organisaties_search
from oidc.selectors import (
    koppelingen_for,
    providers_exist,
    providers_for_gebruiker,
    providers_for_organisatie,
)
from oidc.services import EXTERN

register = template.Library()


@register.simple_tag
def extern_start_url(provider, organisatie, next_url="") -> str:
    """ "Inloggen met <naam>" is a link, not a form button: a form's redirect chain may not
    leave the site (CSP form-action 'self'), a link's may."""
    query = {"provider": provider.pk, "organisatie": organisatie.code}
    if next_url:
        query["next"] = next_url
    return f"{reverse('oidc:start')}?{urlencode(query)}"


@register.inclusion_tag("oidc/_login_knoppen.html")
def extern_knoppen(form, next_url=""):
    """Inside the login form: "Inloggen met <naam>" per provider of the chosen organisation
    (typed, or given in the link), else one button that asks for the organisation's providers."""
    tekst = form["organisatie"].value() or ""
    gevonden = organisaties_search(tekst=tekst) if tekst else []
    organisatie = gevonden[0] if len(gevonden) == 1 else None
    providers = providers_for_organisatie(organisatie=organisatie)
    return {
        "providers": providers,
        "organisatie": organisatie,
        "next": next_url,
        "algemeen": not providers and providers_exist(),
    }


@register.inclusion_tag("oidc/_account_koppelingen.html", takes_context=True)
def extern_koppelingen(context):
    request = context["request"]
    gebruiker = request.user
    gekoppeld = {k.provider_id: k for k in koppelingen_for(gebruiker=gebruiker)}
    rijen = [(p, gekoppeld.pop(p.pk, None)) for p in providers_for_gebruiker(gebruiker=gebruiker)]
    # A link whose provider is no longer offered to this account can still be removed.
    rijen += [(k.provider, k) for k in gekoppeld.values()]
    return {"rijen": rijen, "request": request, "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def extern_kan_wisselen(context) -> bool:
    """Whether this session's provider login reaches accounts in other SWVs (counted at login,
    so the header costs no query)."""
    extern = context["request"].session.get(EXTERN) or {}
    return extern.get("aantal", 0) > 1
