from django import template

from bijlagen.selectors import bijlagen_count_for

register = template.Library()


@register.simple_tag
def bijlagen_aantal(hulpvraag) -> int:
    """For the "N Bijlagen" button on the Hulpvraag tab (one COUNT query)."""
    return bijlagen_count_for(hulpvraag=hulpvraag)
