"""Rounding the way Polish financial and statistical practice does it: half up
(73,225 % → 73,23 %; 0,5 → 1), never Python's default half to even (73,22 %).

Every percentage and rate the system shows or stores goes through `percentage` or
`round_half_up`: budget execution, the co-financing rate, attendance, indicators,
costs per participant and per hour, and every number a template rounds for display.
"""

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Decimal("73.225") → Decimal("73.23"); a half is rounded away from zero."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percentage(
    part: Decimal | int | None, whole: Decimal | int | None, places: int = 2
) -> Decimal | None:
    """Part as a percentage of whole, rounded half up; None when whole is 0 or None
    (a share of nothing is not 0 %)."""
    if not whole:
        return None
    return round_half_up(Decimal(part or 0) * 100 / Decimal(whole), places)
