"""Polish number formats for templates: `{{ amount|money }}` → "207 209,61 zł"."""

from django import template

from kis.lib.formats import format_money, format_number, format_percent, to_decimal
from kis.lib.numbers import percentage

register = template.Library()


@register.filter
def number(value, decimal_pos: int | None = None) -> str:
    return format_number(value, decimal_pos)


@register.filter
def money(value) -> str:
    return format_money(value)


@register.filter
def percent(value, decimal_pos: int = 2) -> str:
    return format_percent(value, decimal_pos)


@register.filter
def share_of(value, whole):
    """`{{ part|share_of:whole|percent }}`: part as a percentage of whole (None if whole is 0)."""
    part = to_decimal(value)
    if part is None:
        return None
    return percentage(part, to_decimal(whole))
