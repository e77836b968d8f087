"""Polish number formats for templates: `{{ amount|money }}` → "207 209,61 zł".

Grouping is forced here rather than by USE_THOUSAND_SEPARATOR, which would also
group years and identifiers. The separator comes from the active locale (Polish: a
no-break space), so the same templates serve English.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def number(value, decimal_pos: int | None = None) -> str:
    """A grouped number: 1234567 → "1 234 567"; with an argument, that many decimals."""
    amount = _decimal(value)
    if amount is None:
        return ""
    return number_format(amount, decimal_pos=decimal_pos, force_grouping=True)


@register.filter
def money(value) -> str:
    """An amount in złoty: Decimal("207209.61") → "207 209,61 zł" (no-break spaces)."""
    amount = _decimal(value)
    if amount is None:
        return ""
    return f"{number(amount, 2)}\xa0zł"


@register.filter
def percent(value, decimal_pos: int = 2) -> str:
    """A percentage: Decimal("89.354") → "89,35 %"."""
    amount = _decimal(value)
    if amount is None:
        return ""
    return f"{number(amount, decimal_pos)}\xa0%"
