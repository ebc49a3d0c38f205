from __future__ import annotations

from django import template

from hulpvragen.guards import guard_paginas
from hulpvragen.models import Overgang, Trigger
from hulpvragen.selectors import actor_for

register = template.Library()


@register.simple_tag
def status_kan_wijzigen(hulpvraag, user) -> bool:
    """Whether to offer "Status wijzigen": the user acts for the school or the SWV and the
    hulpvraag is not finished. No query for that: the page itself lists the real choices. A final
    status with a configured follow-up (FA afgegeven) offers it only when this party can choose
    that follow-up by hand (one query): the evaluation upload is automatic."""
    actor = actor_for(user)
    status = hulpvraag.status
    if actor is None:
        return False
    if not status.eindstatus:
        return True
    return (
        status.vervolg_toegestaan
        and Overgang.objects.filter(van=status, trigger=Trigger.HANDMATIG, door=actor).exists()
    )


@register.simple_tag
def status_paginas(hulpvraag, user) -> list[tuple[str, str]]:
    """(label, url) of the pages where this user's party takes a step of the hulpvraag's process
    (a check with a page, e.g. the loket's "Besluit"), offered next to Status wijzigen. One
    query; none for a user who takes no transitions."""
    actor = actor_for(user)
    if actor is None:
        return []
    namen = [
        naam
        for controles in Overgang.objects.filter(
            proces_id=hulpvraag.proces_id, door=actor, trigger=Trigger.HANDMATIG
        ).values_list("controles", flat=True)
        for naam in controles
    ]
    return guard_paginas(namen, hulpvraag)
