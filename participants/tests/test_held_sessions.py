"""`Session.objects.held(as_of=…)`: the one definition of a session that took place."""

from datetime import date, time

import pytest
from django.utils import timezone

from participants.models import Attendance, Session
from participants.tests.factories import ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2017, 3, 15)


@pytest.fixture
def sessions(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    activity = ActivityFactory()
    on = {
        "past": SessionFactory(activity=activity, date=date(2017, 3, 7)),
        "today, not yet": SessionFactory(activity=activity, date=TODAY, start_time=time(16)),
        "today, roll call": SessionFactory(activity=activity, date=TODAY, start_time=time(9)),
        "tomorrow": SessionFactory(activity=activity, date=date(2017, 3, 16)),
        "next week, marked by mistake": SessionFactory(activity=activity, date=date(2017, 3, 22)),
    }
    Attendance.objects.create(
        session=on["today, roll call"], participant=ParticipantFactory(), status="present"
    )
    Session.objects.filter(pk=on["next week, marked by mistake"].pk).update(
        roll_call_at=timezone.now()
    )
    return activity, on


def _names(queryset, on):
    return {name for name, session in on.items() if session in queryset}


def test_held_means_past_or_roll_call_taken_and_never_in_the_future(sessions):
    activity, on = sessions
    assert _names(Session.objects.held(), on) == {"past", "today, roll call"}
    assert _names(activity.sessions.held(), on) == {"past", "today, roll call"}
    # A report's date after today counts no more than today.
    assert _names(Session.objects.held(as_of=date(2017, 12, 31)), on) == {
        "past",
        "today, roll call",
    }


def test_held_by_an_earlier_day(sessions):
    _activity, on = sessions
    assert _names(Session.objects.held(as_of=date(2017, 3, 10)), on) == {"past"}
    assert _names(Session.objects.held(as_of=date(2017, 3, 6)), on) == set()
