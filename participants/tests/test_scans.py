"""Signed attendance lists closed in the loop: a scan uploaded to a session through its
service (type and size checked by content, audited), served only to who may open the
session and never cached, the activity's missing lists, the auditor's check, and what
anonymisation does with a scan."""

from datetime import date, time

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kis import roles
from kis.models import AccessLog
from kis.tests.clients import https_client
from kis.tests.factories import UserFactory
from participants.models import Attendance, AttendanceScan
from participants.selectors.papers import ScanStatus, signed_list_check
from participants.services import papers
from participants.services.anonymise import participant_anonymise
from participants.services.papers import attendance_scan_save
from participants.services.support import roll_call_save
from participants.tests.support_factories import (
    PDF_BYTES,
    ActivityFactory,
    SessionFactory,
    assign,
    png_bytes,
    scan_upload,
)
from projects.tests.factories import ProjectStaffFactory, StaffMemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def session(caseworker):
    """A held session of an activity the caseworker works in, with its roll call."""
    activity = ActivityFactory(name="Warsztaty kulinarne")
    ProjectStaffFactory(project=activity.project, staff_member=StaffMemberFactory(user=caseworker))
    people = [assign(activity).participant for _ in range(3)]
    session = SessionFactory(activity=activity, date=date(2017, 3, 7), start_time=time(10))
    roll_call_save(
        session=session,
        marks={people[0].pk: "present", people[1].pk: "present", people[2].pk: "absent"},
        seen={},
        recorded_by=caseworker,
    )
    return session


def _upload_url(session) -> str:
    return reverse("participants:session_scan_upload", args=[session.pk])


def _file_url(session) -> str:
    return reverse("participants:session_scan", args=[session.pk])


def _post(client, session, upload, confirm=True):
    data = {"file": upload}
    if confirm:
        data["matches_attendance"] = "on"
    return client.post(_upload_url(session), data)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("lista.pdf", PDF_BYTES, "application/pdf"),
        ("lista.png", None, "image/png"),
        ("LISTA.JPG", None, "image/jpeg"),
    ],
)
def test_a_signed_list_is_uploaded_stored_and_audited(
    caseworker_client, caseworker, session, media_root, name, content, kind
):
    if content is None:
        from io import BytesIO

        from PIL import Image

        buffer = BytesIO()
        Image.new("RGB", (60, 40), "white").save(buffer, "PNG" if kind == "image/png" else "JPEG")
        content = buffer.getvalue()
    response = _post(caseworker_client, session, scan_upload(name, content, kind))

    assert response.status_code == 302
    assert response.url.endswith(f"/activities/{session.activity_id}/#h-sessions")
    scan = AttendanceScan.objects.get(session=session)
    assert (scan.content_type, scan.size, scan.uploaded_by) == (kind, len(content), caseworker)
    assert scan.matches_attendance
    # Under MEDIA_ROOT, under a name that says nothing about the people on the list.
    path = media_root / scan.file.name
    assert path.read_bytes() == content
    assert scan.file.name.startswith("attendance-scans/") and "lista" not in scan.file.name.lower()
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(AttendanceScan))
    assert entry.actor == caseworker and entry.action == LogEntry.Action.CREATE


GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("lista.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("lista.jpg", b"\xff\xd8\xff\xe0 this is not a picture", "image/jpeg"),
        ("lista.pdf", PDF_BYTES[:40], "application/pdf"),  # cut off: no %%EOF
        ("lista.gif", GIF, "image/gif"),
        ("lista.docx", b"PK\x03\x04 a word document", "application/pdf"),
        ("lista.pdf", b"", "application/pdf"),
    ],
)
def test_a_file_that_is_not_a_pdf_jpeg_or_png_is_refused(
    caseworker_client, session, name, content, kind
):
    response = _post(caseworker_client, session, scan_upload(name, content, kind))

    assert response.status_code == 400
    assert "alert alert-danger" in response.content.decode()
    assert not AttendanceScan.objects.exists()


