"""Bulk work on an activity: completion for several people at once (those ticked, or
everybody at or above the attendance threshold) and all its certificates in one PDF,
numbered in the register; through the services, audited, permission-checked."""

from datetime import date, time, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kis import roles
from kis.tests.factories import UserFactory
from participants.models import ActivityParticipant, Attendance, Certificate, Session
from participants.services.papers import certificate_issue, certificates_issue_all
from participants.services.support import activity_completion_bulk
from participants.tests.support_factories import ActivityFactory, assign
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    """Four people, four sessions of 2 h with roll calls: Nowak 100 %, Lis 75 %,
    Kot 50 %; Wilk 100 % but his processing is restricted."""
    today = timezone.localdate()
    project = ProjectFactory(
        start_date=today - timedelta(days=400), end_date=today + timedelta(days=100)
    )
    activity = ActivityFactory(
        project=project, start_date=today - timedelta(days=60), end_date=today + timedelta(days=30)
    )
    people = {}
    for name in ("Nowak", "Lis", "Kot", "Wilk"):
        a = assign(activity, participant__last_name=name, start_date=today - timedelta(days=90))
        people[name] = a
    presence = {"Nowak": 4, "Lis": 3, "Kot": 2, "Wilk": 4}
    for i in range(4):
        session = Session.objects.create(
            activity=activity, date=today - timedelta(days=40 - 7 * i), start_time=time(10),
            duration_hours=Decimal("2"), roll_call_at=timezone.now(),
        )  # fmt: skip
        for name, a in people.items():
            status = "present" if i < presence[name] else "absent"
            Attendance.objects.create(session=session, participant=a.participant, status=status)
    wilk = people["Wilk"].participant
    wilk.processing_restricted = True
    wilk.save()
    return activity, people


def test_everybody_at_or_above_the_threshold_is_marked(activity, caseworker, settings):
    settings.KIS_ATTENDANCE_THRESHOLD = 75
    act, people = activity
    day = timezone.localdate()
    done = activity_completion_bulk(
        activity=act, completed_on=day, at_threshold=True, user=_with_role(caseworker)
    )
    assert [p.last_name for p in done.marked] == ["Lis", "Nowak"]
    assert [p.last_name for p in done.refused] == ["Wilk"]
    people["Kot"].refresh_from_db()
    people["Lis"].refresh_from_db()
    assert people["Kot"].completed_on is None and people["Lis"].completed_on == day
    # Audited, field by field.
    entry = LogEntry.objects.get_for_object(people["Lis"]).latest("timestamp")
    assert "completed_on" in entry.changes_dict


def test_ticked_people_and_an_earlier_completion_kept(activity, caseworker):
    act, people = activity
    earlier = timezone.localdate() - timedelta(days=5)
    ActivityParticipant.objects.filter(pk=people["Nowak"].pk).update(completed_on=earlier)
    done = activity_completion_bulk(
        activity=act, completed_on=timezone.localdate(), user=_with_role(caseworker),
        assignment_ids=[people["Nowak"].pk, people["Kot"].pk],
    )  # fmt: skip
    assert [p.last_name for p in done.marked] == ["Kot"]
    assert [p.last_name for p in done.already] == ["Nowak"]
    people["Nowak"].refresh_from_db()
    assert people["Nowak"].completed_on == earlier


def test_a_date_outside_the_activity_and_the_wrong_user_are_refused(activity, no_role_user):
    act, people = activity
    with pytest.raises(ValidationError):
        activity_completion_bulk(activity=act, completed_on=date(2000, 1, 1), at_threshold=True)
    with pytest.raises(PermissionDenied):
        activity_completion_bulk(
            activity=act, completed_on=timezone.localdate(), at_threshold=True, user=no_role_user
        )
    assert not ActivityParticipant.objects.filter(completed_on__isnull=False).exists()


