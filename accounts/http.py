"""Small request helpers shared by the login views and the beheer screens (the client address:
kindkans.proxy.client_ip)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, candidate: str | None, default: str = "/") -> str:
    """`candidate` when it is a path on this site, otherwise `default` (no open redirects)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def fouten_melden(request, error: ValidationError) -> None:
    """A service's refusal as error messages on the next page."""
    for message in error.messages:
        messages.error(request, message)


def fouten_op_formulier(form, error: ValidationError) -> None:
    """A service's refusal on the form: per field where it names one, else for the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