def test_a_file_too_large_is_refused(caseworker_client, session, monkeypatch):
    monkeypatch.setattr(papers, "SCAN_MAX_BYTES", 50)
    response = _post(caseworker_client, session, scan_upload())
    assert response.status_code == 400
    assert "za duży" in response.content.decode()
    assert not AttendanceScan.objects.exists()


def test_the_match_must_be_confirmed(caseworker_client, session):
    response = _post(caseworker_client, session, scan_upload(), confirm=False)
    assert response.status_code == 400
    assert "potwierdź, że są zgodne" in response.content.decode()
    assert not AttendanceScan.objects.exists()


def test_a_session_to_come_has_no_signed_list(session):
    session.date = timezone.localdate().replace(year=timezone.localdate().year + 1)
    with pytest.raises(ValidationError):
        attendance_scan_save(session=session, file=scan_upload(), matches_attendance=True)


def test_the_service_checks_the_permission(session, no_role_user):
    with pytest.raises(PermissionDenied):
        attendance_scan_save(
            session=session, file=scan_upload(), matches_attendance=True, user=no_role_user
        )


def test_the_upload_is_refused_for_the_wrong_user(client, no_role_user, session):
    anonymous = client.post(_upload_url(session), {"file": scan_upload()})
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")
    client.force_login(no_role_user)
    assert client.post(_upload_url(session), {"file": scan_upload()}).status_code == 403
    # A caseworker who does not work in the activity does not find the session.
    elsewhere = https_client()
    elsewhere.force_login(UserFactory(role=roles.CASEWORKER))
    data = {"file": scan_upload(), "matches_attendance": "on"}
    assert elsewhere.post(_upload_url(session), data).status_code == 404
    assert elsewhere.get(_upload_url(session)).status_code == 404
    assert not AttendanceScan.objects.exists()


def test_the_scan_is_served_only_to_who_may_open_the_session_and_never_cached(
    client, caseworker_client, no_role_user, session
):
    attendance_scan_save(session=session, file=scan_upload(), matches_attendance=True)

    response = caseworker_client.get(_file_url(session))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename=")
    # Reading it is reading the data of everybody marked at the session.
    assert AccessLog.objects.filter(what=f"signed list, session {session.pk}").count() == 3

    assert client.get(_file_url(session)).status_code == 302
    client.force_login(no_role_user)
    assert client.get(_file_url(session)).status_code == 403
    elsewhere = https_client()
    elsewhere.force_login(UserFactory(role=roles.CASEWORKER))
    assert elsewhere.get(_file_url(session)).status_code == 404


def test_a_new_scan_replaces_the_old_one_and_its_file(
    session, media_root, django_capture_on_commit_callbacks
):
    first = attendance_scan_save(session=session, file=scan_upload(), matches_attendance=True)
    old = media_root / first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = attendance_scan_save(
            session=session,
            file=scan_upload("skan.png", png_bytes(), "image/png"),
            matches_attendance=True,
        )
    assert second.pk == first.pk and second.content_type == "image/png"
    assert not old.exists() and (media_root / second.file.name).exists()


def test_the_activity_shows_which_held_sessions_lack_a_signed_list(caseworker_client, session):
    later = SessionFactory(activity=session.activity, date=date(2017, 3, 14))
    url = reverse("participants:activity_detail", args=[session.activity_id])
    html = caseworker_client.get(url).content.decode()
    assert "2 odbyte spotkania nie mają podpisanej listy obecności" in html
    assert html.count(">brak</span>") == 2

    attendance_scan_save(session=session, file=scan_upload(), matches_attendance=True)
    html = caseworker_client.get(url).content.decode()
    assert "1 odbyte spotkanie nie ma podpisanej listy obecności" in html
    assert _file_url(session) in html and _upload_url(later) in html


