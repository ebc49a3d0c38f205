"""Templates ask the capability module (accounts/rechten.py), never a role:

{% load rechten %}
{% if request.user|mag:"bijlage_toevoegen" %}…{% endif %}
"""

from __future__ import annotations

from django import template

from accounts import rechten

register = template.Library()


@register.filter
def mag(user, recht: str) -> bool:
    """May `user` do `recht` (a `rechten.Recht` value) in the own organisation?"""
    if user is None:
        return False
    return rechten.mag(user, rechten.Recht(recht))
