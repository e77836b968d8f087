"""Who is on a session's list, and attendance % (issue: figures a centre can sign).

A person assigned to an activity is on the list of its session of day D when his or her
enrolment in the project runs at some moment of D. Built by hand: the activity's
project runs 01.06.2016 – 31.05.2019; every session lasts 3 hours.

- Anna (woman) enrolled 01.09.2016, dropped out 27.11.2017;
- Bartosz (man) enrolled 29.11.2017;
- Celina (woman) enrolled 01.09.2016, left for a job 10.11.2017, came back 20.11.2017;
- Dawid (man) enrolled 01.09.2016, throughout.
"""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants.models import (
    ActivityParticipant,
    Attendance,
    DropoutReason,
    EnrolmentEvent,
    Sex,
)
from participants.selectors.support import OFF_LIST, activity_grid, session_roster
from participants.services.support import roll_call_save
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory
from participants.tests.test_printing import pdf_text
from projects.tests.factories import ProjectFactory

THREE = Decimal("3")
# About who is on a list, not who sees whom (participants/tests/test_access.py).
pytestmark = pytest.mark.usefixtures("caseworkers_see_all")


def _person(activity, first_name, sex, start, *events):
    person = ParticipantFactory(first_name=first_name, last_name="Testowa", sex=sex)
    enrolment = EnrolmentFactory(project=activity.project, participant=person, start_date=start)
    for kind, day in events:
        reason = DropoutReason.objects.first() if kind == "dropped_out" else None
        EnrolmentEvent.objects.create(enrolment=enrolment, kind=kind, date=day, reason=reason)
    ActivityParticipant.objects.create(activity=activity, participant=person)
    return person


@pytest.fixture
def club(db):
    activity = ActivityFactory(start_date=date(2017, 10, 1), end_date=date(2017, 12, 31))
    people = {
        "anna": _person(
            activity, "Anna", Sex.FEMALE, date(2016, 9, 1), ("dropped_out", date(2017, 11, 27))
        ),
        "bartosz": _person(activity, "Bartosz", Sex.MALE, date(2017, 11, 29)),
        "celina": _person(
            activity,
            "Celina",
            Sex.FEMALE,
            date(2016, 9, 1),
            ("left_for_job", date(2017, 11, 10)),
            ("returned", date(2017, 11, 20)),
        ),
        "dawid": _person(activity, "Dawid", Sex.MALE, date(2016, 9, 1)),
    }
    return activity, people


def _session(activity, day, hour=10):
    return SessionFactory(
        activity=activity, date=day, start_time=time(hour, 0), duration_hours=THREE
    )


def _names(entries, *, on_list=True):
    return sorted(e.participant.first_name for e in entries if e.on_list == on_list)


def test_list_of_a_session_follows_the_enrolment(club):
    activity, _people = club
    assert _names(session_roster(_session(activity, date(2017, 10, 13)))) == [
        "Anna",
        "Celina",
        "Dawid",
    ]
    # The day of a change counts: Anna drops out on 27.11 and is on that day's list.
    assert _names(session_roster(_session(activity, date(2017, 11, 27)))) == [
        "Anna",
        "Celina",
        "Dawid",
    ]
    assert _names(session_roster(_session(activity, date(2017, 11, 15)))) == ["Anna", "Dawid"]
    assert _names(session_roster(_session(activity, date(2017, 11, 20)))) == [
        "Anna",
        "Celina",
        "Dawid",
    ]
    december = {
        e.participant.first_name: e for e in session_roster(_session(activity, date(2017, 12, 1)))
    }
    assert sorted(n for n, e in december.items() if e.on_list) == ["Bartosz", "Celina", "Dawid"]
    # The reason, in the person's grammatical gender.
    assert december["Anna"].reason == "przerwała udział 27.11.2017"
    october = {
        e.participant.first_name: e for e in session_roster(_session(activity, date(2017, 10, 20)))
    }
    assert october["Bartosz"].reason == "w projekcie od 29.11.2017"


def test_roll_call_page_marks_only_the_list(club, caseworker_client):
    activity, people = club
    session = _session(activity, date(2017, 10, 13))
    html = caseworker_client.get(
        reverse("participants:roll_call", args=[session.pk])
    ).content.decode()
    assert f'name="mark_{people["anna"].pk}"' in html
    assert f'name="mark_{people["dawid"].pk}"' in html
    # Bartosz, enrolled on 29.11, is shown greyed with the reason and cannot be marked.
    assert f'name="mark_{people["bartosz"].pk}"' not in html
    assert "poza listą tego spotkania: w projekcie od 29.11.2017" in html


