"""The OpenID Connect relying party, through Authlib (its Django client).

Authorization Code flow with PKCE (S256), a fresh `state` and `nonce` per attempt, all kept in the
session by Authlib (one entry per state, removed when the answer comes back, so a replayed answer
finds nothing). The ID token is checked by Authlib against the provider's discovery document:
signature with the keys of its `jwks_uri` (only the algorithms the document lists), `iss` equal
to the document's issuer, `aud` our client id, `exp`/`iat` within LEEWAY, `nonce` the one of this
attempt, `at_hash` when present. On top of that we require the document's issuer to be the one
its URL names (OpenID Connect Discovery 4.3) and, when the provider sends it, the `iss` parameter
of the authorization response to be that issuer too (RFC 9207, against mix-up attacks).

A client is made per request from the provider's row: discovery and keys are fetched again for
each login (two small requests), so a rotated key or a changed secret works at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.http import HttpRequest
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, JoseError

from oidc.models import Identiteitsprovider

# Seconds of clock difference accepted on exp and iat (servers keep NTP time; a minute is ample).
LEEWAY = 60
# Seconds before a request to the provider is given up.
TIMEOUT = 10


class ProviderFout(Exception):
    """The provider's answer was refused. `reden` is short, for the security log (never a
    token or a code)."""

    def __init__(self, reden: str):
        super().__init__(reden)
        self.reden = reden


@dataclass(frozen=True)
class Identiteit:
    issuer: str
    sub: str
    amr: tuple[str, ...]
    acr: str
    naam: str


def _client(provider: Identiteitsprovider):
    oauth = OAuth()
    return oauth.register(
        name=f"provider-{provider.pk}",
        client_id=provider.client_id,
        client_secret=provider.client_secret(),
        server_metadata_url=provider.discovery_url,
        client_kwargs={
            "scope": provider.scopes,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT,
        },
    )


def _metadata(client, provider: Identiteitsprovider) -> dict:
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderFout("provider onbereikbaar") from exc
    if metadata.get("issuer") != provider.issuer:
        raise ProviderFout("issuer van het discovery-document klopt niet")
    return metadata


def autorisatie_url(request: HttpRequest, provider: Identiteitsprovider, *, redirect_uri: str):
    """The provider's authorization URL for a new attempt; state, nonce and the PKCE verifier
    are stored in the session. Returns (url, state)."""
    client = _client(provider)
    _metadata(client, provider)
    rv = client.create_authorization_url(redirect_uri)
    client.save_authorize_data(request, redirect_uri=redirect_uri, **rv)
    return rv["url"], rv["state"]


def antwoord_verwerken(request: HttpRequest, provider: Identiteitsprovider) -> Identiteit:
    """The provider's answer at our redirect URI: exchange the code (with the PKCE verifier)
    and validate the ID token. Raises ProviderFout."""
    client = _client(provider)
    metadata = _metadata(client, provider)
    iss = request.GET.get("iss")
    if iss is not None and iss != metadata["issuer"]:
        raise ProviderFout("iss in het antwoord klopt niet")
    try:
        token = client.authorize_access_token(request, leeway=LEEWAY)
    except MismatchingStateError as exc:
        raise ProviderFout("state onbekend of al gebruikt") from exc
    except OAuthError as exc:
        raise ProviderFout(f"provider weigerde: {exc.error}"[:120]) from exc
    except BadSignatureError as exc:
        raise ProviderFout("handtekening ongeldig") from exc
    except ExpiredTokenError as exc:
        raise ProviderFout("ID-token verlopen") from exc
    except ClaimError as exc:
        raise ProviderFout(f"claim {exc.claim} ongeldig") from exc
    except JoseError as exc:
        raise ProviderFout(f"ID-token ongeldig ({exc.error})"[:120]) from exc
    except requests.RequestException as exc:
        raise ProviderFout("provider onbereikbaar") from exc
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise ProviderFout("geen ID-token")
    amr = claims.get("amr") or []
    return Identiteit(
        issuer=claims["iss"],
        sub=str(claims["sub"]),
        amr=tuple(amr if isinstance(amr, list) else [amr]),
        acr=str(claims.get("acr") or ""),
        naam=str(claims.get("name") or ""),
    )
