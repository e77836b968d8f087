"""Calendar arithmetic the rules need: months after a day, public holidays."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier, if negative); the last day of the month
    when that month is shorter: 31.08 + 3 months = 30.11, 30.11 + 3 months = 28.02 (29.02
    in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def public_holidays(start: date, end: date) -> dict[date, str]:
    """Polish public holidays (days free from work, ustawa o dniach wolnych od pracy)
    from `start` to `end`, with their names in the interface's language. From the
    `holidays` package, which follows the law (Christmas Eve free since 2025)."""
    import holidays
    from django.utils.translation import get_language

    language = "pl" if (get_language() or "pl").startswith("pl") else "en_US"
    days = holidays.Poland(years=range(start.year, end.year + 1), language=language)
    return {day: str(name) for day, name in sorted(days.items()) if start <= day <= end}
