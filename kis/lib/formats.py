"""Polish number formats: 207 209,61 zł, 89,35 %, 1 287.

Grouping is forced here rather than by USE_THOUSAND_SEPARATOR, which would also group
years and identifiers. The separator comes from the active locale (Polish: a no-break
space), so the same code serves English.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format

from kis.lib.numbers import round_half_up


def to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def format_number(value: object, decimal_pos: int | None = None) -> str:
    """1234567 → "1 234 567"; with decimal_pos, that many decimals rounded half up
    (Django's number_format would cut them: 3,75 h → "3,7"); without it, whole numbers
    lose their zero decimals: Decimal("100.00") → "100"."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    if decimal_pos is None and amount == amount.to_integral_value():
        decimal_pos = 0
    if decimal_pos is not None and amount.is_finite():
        amount = round_half_up(amount, decimal_pos)
    return number_format(amount, decimal_pos=decimal_pos, force_grouping=True)


def format_money(value: object) -> str:
    """Decimal("207209.61") → "207 209,61 zł" (no-break spaces)."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    return f"{format_number(amount, 2)}\xa0zł"


def format_percent(value: object, decimal_pos: int = 2) -> str:
    """Decimal("89.354") → "89,35 %"; Decimal("73.225") → "73,23 %" (half up)."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    return f"{format_number(amount, decimal_pos)}\xa0%"
