from __future__ import annotations

from django import template

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