def test_another_activitys_people_are_not_touched(activity, caseworker):
    act, people = activity
    other = assign(
        ActivityFactory(project=act.project, start_date=act.start_date, end_date=act.end_date)
    )
    activity_completion_bulk(
        activity=act, completed_on=timezone.localdate(), assignment_ids=[other.pk], user=None
    )
    other.refresh_from_db()
    assert other.completed_on is None


def test_the_grid_records_completion_in_bulk(activity, caseworker_client, caseworker, settings):
    settings.KIS_CASEWORKERS_SEE_ALL = True
    settings.KIS_ATTENDANCE_THRESHOLD = 75
    act, people = activity
    url = reverse("participants:activity_detail", args=[act.pk])
    page = caseworker_client.get(url).content.decode()
    # Lis and Nowak (75 and 100 %); Wilk (restricted) is not offered.
    assert "Zapisz ukończenie dla wszystkich 2 osób z frekwencją co najmniej 75 %" in page
    response = caseworker_client.post(
        reverse("participants:completion_bulk", args=[act.pk]),
        {"completed_on": timezone.localdate().strftime("%d.%m.%Y"), "which": "threshold"},
        follow=True,
    )
    html = response.content.decode()
    assert "Zapisano ukończenie dla 2 osób." in html
    assert "Pominięto" in html and people["Wilk"].participant.full_name in html
    assert ActivityParticipant.objects.filter(completed_on__isnull=False).count() == 2
    # Ticked, with no date: refused with a message, nothing saved.
    caseworker_client.post(
        reverse("participants:completion_bulk", args=[act.pk]),
        {"completed_on": "", "which": "selected", "assignment": [people["Kot"].pk]},
    )
    people["Kot"].refresh_from_db()
    assert people["Kot"].completed_on is None


def test_all_certificates_in_one_pdf_numbered_in_the_register(
    activity, caseworker_client, settings
):
    settings.KIS_CASEWORKERS_SEE_ALL = True
    act, people = activity
    day = timezone.localdate()
    for name in ("Nowak", "Lis", "Wilk"):
        ActivityParticipant.objects.filter(pk=people[name].pk).update(completed_on=day)
    # Lis's was printed before: it keeps its number; Nowak's is the next one.
    people["Lis"].refresh_from_db()
    certificate_issue(assignment=people["Lis"])
    response = caseworker_client.get(reverse("participants:certificates_pdf", args=[act.pk]))
    assert response.status_code == 200
    reader = PdfReader(BytesIO(response.content))
    assert len(reader.pages) == 2  # one page each: Lis, Nowak; not the restricted Wilk
    texts = [page.extract_text().replace("\xa0", " ") for page in reader.pages]
    assert people["Lis"].participant.full_name in texts[0] and f"1/{day.year}" in texts[0]
    assert people["Nowak"].participant.full_name in texts[1] and f"2/{day.year}" in texts[1]
    assert "Wilk" not in " ".join(texts)
    assert Certificate.objects.get(assignment=people["Nowak"]).number == f"2/{day.year}"


def test_certificates_of_an_activity_nobody_completed_are_not_found(
    activity, caseworker_client, settings
):
    settings.KIS_CASEWORKERS_SEE_ALL = True
    act, _people = activity
    assert caseworker_client.get(reverse("participants:certificates_pdf", args=[act.pk])).status_code == 404  # fmt: skip


def _with_role(user):
    assert user.groups.filter(name=roles.CASEWORKER).exists()
    return user


def test_a_user_without_the_right_cannot_print_them(activity):
    act, _people = activity
    with pytest.raises(PermissionDenied):
        certificates_issue_all(activity=act, user=UserFactory())


# --- enrolling several people at once; a drop-out taken out of the future sessions ----


