"""The care point's roll call records, for each adult present, how many dependants he or
she left in its care (issue 14, point 9)."""

import importlib
from datetime import date, time
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.models import Attendance, Session
from participants.services.support import roll_call_save
from participants.tests.support_factories import (
    ActivityFactory,
    SessionFactory,
    assign,
    support_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def care_point():
    """A care point with two parents, Alicja and Bogdan, and an earlier session at which
    Alicja left her two children."""
    activity = ActivityFactory(
        name="Plastuś", support_form=support_form("punkt opieki nad osobami zależnymi")
    )
    alicja = assign(activity).participant
    bogdan = assign(activity).participant
    earlier = SessionFactory(activity=activity, date=date(2017, 3, 6), start_time=time(9))
    Attendance.objects.create(session=earlier, participant=alicja, status="present", dependants=2)
    session = SessionFactory(activity=activity, date=date(2017, 3, 13), start_time=time(9))
    return activity, session, alicja, bogdan


def test_the_roll_call_saves_the_dependants_of_those_present(care_point, caseworker):
    _activity, session, alicja, bogdan = care_point
    roll_call_save(
        session=session,
        marks={alicja.pk: "present", bogdan.pk: "absent"},
        seen={},
        recorded_by=caseworker,
        dependants={alicja.pk: 3, bogdan.pk: 2},  # an absent parent left nobody
    )
    saved = dict(
        Attendance.objects.filter(session=session).values_list("participant_id", "dependants")
    )
    assert saved == {alicja.pk: 3, bogdan.pk: 0}
    entry = LogEntry.objects.get(additional_data__participant=alicja.pk)
    assert entry.changes == {"status": ["None", "present"], "dependants": ["None", "3"]}


def test_somebody_present_at_the_care_point_left_somebody(care_point, caseworker):
    _activity, session, alicja, bogdan = care_point
    for dependants in ({}, {alicja.pk: 0}, {alicja.pk: 21}):
        with pytest.raises(ValidationError, match="od 1 do 20"):
            roll_call_save(
                session=session,
                marks={alicja.pk: "present"},
                seen={},
                recorded_by=caseworker,
                dependants=dependants,
            )
    assert not Attendance.objects.filter(session=session).exists()


def test_a_corrected_count_is_saved_with_the_same_mark(care_point, caseworker):
    _activity, session, alicja, _bogdan = care_point
    for count in (1, 2):
        roll_call_save(
            session=session,
            marks={alicja.pk: "present"},
            seen={alicja.pk: "present" if count == 2 else ""},
            recorded_by=caseworker,
            dependants={alicja.pk: count},
        )
    mark = Attendance.objects.get(session=session)
    assert (mark.status, mark.dependants) == ("present", 2)


def test_other_sessions_have_no_dependants(caseworker):
    session = SessionFactory()
    person = assign(session.activity).participant
    with pytest.raises(ValidationError, match="tylko na spotkaniach punktu opieki"):
        roll_call_save(
            session=session,
            marks={person.pk: "present"},
            seen={},
            recorded_by=caseworker,
            dependants={person.pk: 1},
        )
    roll_call_save(session=session, marks={person.pk: "present"}, seen={}, recorded_by=caseworker)
    assert Attendance.objects.get(session=session).dependants == 0


def test_the_page_asks_for_the_dependants_with_last_times_count(
    caseworker_client, care_point, caseworkers_see_all
):
    _activity, session, alicja, bogdan = care_point
    url = reverse("participants:roll_call", args=[session.pk])
    page = caseworker_client.get(url).content.decode()
    assert "Osoby zależne pod opieką" in page
    # Alicja left two children last time; Bogdan has no earlier session: one.
    assert f'name="dependants_{alicja.pk}" id="dependants-{alicja.pk}" value="2"' in page
    assert f'name="dependants_{bogdan.pk}" id="dependants-{bogdan.pk}" value="1"' in page

    response = caseworker_client.post(
        url,
        {
            f"mark_{alicja.pk}": "present",
            f"dependants_{alicja.pk}": "2",
            f"mark_{bogdan.pk}": "present",
            f"dependants_{bogdan.pk}": "",
        },
    )
    # Refused as a whole, shown again as typed, Bogdan's field marked.
    assert response.status_code == 200
    page = response.content.decode()
    assert "od 1 do 20" in page and "is-invalid" in page
    assert f'name="dependants_{alicja.pk}" id="dependants-{alicja.pk}" value="2"' in page
    assert not Attendance.objects.filter(session=session).exists()

    response = caseworker_client.post(
        url,
        {
            f"mark_{alicja.pk}": "present",
            f"dependants_{alicja.pk}": "2",
            f"mark_{bogdan.pk}": "present",
            f"dependants_{bogdan.pk}": "1",
        },
    )
    assert response.status_code == 302
    saved = dict(
        Attendance.objects.filter(session=session).values_list("participant_id", "dependants")
    )
    assert saved == {alicja.pk: 2, bogdan.pk: 1}


def test_an_ordinary_roll_call_has_no_dependants_column(caseworker_client, caseworkers_see_all):
    session = SessionFactory()
    assign(session.activity)
    page = caseworker_client.get(reverse("participants:roll_call", args=[session.pk]))
    assert "Osoby zależne pod opieką" not in page.content.decode()


def test_marks_taken_before_count_one_dependant(care_point):
    """The data migration: a care point's present marks of before recorded no count; one
    is what is known (the adult left somebody), so no report says more than happened."""
    _activity, session, alicja, bogdan = care_point
    Attendance.objects.create(session=session, participant=alicja, status="present")
    Attendance.objects.create(session=session, participant=bogdan, status="absent")
    other = Session.objects.create(
        activity=ActivityFactory(),
        date=date(2017, 3, 13),
        start_time=time(10),
        duration_hours=Decimal("2"),
    )
    Attendance.objects.create(session=other, participant=bogdan, status="present")
    migration = importlib.import_module(
        "participants.migrations.0011_short_contacts_and_dependants"
    )
    migration.care_point_marks_leave_one_dependant(apps, None)
    counts = {
        (a.session_id, a.participant_id): a.dependants
        for a in Attendance.objects.filter(session__in=[session, other])
    }
    assert counts == {
        (session.pk, alicja.pk): 1,
        (session.pk, bogdan.pk): 0,
        (other.pk, bogdan.pk): 0,
    }
