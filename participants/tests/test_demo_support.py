"""The demo's support data: every screen of the support area has something to show,
and running the demo again adds nothing."""

from datetime import date, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from kis.demo import demo_users_create
from kis.lib.dates import public_holidays
from participants.demo import demo_participants_create
from participants.demo_support import demo_support_create
from participants.models import (
    Activity,
    ActivityParticipant,
    Attendance,
    CommunityEvent,
    Employment,
    EnrolmentEvent,
    Participant,
    Placement,
    Session,
    ShortContact,
    SocialContract,
    SupportForm,
)
from participants.selectors.support import activity_grid
from projects.demo import demo_projects_create

# The demo uploads the logo strips of its EU programmes: into a temporary MEDIA_ROOT.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

# The demo is written for the autumn of 2026 (the running workshop has sessions from
# September to December 2026): the test runs on its "today", whatever the real date.
DEMO_TODAY = date(2026, 11, 20)


@pytest.fixture
def demo_today(monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return DEMO_TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return DEMO_TODAY


def _counts() -> dict:
    return {
        "activities": Activity.objects.count(),
        "assignments": ActivityParticipant.objects.count(),
        "completed": ActivityParticipant.objects.filter(completed_on__isnull=False).count(),
        "sessions": Session.objects.count(),
        "roll calls": Session.objects.filter(roll_call_at__isnull=False).count(),
        "attendance": Attendance.objects.count(),
        "contracts": SocialContract.objects.count(),
        "placements": Placement.objects.count(),
        "jobs": Employment.objects.count(),
        "enrolment events": EnrolmentEvent.objects.count(),
        "events": CommunityEvent.objects.count(),
        "event people": CommunityEvent.participants.through.objects.count(),
        "people": Participant.objects.count(),
        "short contacts": ShortContact.objects.count(),
    }


@pytest.fixture
def projects(demo_today):
    demo_users_create()
    projects = demo_projects_create()
    demo_participants_create(projects)
    demo_support_create(projects)
    return projects


def test_demo_support_fills_every_area(projects, demo_today):
    club = projects[2]

    # Activities in all three projects, each within its project, with people.
    for project in projects:
        activities = Activity.objects.filter(project=project)
        assert activities.exists(), project
        for activity in activities:
            activity.full_clean()
            assert activity.content
            assert 8 <= activity.assignments.count() <= 16, activity

    # Past sessions have their roll call; nothing is marked for a future session.
    assert Attendance.objects.filter(session__date__lte=demo_today).count() > 1000
    assert not Attendance.objects.filter(session__date__gt=demo_today).exists()
    assert not Session.objects.filter(date__gt=demo_today, roll_call_at__isnull=False).exists()
    statuses = set(Attendance.objects.values_list("status", flat=True))
    assert statuses == {"present", "absent", "excused"}
    # No session (nor roll call) on a public holiday: 11 November, Easter Monday…
    holidays = public_holidays(date(2024, 1, 1), date(2027, 12, 31))
    assert date(2026, 11, 11) in holidays
    assert not Session.objects.filter(date__in=list(holidays)).exists()

    # The grid marks someone below the threshold; certificates can be printed.
    below = [
        row
        for activity in Activity.objects.all()
        for row in activity_grid(activity, today=demo_today).rows
        if row.below_threshold
    ]
    assert below
    completed = ActivityParticipant.objects.filter(completed_on__isnull=False)
    assert completed.exists()
    assert not completed.filter(completed_on__gt=demo_today).exists()

    # The caseworker's week: sessions still waiting for a roll call, or still to come.
    monday = demo_today - timedelta(days=demo_today.weekday())
    this_week = Session.objects.filter(date__range=(monday, monday + timedelta(days=6)))
    assert this_week.filter(
        Q(roll_call_at__isnull=True, date__lte=demo_today) | Q(date__gt=demo_today)
    ).exists()
    assert this_week.filter(activity__staff__user__username="pracownik").exists()

    # Social contracts, socially useful work and internships.
    contracts = SocialContract.objects.all()
    assert contracts.filter(signed_on__year=2025).count() >= 30
    assert contracts.filter(signed_on__year=2026).count() >= 10
    assert not contracts.exclude(participant__enrolments__project=club).exists()
    assert contracts.filter(status="terminated").exclude(termination_reason="").exists()
    for contract in contracts:
        contract.full_clean()
    psu = Placement.objects.filter(kind=Placement.Kind.SOCIALLY_USEFUL_WORK)
    internships = Placement.objects.filter(kind=Placement.Kind.INTERNSHIP)
    assert psu.filter(start_date__year=2025).count() >= 10
    assert psu.filter(start_date__year=2026).count() >= 6
    assert internships.count() >= 5
    hired = internships.filter(outcome=Placement.Outcome.HIRED, employment__isnull=False)
    assert 2 <= hired.count() <= 3
    assert all(p.employment.after_internship for p in hired)
    for placement in Placement.objects.all():
        placement.full_clean()

    # Community events with people from outside the projects.
    events = CommunityEvent.objects.all()
    assert events.filter(outside_count__gt=0).count() >= 3
    assert events.filter(end_date__isnull=False).exists()
    for event in events:
        assert 15 <= event.participants.count() <= 40, event

    # One-off help: a few dozen contacts of every form, for walk-ins enrolled nowhere and
    # for participants, some recorded under the club's programme.
    contacts = ShortContact.objects.all()
    assert 30 <= contacts.count() <= 60
    assert set(contacts.values_list("kind", flat=True)) == set(ShortContact.Kind.values)
    assert contacts.filter(participant__enrolments__isnull=True).exists()
    assert contacts.filter(participant__enrolments__isnull=False).exists()
    assert contacts.filter(project=club).exists()
    assert not contacts.filter(date__gt=demo_today).exists()
    for contact in contacts:
        contact.full_clean()

    # The care point: every parent present left one to three children.
    care = Attendance.objects.filter(session__activity__support_form__code=SupportForm.CARE_POINT)
    present = care.filter(status="present")
    assert present.exists() and not present.filter(dependants=0).exists()
    assert set(present.values_list("dependants", flat=True)) <= {1, 2, 3}
    assert not care.exclude(status="present").exclude(dependants=0).exists()
    assert not Attendance.objects.exclude(pk__in=care).exclude(dependants=0).exists()

    # Nothing dated after "today" except sessions (and the end of what is running).
    assert not SocialContract.objects.filter(signed_on__gt=demo_today).exists()
    assert not Placement.objects.filter(start_date__gt=demo_today).exists()
    assert not CommunityEvent.objects.filter(date__gt=demo_today).exists()
    assert not Employment.objects.filter(start_date__gt=demo_today).exists()


def test_demo_support_is_safe_to_rerun(projects):
    counts = _counts()
    demo_support_create(projects)
    assert _counts() == counts