def test_several_people_enrolled_at_once_all_or_nothing(caseworker_client, caseworker, settings):
    from participants.models import Enrolment
    from participants.tests.factories import ParticipantFactory

    settings.KIS_CASEWORKERS_SEE_ALL = True
    today = timezone.localdate()
    project = ProjectFactory(
        start_date=today - timedelta(days=30), end_date=today + timedelta(days=300)
    )
    people = [ParticipantFactory(last_name=f"Grupowa {n}") for n in range(3)]
    page = caseworker_client.get(
        reverse("participants:project_enrol", args=[project.pk]) + "?q=Grupowa"
    ).content.decode()
    assert 'form="enrol-several"' in page and "Zapisz zaznaczonych do projektu" in page
    url = reverse("participants:project_enrol_bulk", args=[project.pk])
    # A start date in the future: refused, nobody enrolled.
    future = (today + timedelta(days=3)).strftime("%d.%m.%Y")
    response = caseworker_client.post(
        url, {"participant": [p.pk for p in people], "start_date": future, "q": "Grupowa"},
        follow=True,
    )  # fmt: skip
    assert "Nikogo nie zapisano" in response.content.decode()
    assert not Enrolment.objects.filter(project=project).exists()
    response = caseworker_client.post(
        url, {"participant": [p.pk for p in people[:2]], "start_date": today.strftime("%d.%m.%Y"),
              "q": "Grupowa"}, follow=True,
    )  # fmt: skip
    assert "Do projektu zapisano 2 osoby" in response.content.decode()
    assert set(Enrolment.objects.filter(project=project).values_list("participant", flat=True)) == {
        people[0].pk, people[1].pk,
    }  # fmt: skip
    # One already enrolled among those ticked: all refused.
    response = caseworker_client.post(
        url, {"participant": [p.pk for p in people], "start_date": today.strftime("%d.%m.%Y")},
        follow=True,
    )  # fmt: skip
    html = response.content.decode()
    assert f"{people[0].full_name}: " in html and "Nikogo nie zapisano" in html
    assert Enrolment.objects.filter(project=project).count() == 2


def test_enrolling_several_is_refused_to_who_may_not(no_role_user):
    from kis.tests.clients import https_client

    client = https_client()
    client.force_login(no_role_user)
    project = ProjectFactory()
    url = reverse("participants:project_enrol_bulk", args=[project.pk])
    assert client.post(url, {"participant": [], "start_date": "01.01.2017"}).status_code == 403


def test_the_drop_out_offers_to_take_the_person_out_of_future_sessions(
    activity, caseworker_client, settings
):
    from participants.models import Enrolment
    from participants.tests.factories import reason

    settings.KIS_CASEWORKERS_SEE_ALL = True
    act, people = activity
    today = timezone.localdate()
    person = people["Kot"].participant
    # A second group of the same project, with only future sessions: never attended.
    later = ActivityFactory(
        project=act.project,
        name="Grupa wiosenna",
        start_date=today,
        end_date=today + timedelta(days=30),
    )
    ActivityParticipant.objects.create(activity=later, participant=person)
    Session.objects.create(activity=later, date=today + timedelta(days=7), start_time=time(10),
                           duration_hours=Decimal("2"))  # fmt: skip
    Session.objects.create(activity=act, date=today + timedelta(days=7), start_time=time(10),
                           duration_hours=Decimal("2"))  # fmt: skip
    enrolment = Enrolment.objects.get(participant=person, project=act.project)
    url = reverse("participants:enrolment_event", args=[person.pk, enrolment.pk, "dropped_out"])
    form = caseworker_client.get(url).content.decode()
    assert "Wypisz osobę z przyszłych spotkań jej grup" in form
    assert "Grupa wiosenna" in form and act.name in form
    response = caseworker_client.post(
        url, {"date": today.strftime("%d.%m.%Y"), "reason": reason("moved_away").pk,
              "version": enrolment.version, "leave_groups": "on"}, follow=True,
    )  # fmt: skip
    html = response.content.decode()
    assert "wypisana z przyszłych spotkań: Grupa wiosenna" in html
    assert "Pozostawiono w: " + act.name in html
    assert not ActivityParticipant.objects.filter(activity=later, participant=person).exists()
    # Kept where marked: the marks are the record; the lists leave her out from now on.
    assert ActivityParticipant.objects.filter(activity=act, participant=person).exists()
    enrolment.refresh_from_db()
    assert enrolment.status == "dropped_out"
