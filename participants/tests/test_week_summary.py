"""The manager's week on the dashboard: a large centre has hundreds of sessions a week,
so the dashboard lists the first few (those waiting for the roll call first), counts
them day by day and links to the paginated list of all of them."""

from datetime import time, timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.selectors.support import WEEK_SHOWN, week_sessions
from participants.tests.support_factories import ActivityFactory, SessionFactory
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

MINUTES = count()  # different hours for the sessions of one activity and day


def _monday():
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def _activity():
    """An activity running this week."""
    monday = _monday()
    project = ProjectFactory(
        start_date=monday - timedelta(days=60), end_date=monday + timedelta(days=60)
    )
    return ActivityFactory(
        project=project,
        name="Warsztaty",
        start_date=monday - timedelta(days=30),
        end_date=monday + timedelta(days=30),
    )


def _sessions(count_per_day: dict[int, int], taken_on: set[int] = frozenset(), activity=None):
    """Sessions of this week: per weekday (0 = Monday) how many; the roll call taken on
    the days of `taken_on`."""
    monday = _monday()
    activity = activity or _activity()
    sessions = []
    for weekday, n in count_per_day.items():
        for _ in range(n):
            minute = next(MINUTES)
            session = SessionFactory(
                activity=activity,
                date=monday + timedelta(days=weekday),
                start_time=time(8 + minute // 60 % 12, minute % 60),
            )
            if weekday in taken_on:
                session.roll_call_at = timezone.now()
                session.save()
            sessions.append(session)
    return sessions


def test_the_week_is_counted_per_day_and_listed_in_part(manager):
    _sessions({0: 10, 2: 7, 6: 3}, taken_on={0})
    week = week_sessions(manager, today=_monday() + timedelta(days=3))  # Thursday
    assert week.total == 20 and week.more and not week.only_own
    assert [(d.day.weekday(), d.sessions, d.waiting) for d in week.days] == [
        (0, 10, 0),  # roll call taken
        (2, 7, 7),  # held on Wednesday, none taken
        (6, 3, 0),  # Sunday: not held yet
    ]
    assert len(week.sessions) == WEEK_SHOWN
    # Those waiting for the roll call first.
    assert [s.date.weekday() for s in week.sessions[:7]] == [2] * 7


def test_the_dashboard_summarises_a_large_week_in_bounded_queries(
    manager_client, django_assert_max_num_queries
):
    activity = _activity()
    _sessions({0: 1, 1: 12}, activity=activity)  # one more than the dashboard lists
    with django_assert_max_num_queries(60) as few:
        manager_client.get(reverse("dashboard"))
    _sessions({0: 39, 1: 21, 4: 30}, activity=activity)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = manager_client.get(reverse("dashboard")).content.decode()
    week = html.split('id="h-week"')[1].split("</section>")[0]
    assert week.count("list-group-item") == WEEK_SHOWN
    assert "Pokaż wszystkie 103 spotkania tygodnia" in week
    assert 'class="table table-sm w-auto week-days"' in week
    assert f"?day={_monday().isoformat()}" in week


def test_a_small_week_is_listed_whole_without_the_summary(manager_client):
    _sessions({1: 3})
    html = manager_client.get(reverse("dashboard")).content.decode()
    week = html.split('id="h-week"')[1].split("</section>")[0]
    assert week.count("list-group-item") == 3
    assert "week-days" not in week and "Pokaż wszystkie" not in week


def test_the_list_of_the_week_is_paginated_and_filtered_by_day(manager_client):
    sessions = _sessions({0: 30, 3: 30})
    url = reverse("participants:week_sessions")
    first = manager_client.get(url).content.decode()
    assert first.count("list-group-item ") + first.count('list-group-item"') == 50
    assert "60 spotkań" in first and "Strona 1 z 2" in first
    second = manager_client.get(url, {"page": 2}).content.decode()
    assert "Strona 2 z 2" in second
    thursday = manager_client.get(url, {"day": (_monday() + timedelta(days=3)).isoformat()})
    html = thursday.content.decode()
    assert "30 spotkań" in html
    assert reverse("participants:roll_call", args=[sessions[-1].pk]) in html
    assert reverse("participants:roll_call", args=[sessions[0].pk]) not in html
    # A day that is not a date is the whole week.
    assert "60 spotkań" in manager_client.get(url, {"day": "wtorek"}).content.decode()


def test_the_list_of_the_week_is_refused_without_the_permission(client, no_role_user):
    client.force_login(no_role_user)
    assert client.get(reverse("participants:week_sessions")).status_code == 403
