"""A trainer who is staff of one session only (not of its activity, not of its project)
opens and takes that session's roll call, and nothing else of the activity."""

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import Attendance
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign
from projects.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def substitute(caseworker):
    """The caseworker stands in for one session of somebody else's activity."""
    activity = ActivityFactory(name="Warsztaty cudze")
    person = assign(activity).participant
    mine = SessionFactory(activity=activity)
    other = SessionFactory(activity=activity)
    mine.staff.add(StaffMemberFactory(user=caseworker))
    return activity, person, mine, other


def test_the_trainer_opens_and_takes_the_roll_call_of_his_session(caseworker_client, substitute):
    activity, person, mine, _other = substitute
    url = reverse("participants:roll_call", args=[mine.pk])
    page = caseworker_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert person.last_name in html and f'name="mark_{person.pk}"' in html
    # The activity's page is not his: the page names it without linking to it.
    assert "Warsztaty cudze" in html
    assert reverse("participants:activity_detail", args=[activity.pk]) not in html
    caseworker_client.post(url, {f"mark_{person.pk}": "absent", f"seen_{person.pk}": ""})
    assert Attendance.objects.get(session=mine, participant=person).status == "absent"
    pdf = caseworker_client.get(reverse("participants:session_attendance_pdf", args=[mine.pk]))
    assert pdf.status_code == 200


def test_only_that_session(caseworker_client, substitute):
    activity, person, _mine, other = substitute
    for url in (
        reverse("participants:roll_call", args=[other.pk]),
        reverse("participants:session_attendance_pdf", args=[other.pk]),
        reverse("participants:activity_detail", args=[activity.pk]),
        reverse("participants:activity_month_pdf", args=[activity.pk, 2017, 3]),
    ):
        assert caseworker_client.get(url).status_code == 404, url
    caseworker_client.post(
        reverse("participants:roll_call", args=[other.pk]), {f"mark_{person.pk}": "present"}
    )
    assert not Attendance.objects.exists()


def test_the_dashboard_offers_his_session(caseworker_client, substitute):
    _activity, _person, mine, other = substitute
    today = timezone.localdate()
    mine.date = other.date = today
    mine.activity.start_date, mine.activity.end_date = today, today
    mine.activity.project.start_date, mine.activity.project.end_date = today, today
    mine.activity.project.save()
    mine.activity.save()
    mine.save()
    html = caseworker_client.get(reverse("dashboard")).content.decode()
    assert reverse("participants:roll_call", args=[mine.pk]) in html
    assert reverse("participants:roll_call", args=[other.pk]) not in html
