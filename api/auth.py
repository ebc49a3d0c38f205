"""Who calls (a bearer token of an API client), what it may do (its scope) and how often (its
rate limit per minute). The authenticated user is the client's own account, so everything
behind this — the access module, the capability module, the services, the audit log — sees an
ordinary user of the organisation."""

from __future__ import annotations

import hmac
import time

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import BaseThrottle

from api.models import ApiToken, Scope
from api.services import TOKEN_BEGIN, api_token_gebruikt, token_hash

ONGELDIG = _(
    "Het token is onbekend, verlopen of ingetrokken. Vraag de beheerder om een nieuw token."
)


class TokenAuthenticatie(BaseAuthentication):
    """`Authorization: Bearer kk_<begin>_<geheim>`."""

    def authenticate(self, request):
        delen = get_authorization_header(request).split()
        if not delen or delen[0].lower() != b"bearer":
            return None
        if len(delen) != 2:
            raise exceptions.AuthenticationFailed(ONGELDIG)
        try:
            token = delen[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(ONGELDIG) from None
        if not token.startswith(TOKEN_BEGIN) or token.count("_") < 2:
            raise exceptions.AuthenticationFailed(ONGELDIG)
        prefix = token[len(TOKEN_BEGIN) :].split("_", 1)[0]
        rij = (
            ApiToken.objects.select_related(
                "client", "client__gebruiker", "client__gebruiker__organisatie"
            )
            .filter(prefix=prefix)
            .first()
        )
        if rij is None or not hmac.compare_digest(rij.hash, token_hash(token)):
            raise exceptions.AuthenticationFailed(ONGELDIG)
        gebruiker = rij.client.gebruiker
        if (
            not rij.geldig()
            or not rij.client.actief
            or not gebruiker.is_active
            or gebruiker.organisatie is None
            or not gebruiker.organisatie.actief
        ):
            raise exceptions.AuthenticationFailed(ONGELDIG)
        api_token_gebruikt(token=rij)
        return gebruiker, rij

    def authenticate_header(self, request):
        return 'Bearer realm="kindkans"'


class TokenAuthenticatieSchema(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthenticatie"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Een token van de API-koppeling (kk_…), van de beheerder.",
        }


class ScopeRecht(BasePermission):
    """Every call needs a token; a write needs the scope lezen-en-schrijven."""

    message = _("Deze koppeling mag alleen lezen.")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        if request.method in SAFE_METHODS:
            return True
        return token.client.scope == Scope.SCHRIJVEN


class PerKoppeling(BaseThrottle):
    """A fixed window of one minute per client (the shared cache: Redis in production, so all
    workers count together). Over the limit: 429 with Retry-After."""

    def allow_request(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        nu = time.time()
        venster = int(nu // 60)
        self.rest = 60 - (nu % 60)
        sleutel = f"api:rate:{token.client_id}:{venster}"
        cache.add(sleutel, 0, timeout=70)
        try:
            aantal = cache.incr(sleutel)
        except ValueError:  # expired between add and incr
            cache.set(sleutel, 1, timeout=70)
            aantal = 1
        return aantal <= token.client.per_minuut

    def wait(self):
        return getattr(self, "rest", 60)
