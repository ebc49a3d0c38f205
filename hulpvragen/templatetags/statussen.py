from __future__ import annotations

from django import template

from hulpvragen.selectors import actor_for

register = template.Library()


@register.simple_tag
def status_kan_wijzigen(hulpvraag, user) -> bool:
    """Whether to offer "Status wijzigen": the user acts for the school or the SWV and the
    hulpvraag is not finished (or its final status is configured for a follow-up). No query:
    the page itself lists the real choices."""
    status = hulpvraag.status
    return actor_for(user) is not None and (not status.eindstatus or status.vervolg_toegestaan)
