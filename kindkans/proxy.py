"""The reverse proxy in front (nginx): which forwarded headers are believed, and a deploy check
that the proxy settings agree with each other.

Behind nginx every request comes from the proxy's address; the client's address is in
X-Forwarded-For (client_ip below counts TRUSTED_PROXY_HOPS from the right) and the
scheme in X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER, with BEHIND_TLS_PROXY). Both headers are
set by whoever sends the request, so they are believed only from the proxy itself:
TrustedProxyMiddleware, first in MIDDLEWARE, drops them from any other sender. A client that
reaches gunicorn directly (gunicorn must not be reachable, but should it be) cannot pose as
another address in the audit log and the lockout, nor as HTTPS.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.http import HttpRequest

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")


@lru_cache(maxsize=8)
def _networks(addresses: tuple[str, ...]) -> tuple[ipaddress._BaseNetwork, ...]:
    return tuple(ipaddress.ip_network(a, strict=False) for a in addresses)


def from_trusted_proxy(remote_addr: str | None) -> bool:
    if not remote_addr:
        return False
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(address in net for net in _networks(tuple(settings.TRUSTED_PROXY_IPS)))


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


@register(Tags.security, deploy=True)
def check_proxy_settings(app_configs=None, **kwargs) -> list[Error]:
    """`check --deploy` fails when the proxy settings contradict each other."""
    errors = []
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    hops = settings.TRUSTED_PROXY_HOPS
    try:
        _networks(tuple(settings.TRUSTED_PROXY_IPS))
    except ValueError as exc:
        errors.append(
            Error(
                f"TRUSTED_PROXY_IPS holds something that is not an address or network: {exc}",
                id="kindkans.E101",
            )
        )
    if behind_proxy and hops == 0:
        errors.append(
            Error(
                "BEHIND_TLS_PROXY is on but TRUSTED_PROXY_HOPS is 0: the audit log and the "
                "login lockout would record the proxy's address for every user.",
                hint="Set TRUSTED_PROXY_HOPS to the number of proxies in front (nginx alone: 1).",
                id="kindkans.E102",
            )
        )
    if hops > 0 and not behind_proxy:
        errors.append(
            Error(
                "TRUSTED_PROXY_HOPS is set but BEHIND_TLS_PROXY is off: the proxy's "
                "X-Forwarded-Proto is ignored, so HTTPS requests look like HTTP (redirect loop).",
                hint="Set BEHIND_TLS_PROXY=true, or TRUSTED_PROXY_HOPS=0 without a proxy.",
                id="kindkans.E103",
            )
        )
    if (behind_proxy or hops > 0) and not settings.TRUSTED_PROXY_IPS:
        errors.append(
            Error(
                "A proxy is configured but TRUSTED_PROXY_IPS is empty: its forwarded headers "
                "would be dropped on every request.",
                hint="Set TRUSTED_PROXY_IPS to the proxy's address or network.",
                id="kindkans.E104",
            )
        )
    return errors


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_HOPS proxies the address the outermost trusted
    proxy saw, counted from the right of X-Forwarded-For (the left part is client-controlled).
    X-Forwarded-For is there only when the request came from a proxy in TRUSTED_PROXY_IPS:
    TrustedProxyMiddleware drops it from anyone else."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None
