"""The client address of the current request, for the access audit log (audit.Inzage).

Every audit record must say from which address data was seen. The services that write
the records are called from many views (and other apps' views); rather than pass the request
through every one of them, this middleware puts the address (kindkans.proxy.client_ip, so
TRUSTED_PROXY_HOPS applies) in a context variable for the duration of the request, and
audit.services.inzage_record reads it. Outside a request (Celery tasks, commands) it is None.
"""

from __future__ import annotations

from contextvars import ContextVar

from kindkans.proxy import client_ip

_ip_adres: ContextVar[str | None] = ContextVar("inzage_ip_adres", default=None)


def huidig_ip_adres() -> str | None:
    return _ip_adres.get()


class InzageIPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ip_adres.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _ip_adres.reset(token)
