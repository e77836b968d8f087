"""Issue 17, point 8: series of sessions skip Polish public holidays and repeat every
week, every two weeks or once a month."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from kis.lib.dates import public_holidays
from participants.models import Session
from participants.services.support import Repeat, series_dates, session_series_create
from participants.tests.support_factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_polish_public_holidays_by_name():
    with translation.override("pl"):
        days = public_holidays(date(2026, 11, 1), date(2026, 12, 31))
    assert days == {
        date(2026, 11, 1): "Uroczystość Wszystkich Świętych",
        date(2026, 11, 11): "Narodowe Święto Niepodległości",
        date(2026, 12, 24): "Wigilia Bożego Narodzenia",
        date(2026, 12, 25): "Boże Narodzenie (pierwszy dzień)",
        date(2026, 12, 26): "Boże Narodzenie (drugi dzień)",
    }


def test_fortnightly_and_monthly_dates():
    # Every two weeks on Wednesdays from Wednesday 07.01.2026.
    assert series_dates(
        first_date=date(2026, 1, 7), weekdays=[2], repetitions=3, repeat=Repeat.FORTNIGHTLY
    ) == [date(2026, 1, 7), date(2026, 1, 21), date(2026, 2, 4)]
    # Once a month on the first Friday (02.01.2026 is the first Friday of January).
    assert series_dates(
        first_date=date(2026, 1, 1), weekdays=[4], repetitions=4, repeat=Repeat.MONTHLY
    ) == [date(2026, 1, 2), date(2026, 2, 6), date(2026, 3, 6), date(2026, 4, 3)]
    # The third Tuesday stays the third; a fifth Thursday becomes the fourth.
    assert series_dates(
        first_date=date(2026, 1, 20), weekdays=[1], repetitions=2, repeat=Repeat.MONTHLY
    ) == [date(2026, 1, 20), date(2026, 2, 17)]
    assert series_dates(
        first_date=date(2026, 1, 29), weekdays=[3], repetitions=2, repeat=Repeat.MONTHLY
    ) == [date(2026, 1, 22), date(2026, 2, 26)]


def _series(activity, **fields):
    values = {
        "activity": activity,
        "first_date": date(2026, 11, 2),
        "weekdays": [2],  # Wednesdays
        "start_time": time(10, 0),
        "duration_hours": Decimal("2"),
        "weeks": 8,
        **fields,
    }
    return session_series_create(**values)


def test_a_weekly_series_skips_public_holidays_and_lists_them():
    activity = ActivityFactory(start_date=date(2026, 9, 1), end_date=date(2027, 6, 30))
    with translation.override("pl"):
        series = _series(activity)
    dates = sorted(activity.sessions.values_list("date", flat=True))
    # Wednesdays 04.11 – 23.12.2026: 11.11 (Independence Day) is left out.
    assert date(2026, 11, 11) not in dates and len(dates) == 7 == len(series.sessions)
    assert series.skipped == {date(2026, 11, 11): "Narodowe Święto Niepodległości"}
    # Over Christmas: Thursday 24.12 and Friday 25.12 go, Tuesday 22.12 stays.
    series = _series(activity, first_date=date(2026, 12, 21), weekdays=[1, 3, 4], weeks=1)
    assert set(series.skipped) == {date(2026, 12, 24), date(2026, 12, 25)}
    assert [s.date for s in series.sessions] == [date(2026, 12, 22)]


def test_a_monthly_series_for_leisure():
    activity = ActivityFactory(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    series = _series(
        activity, first_date=date(2026, 1, 1), weekdays=[4], weeks=12, repeat=Repeat.MONTHLY
    )
    # First Fridays of 2026: 01.05 is a Friday and a holiday (Labour Day).
    assert date(2026, 5, 1) in series.skipped
    assert len(series.sessions) == 11
    assert all(s.date.weekday() == 4 and s.date.day <= 7 for s in series.sessions)


def test_the_series_form_says_which_holidays_it_skipped(caseworker_client, caseworkers_see_all):
    activity = ActivityFactory(start_date=date(2026, 9, 1), end_date=date(2027, 6, 30))
    url = reverse("participants:session_series", args=[activity.pk])
    page = caseworker_client.get(url).content.decode()
    assert "co dwa tygodnie" in page and "raz w miesiącu" in page
    response = caseworker_client.post(
        url,
        {
            "first_date": "02.11.2026",
            "weekdays": ["2"],
            "start_time": "10:00",
            "duration_hours": "1,5",
            "repeat": "fortnightly",
            "weeks": "4",
        },
        follow=True,
    )
    html = response.content.decode()
    # 04.11, 18.11, 02.12, 16.12 (every other Wednesday): no holiday among them.
    assert sorted(Session.objects.values_list("date", flat=True)) == [
        date(2026, 11, 4),
        date(2026, 11, 18),
        date(2026, 12, 2),
        date(2026, 12, 16),
    ]
    assert "Dodano 4 spotkania" in html and "Pominięto" not in html
    response = caseworker_client.post(
        url,
        {
            "first_date": "09.11.2026",
            "weekdays": ["2"],
            "start_time": "12:00",
            "duration_hours": "1,5",
            "repeat": "weekly",
            "weeks": "2",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Dodano 1 spotkanie" in html
    assert "Pominięto dni ustawowo wolne od pracy: 11.11.2026 (Narodowe Święto" in html
