"""Every percentage and rate is rounded half up (Polish practice), tested on x,xx5:
29 290 of 40 000 is exactly 73,225 %, which half to even would show as 73,22 %."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from kis.lib.formats import format_number, format_percent
from kis.lib.numbers import percentage, round_half_up
from participants.selectors.support import percent as attendance_percent
from projects.models import Indicator, Project
from projects.selectors import execution_percent
from reports.selectors import ActivityRow, IndicatorRow

PART, WHOLE = Decimal("29290"), Decimal("40000")  # 29 290 × 100 ÷ 40 000 = 73,225


def test_the_helper_rounds_a_half_up():
    assert round_half_up(Decimal("73.225")) == Decimal("73.23")
    assert round_half_up(Decimal("73.224999")) == Decimal("73.22")
    assert round_half_up(Decimal("0.5"), 0) == Decimal("1")
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")  # half to even would give 2
    assert percentage(PART, WHOLE) == Decimal("73.23")
    assert percentage(1, 8) == Decimal("12.50")
    assert percentage(5, 0) is None and percentage(5, None) is None
    assert percentage(None, 4) == Decimal("0.00")


def test_budget_execution_and_co_financing_rate():
    assert execution_percent(PART, WHOLE) == Decimal("73.23")
    project = Project(cofinancing=PART, own_contribution=WHOLE - PART, total_value=WHOLE)
    assert project.cofinancing_rate == Decimal("73.23")


def test_attendance_and_indicators():
    # 29,29 h present of 40 h held = 73,225 %.
    assert attendance_percent(Decimal("29.29"), Decimal("40")) == Decimal("73.23")
    row = IndicatorRow(Indicator(target_total=WHOLE), PART, None, None)
    assert row.achieved_percent == Decimal("73.23")
    activity = ActivityRow("Trening", "trening", WHOLE, PART, Decimal("0"), 0)
    assert activity.percent == Decimal("73.23")


def test_display_rounds_half_up_instead_of_cutting_digits():
    with translation.override("pl"):
        assert format_percent(Decimal("73.225")) == "73,23\xa0%"
        assert format_percent(Decimal("72.5"), 0) == "73\xa0%"
        assert format_number(Decimal("3.75"), 1) == "3,8"  # hours of three 1,25 h sessions
        assert format_number(Decimal("3.74"), 1) == "3,7"
        html = Template("{% load kis_format %}{{ a|share_of:b|percent }}").render(
            Context({"a": PART, "b": WHOLE})
        )
    assert html == "73,23\xa0%"


@pytest.mark.parametrize("value", [None, "", "abc"])
def test_nothing_to_round_shows_nothing(value):
    assert format_percent(value) == "" and format_number(value, 2) == ""
