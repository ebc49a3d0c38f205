"""The error pages (400, 403, 404, 500) and the reference that ties each one to its log line.

Every error page shows a short reference (e.g. `K7QM-4ZPA`) that the user can quote to the loket;
the same reference is appended to the log line(s) Django writes for that request's error
(`django.request`, `django.security.*`) by `ErrorReferenceFilter` on the log handler, so the
operator finds the traceback by it. The reference is random: it carries nothing about the request
or its user, and nothing else of the request is added to the log.

400, 403 and 404 render with the request (the menu stays for a logged-in user); 500 renders
without a request and without context processors, as Django's own handler does, so that the page
depends on nothing that may be what failed. Should a page itself fail to render, a plain Dutch
page with the reference is answered instead.
"""

from __future__ import annotations

import logging
import secrets

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.html import escape
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: read aloud over the phone without confusion. 32^8 ≈ 10^12 values.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ATTRIBUTE = "kindkans_error_reference"

FALLBACK = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Kindkans</title></head>
<body><main><h1>Er ging iets mis</h1>
<p>Probeer het over enkele minuten opnieuw. Blijft het misgaan, neem dan contact op met het loket
van uw samenwerkingsverband en noem deze referentie: <strong>{reference}</strong></p>
<p><a href="/">Naar de startpagina</a></p></main></body></html>
"""


def new_reference() -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def error_reference(request: HttpRequest) -> str:
    """The reference of this request's error: made on first use (the log line or the page,
    whichever comes first), the same one after."""
    reference = getattr(request, ATTRIBUTE, None)
    if reference is None:
        reference = new_reference()
        setattr(request, ATTRIBUTE, reference)
    return reference


class ErrorReferenceFilter(logging.Filter):
    """Appends ` [referentie XXXX-XXXX]` to a log record about a request that ends in an error
    (Django passes `request` and `status_code` along with those records)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        status = getattr(record, "status_code", None)
        if (
            isinstance(request, HttpRequest)
            and isinstance(status, int)
            and status >= 400
            and not hasattr(record, "referentie")
        ):
            record.referentie = error_reference(request)
            record.msg = f"{record.msg} [referentie {record.referentie}]"
        return True


def _page(request: HttpRequest, template: str, status: int, *, with_request: bool) -> HttpResponse:
    reference = error_reference(request)
    context = {"referentie": reference, "status": status}
    # With the request (menu, user) where asked, else, or when that fails, without it; when the
    # page cannot be rendered at all, the plain fallback.
    for use_request in (True, False) if with_request else (False,):
        try:
            body = loader.get_template(template).render(
                context, request=request if use_request else None
            )
            break
        except Exception:
            logger.exception("Error page %s failed to render [referentie %s]", template, reference)
    else:
        body = FALLBACK.format(reference=escape(reference))
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "400.html", 400, with_request=True)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "403.html", 403, with_request=True)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404, with_request=True)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, "500.html", 500, with_request=False)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form posted without a valid token (left open too long after logging
    out and in again, cookies blocked). Django's own page is English and technical."""
    return _page(request, "403_csrf.html", 403, with_request=True)
