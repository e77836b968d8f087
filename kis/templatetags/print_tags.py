"""Helpers of the print templates.

{% load print_tags %}
{{ organisation.dpo_email|or_blank }}        the value, or a dotted line to fill in
{{ organisation.regon|or_blank:"short" }}    a shorter line
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def or_blank(value, size: str = "") -> str:
    """A datum the register lacks is printed as a visible blank line to fill in by hand,
    never left out silently."""
    if value not in (None, ""):
        return format_html("{}", value)
    return format_html('<span class="blank{}"></span>', " short" if size == "short" else "")


@register.simple_tag
def datum(record, name: str, size: str = "") -> str:
    """A field of a record that may be missing altogether (the centre's profile before
    it is entered), or a blank line: {% datum organisation "city" "short" %}."""
    return or_blank(getattr(record, name, "") if record is not None else "", size)
