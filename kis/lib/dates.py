"""Calendar arithmetic the rules need: months after a day."""

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
