"""Every page or paper that shows a person's data is in the access log, with the people
it shows; the audit trail shows sensitive values only to those who may see them."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from kis import roles
from kis.models import AccessLog
from kis.tests.clients import https_client
from participants.models import Attendance, FamilyLink, Placement, SocialContract
from participants.services.people import participant_update
from participants.tests.factories import (
    DiagnosisFactory,
    EmploymentFactory,
    ParticipantFactory,
    group,
)
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign
from projects.tests.factories import OrganisationFactory, StaffMemberFactory

# Features, not who sees whom (participants/tests/test_access.py): a small centre's caseworker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]


def logged(action: str = "view") -> list[int]:
    """The people of the access log's entries of an action, oldest first."""
    return list(
        AccessLog.objects.filter(action=action)
        .order_by("pk")
        .values_list("participant_ref", flat=True)
    )


def contract(person) -> SocialContract:
    return SocialContract.objects.create(
        number="KS/1/2024",
        participant=person,
        signed_on=date(2024, 3, 1),
        start_date=date(2024, 3, 1),
        end_date=date(2024, 12, 31),
        goals="Zatrudnienie",
        participant_obligations="Udział w zajęciach",
        centre_obligations="Wsparcie",
        caseworker=StaffMemberFactory(),
    )


def placement(person) -> Placement:
    return Placement.objects.create(
        kind="psu",
        participant=person,
        employer_name="Urząd Gminy",
        start_date=date(2024, 4, 1),
        end_date=date(2024, 9, 30),
        hours_per_month=Decimal("40"),
    )


EDIT_PAGES = {
    "participant": lambda p: reverse("participants:edit", args=[p.pk]),
    "diagnosis": lambda p: reverse(
        "participants:diagnosis_edit", args=[p.pk, DiagnosisFactory(participant=p).pk]
    ),
    "job": lambda p: reverse(
        "participants:employment_edit", args=[p.pk, EmploymentFactory(participant=p).pk]
    ),
    "social contract": lambda p: reverse("participants:contract_edit", args=[p.pk, contract(p).pk]),
    "placement": lambda p: reverse("participants:placement_edit", args=[p.pk, placement(p).pk]),
}


@pytest.mark.parametrize("url", EDIT_PAGES.values(), ids=EDIT_PAGES.keys())
def test_opening_an_edit_form_is_a_read_of_the_person(caseworker_client, caseworker, url):
    person = ParticipantFactory()
    # Only a page that is shown is a read: not another person's record (not found).
    somebody_elses = reverse(
        "participants:employment_edit", args=[person.pk, EmploymentFactory().pk]
    )
    assert caseworker_client.get(somebody_elses).status_code == 404
    assert caseworker_client.get(url(person)).status_code == 200
    entry = AccessLog.objects.exclude(action="login").get()
    assert (entry.action, entry.participant_ref, entry.user) == ("view", person.pk, caseworker)


def test_admin_change_pages_are_reads_of_the_people_they_show(administrator_client):
    person, relative = ParticipantFactory(), ParticipantFactory()
    link = FamilyLink.objects.create(participant=person, relative=relative, relation="child")
    activity = ActivityFactory()
    marked, unmarked = assign(activity).participant, assign(activity).participant
    session = SessionFactory(activity=activity)
    Attendance.objects.create(session=session, participant=marked, status="present")
    pages = [
        (reverse("admin:participants_participant_change", args=[person.pk]), [person.pk]),
        (
            reverse(
                "admin:participants_diagnosis_change",
                args=[DiagnosisFactory(participant=person).pk],
            ),
            [person.pk],
        ),
        (
            reverse("admin:participants_familylink_change", args=[link.pk]),
            [person.pk, relative.pk],
        ),
        (reverse("admin:participants_session_change", args=[session.pk]), [marked.pk]),
        (
            reverse("admin:participants_activity_change", args=[activity.pk]),
            sorted([marked.pk, unmarked.pk]),
        ),
    ]
    for url, people in pages:
        AccessLog.objects.all().delete()
        assert administrator_client.get(url).status_code == 200
        assert sorted(logged()) == people, url


def test_the_activity_grid_and_the_roll_call_are_reads_of_everybody_on_them(
    caseworker_client, caseworker
):
    activity = ActivityFactory()
    people = [assign(activity).participant.pk for _ in range(3)]
    session = SessionFactory(activity=activity)

    caseworker_client.get(reverse("participants:activity_detail", args=[activity.pk]))
    assert sorted(logged()) == sorted(people)
    assert set(AccessLog.objects.filter(action="view").values_list("what", flat=True)) == {
        f"activity grid {activity.pk}"
    }

    AccessLog.objects.all().delete()
    caseworker_client.get(reverse("participants:roll_call", args=[session.pk]))
    assert sorted(logged()) == sorted(people)
    assert AccessLog.objects.filter(user=caseworker, action="view").count() == 3


def test_an_attendance_list_is_logged_with_the_people_on_it(caseworker_client):
    OrganisationFactory()
    activity = ActivityFactory()
    people = sorted(assign(activity).participant.pk for _ in range(2))
    session = SessionFactory(activity=activity, date=date(2017, 3, 7))

    caseworker_client.get(reverse("participants:session_attendance_pdf", args=[session.pk]))
    assert sorted(logged("pdf")) == people

    AccessLog.objects.all().delete()
    caseworker_client.get(reverse("participants:activity_month_pdf", args=[activity.pk, 2017, 3]))
    assert sorted(logged("pdf")) == people
    html = caseworker_client.get(reverse("audit"), {"participant": people[0]})
    assert html.status_code == 403  # caseworkers do not read the log; managers do


def test_the_audit_trail_hides_sensitive_values_without_the_permission(manager):
    person = ParticipantFactory()
    participant_update(
        person,
        phone="600 100 200",
        health_notes="Terapia odwykowa",
        disability="moderate",
        groups=[group("osoby uzależnione od alkoholu")],
    )
    url = reverse("audit")

    def audit_page() -> str:
        client = https_client()
        client.force_login(type(manager).objects.get(pk=manager.pk))  # fresh permissions
        return client.get(url, {"participant": person.pk}).content.decode()

    html = audit_page()
    # The value as the application names it (the audit page translates choices).
    moderate = "stopień umiarkowany"
    assert "Terapia odwykowa" in html and moderate in html and ">moderate<" not in html
    assert "osoby uzależnione od alkoholu" in html
    Group.objects.get(name=roles.MANAGER).permissions.remove(
        Permission.objects.get(codename="view_sensitive_data")
    )
    html = audit_page()
    assert "Terapia odwykowa" not in html and moderate not in html
    assert "uzależnione" not in html
    assert "dane wrażliwe, nie pokazano" in html
    assert "600 100 200" in html  # the rest stays
