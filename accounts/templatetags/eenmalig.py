"""{% eenmalig_veld %}: the hidden one-time token of a form (accounts/eenmalig.py)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from accounts.eenmalig import VELD, eenmalig_token

register = template.Library()


@register.simple_tag
def eenmalig_veld():
    return format_html('<input type="hidden" name="{}" value="{}">', VELD, eenmalig_token())