def test_the_auditors_check(caseworker_client, caseworker, session):
    activity = session.activity
    missing = SessionFactory(activity=activity, date=date(2017, 3, 14))
    unmarked = SessionFactory(activity=activity, date=date(2017, 3, 21))
    changed = SessionFactory(activity=activity, date=date(2017, 3, 28))
    planned = SessionFactory(activity=activity, date=timezone.localdate().replace(year=2100))
    people = [a.participant for a in activity.assignments.all()]
    roll_call_save(
        session=changed, marks={p.pk: "present" for p in people}, seen={}, recorded_by=caseworker
    )
    for scanned in (session, unmarked, changed):
        attendance_scan_save(session=scanned, file=scan_upload(), matches_attendance=True)
    # The marks of one session change after its signed list was uploaded.
    Attendance.objects.filter(session=changed, participant=people[0]).update(
        status="absent", updated_at=timezone.now() + timezone.timedelta(minutes=1)
    )

    check = signed_list_check(activity.sessions.all())
    statuses = {row.session: row.status for row in check.rows}
    assert statuses == {
        session: ScanStatus.OK,
        missing: ScanStatus.MISSING,
        unmarked: ScanStatus.NO_ROLL_CALL,
        changed: ScanStatus.CHANGED,
    }
    assert planned not in statuses  # not held
    assert (check.held, check.matching, check.missing) == (4, 1, 1)
    ok = next(row for row in check.rows if row.session == session)
    assert (ok.present, ok.marked) == (2, 3)

    html = caseworker_client.get(
        reverse("participants:activity_scans", args=[activity.pk])
    ).content.decode()
    assert "1 z 4 odbytych spotkań ma podpisaną listę zgodną z wprowadzoną obecnością." in html
    for label in (
        "zgodna",
        "brak podpisanej listy",
        "nie wprowadzono obecności",
        "obecność zmieniona po wgraniu",
    ):
        assert label in html, label
    project = caseworker_client.get(
        reverse("participants:project_scans", args=[activity.project_id])
    ).content.decode()
    assert "Warsztaty kulinarne" in project and "1 z 4 odbytych spotkań" in project


def test_the_check_pages_refuse_the_wrong_user(client, no_role_user, session):
    urls = [
        reverse("participants:activity_scans", args=[session.activity_id]),
        reverse("participants:project_scans", args=[session.activity.project_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302, url
    client.force_login(no_role_user)
    for url in urls:
        assert client.get(url).status_code == 403, url
    elsewhere = https_client()
    elsewhere.force_login(UserFactory(role=roles.CASEWORKER))
    for url in urls:
        assert elsewhere.get(url).status_code == 404, url


def test_anonymising_a_person_on_the_list_deletes_the_scans_file(
    session, media_root, django_capture_on_commit_callbacks
):
    scan = attendance_scan_save(session=session, file=scan_upload(), matches_attendance=True)
    path = media_root / scan.file.name
    person = Attendance.objects.filter(session=session).first().participant
    with django_capture_on_commit_callbacks(execute=True):
        participant_anonymise(person)
    scan.refresh_from_db()
    assert not scan.file and not path.exists()
    # The record stays (when, by whom), and the check says what became of it.
    [row] = signed_list_check(session.activity.sessions.all()).rows
    assert row.status == ScanStatus.REMOVED
    # The person's records are frozen: no new scan of that session.
    with pytest.raises(ValidationError):
        attendance_scan_save(session=session, file=scan_upload(), matches_attendance=True)


def test_the_scan_is_in_the_subject_access_export(manager_client, session):
    attendance_scan_save(session=session, file=scan_upload(), matches_attendance=True)
    person = Attendance.objects.filter(session=session).first().participant
    data = manager_client.get(reverse("participants:export_json", args=[person.pk])).json()
    [row] = data["signed_lists"]
    assert row["file"] is True and row["date"] == "2017-03-07"
    assert row["activity"] == "Warsztaty kulinarne"