def test_everybody_present_records_only_the_list(club, caseworker_client):
    activity, people = club
    session = _session(activity, date(2017, 12, 1))
    url = reverse("participants:roll_call", args=[session.pk])
    html = caseworker_client.get(url).content.decode()
    # Post back what the page offers, as the browser would.
    data = {"all_present": "1"}
    for person in people.values():
        if f'name="mark_{person.pk}"' in html:
            data[f"mark_{person.pk}"] = "present"
            data[f"seen_{person.pk}"] = ""
    caseworker_client.post(url, data)
    marked = set(
        Attendance.objects.filter(session=session).values_list("participant__first_name", flat=True)
    )
    assert marked == {"Bartosz", "Celina", "Dawid"}


def test_service_refuses_a_mark_off_the_list(club, caseworker):
    activity, people = club
    session = _session(activity, date(2017, 10, 13))
    with pytest.raises(ValidationError) as error:
        roll_call_save(
            session=session,
            marks={people["dawid"].pk: "present", people["bartosz"].pk: "present"},
            seen={},
            recorded_by=caseworker,
        )
    assert "Bartosz Testowa" in error.value.messages[0]
    assert not Attendance.objects.filter(session=session).exists()  # nothing half-saved
    assert session.__class__.objects.get(pk=session.pk).roll_call_at is None


def test_attendance_lists_print_only_the_list(club, caseworker_client):
    activity, _people = club
    session = _session(activity, date(2017, 11, 26))
    text = pdf_text(
        caseworker_client.get(reverse("participants:session_attendance_pdf", args=[session.pk]))
    )
    assert "Anna" in text and "Celina" in text and "Dawid" in text
    assert "Bartosz" not in text  # enrolled on 29.11
    _session(activity, date(2017, 10, 13))
    month = pdf_text(
        caseworker_client.get(
            reverse("participants:activity_month_pdf", args=[activity.pk, 2017, 10])
        )
    )
    assert "Bartosz" not in month
    assert "Anna" in month and "Celina" in month


def test_attendance_percent_counts_recorded_sessions_on_the_list(club, caseworker):
    """Dawid: 7 sessions with a roll call, present at 6 → 18 h of 21 h = 85,71 %; three
    more past sessions nobody took the roll call of are not absences (today's code:
    18 of 30 h = 60 %, flagged below 80 %). Bartosz: on the list of the 2 December
    sessions only, present at 1 → 50 %; the earlier sessions are not his absences."""
    activity, people = club
    days = [date(2017, 10, d) for d in (2, 4, 6, 9, 11)] + [date(2017, 12, 4), date(2017, 12, 6)]
    for number, day in enumerate(days):
        session = _session(activity, day)
        on_list = {e.participant.pk for e in session_roster(session) if e.on_list}
        marks = dict.fromkeys(on_list, "present")
        if number == 0:
            marks[people["dawid"].pk] = "absent"
        if day == date(2017, 12, 6):
            marks[people["bartosz"].pk] = "excused"
        roll_call_save(session=session, marks=marks, seen={}, recorded_by=caseworker)
    for day in (date(2017, 10, 16), date(2017, 10, 18), date(2017, 10, 20)):
        _session(activity, day)  # held, no roll call
    grid = activity_grid(activity, today=date(2017, 12, 31))
    rows = {row.participant.first_name: row for row in grid.rows}
    assert rows["Dawid"].hours == Decimal("18")
    assert rows["Dawid"].recorded_hours == Decimal("21")
    assert rows["Dawid"].percent == Decimal("85.71")
    assert not rows["Dawid"].below_threshold
    assert rows["Bartosz"].percent == Decimal("50.00")
    assert rows["Bartosz"].below_threshold
    assert rows["Bartosz"].cells[0] == OFF_LIST
    assert grid.recorded_sessions == 7
    assert grid.held_sessions == 10


def test_overdue_roll_calls_stay_on_the_dashboard(caseworker_client, caseworker):
    today = timezone.localdate()
    project = ProjectFactory(
        start_date=today - timedelta(days=200), end_date=today + timedelta(days=60)
    )
    activity = ActivityFactory(
        project=project, start_date=today - timedelta(days=100), end_date=today + timedelta(days=30)
    )
    old = _session(activity, today - timedelta(days=40))
    url = reverse("participants:roll_call", args=[old.pk])
    html = caseworker_client.get(reverse("dashboard")).content.decode()
    assert url in html.split('class="card h-100 todo-roll-calls"')[1]
    roll_call_save(session=old, marks={}, seen={}, recorded_by=caseworker)
    assert "todo-roll-calls" not in caseworker_client.get(reverse("dashboard")).content.decode()
