"""{% sessie_waarschuwing %}: the warning shown a few minutes before the automatic logout, with
"Blijf ingelogd". Hidden until static/js/sessie.js shows it (without JavaScript nothing warns, but
the timeout itself still works and the user returns to the page after logging in again)."""

from __future__ import annotations

from django import template
from django.conf import settings

from accounts.sessies import sessie_resterend

register = template.Library()


@register.inclusion_tag("accounts/_sessie_waarschuwing.html", takes_context=True)
def sessie_waarschuwing(context) -> dict:
    request = context["request"]
    idle = settings.SESSION_IDLE_SECONDS
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "resterend": sessie_resterend(request),
        # A few minutes before; for short (test) timeouts at most half of it.
        "waarschuwing": min(settings.SESSION_WARNING_SECONDS, idle // 2),
        "volgende": request.get_full_path(),
    }
