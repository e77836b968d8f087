"""Attendance of past sessions from a grid (participants/attendance_import.py): the
roll call's rules (only people of the activity on the session's list that day, only
past sessions), saved through the roll call's service."""

import io
from datetime import date, time

import pytest
from django.urls import reverse
from openpyxl import Workbook

from kis import roles
from kis.tests.clients import https_client
from kis.tests.factories import UserFactory
from participants.models import ActivityParticipant, Attendance, ImportBatch
from participants.services.people import enrolment_event_record
from participants.tests.factories import ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign


def grid(rows, headers) -> bytes:
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def activity(db):
    activity = ActivityFactory()
    SessionFactory(activity=activity, date=date(2017, 3, 7), start_time=time(16))
    SessionFactory(activity=activity, date=date(2017, 3, 14), start_time=time(16))
    SessionFactory(activity=activity, date=date(2017, 3, 21), start_time=time(10))
    SessionFactory(activity=activity, date=date(2017, 3, 21), start_time=time(16))
    return activity


def test_the_grid_is_checked_like_a_roll_call_and_saved_through_it(activity, manager_client):
    anna = assign(activity, ParticipantFactory(first_name="Anna", last_name="Nowak")).participant
    left = assign(activity, ParticipantFactory(first_name="Ewa", last_name="Kos"))
    enrolment = left.participant.enrolments.get()
    enrolment_event_record(
        enrolment=enrolment, kind="completed", date=date(2017, 3, 10), recorded_by=None
    )
    stranger = ParticipantFactory(first_name="Obca", last_name="Osoba")
    content = grid(
        [
            ["Nowak", "Anna", "", "✓", "nieobecna", "U", "x"],
            ["Kos", "Ewa", "", "obecna", "✓", "", ""],  # left on 10.03: not on the list then
            ["Osoba", "Obca", stranger.pesel, "✓", "", "", ""],
            ["Nowak", "Anna", "", "?", "", "", ""],
        ],
        ["Nazwisko", "Imię", "PESEL", "07.03.2017", "2017-03-14", "21.03.2017 10:00", "21.03.2017"],
    )
    page = manager_client.get(reverse("participants:activity_detail", args=[activity.pk]))
    link = reverse("participants:attendance_import") + f"?activity={activity.pk}"
    assert link in page.content.decode()
    form = manager_client.get(link).content.decode()
    assert f'<option value="{activity.pk}" selected>' in form
    upload = io.BytesIO(content)
    upload.name = "obecnosci.xlsx"
    response = manager_client.post(
        reverse("participants:attendance_import"), {"activity": activity.pk, "file": upload}
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get(kind="attendance")
    assert batch.options["column_errors"] == [
        "Zajęcia mają 2 spotkania dnia 21.03.2017: podaj godzinę w nagłówku (np. 21.03.2017 16:00)."
    ]
    report = {row["row"]: row for row in batch.report}
    assert report[2]["action"] == "update" and report[2]["errors"] == []
    assert report[3]["action"] == "error"
    assert report[3]["errors"] == [
        "14.03.2017: osoba nie uczestniczy w projekcie tego dnia (nie ma jej na liście)."
    ]
    assert report[4]["errors"] == ["Osoba nie jest uczestnikiem tych zajęć."]
    assert report[5]["errors"] == ["Nieznany znak „?” dnia 07.03.2017."]
    assert Attendance.objects.count() == 0  # checked, nothing saved yet
    page = manager_client.get(reverse("participants:import_report", args=[batch.pk]))
    assert "Zapisz 1 wiersz" in page.content.decode()
    manager_client.post(reverse("participants:import_apply", args=[batch.pk]))
    marks = dict(Attendance.objects.filter(participant=anna).values_list("session__date", "status"))
    assert marks == {
        date(2017, 3, 7): "present",
        date(2017, 3, 14): "absent",
        date(2017, 3, 21): "excused",
    }
    assert not Attendance.objects.exclude(participant=anna).exists()
    session = activity.sessions.get(date=date(2017, 3, 7))
    assert session.roll_call_at is not None  # the roll call's own service recorded it
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED and batch.rows == []


def test_only_activities_the_user_may_open(activity):
    caseworker = UserFactory(username="ewa", role=roles.CASEWORKER)
    client = https_client()
    client.force_login(caseworker)
    upload = io.BytesIO(grid([], ["Nazwisko", "Imię", "07.03.2017"]))
    upload.name = "g.xlsx"
    response = client.post(
        reverse("participants:attendance_import"), {"activity": activity.pk, "file": upload}
    )
    assert response.status_code == 400  # not a choice for this caseworker
    assert not ImportBatch.objects.exists()
    assert ActivityParticipant.objects.count() == 0
