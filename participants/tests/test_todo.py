"""The to-do list of the dashboard (participants.selectors.todo): each kind of reminder
appears for the caseworker of the person (not for another caseworker) and for the
manager (centre-wide), links to the page where it is dealt with, and leaves the list
when dealt with; bounded queries whatever the number of items."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kis import roles
from kis.tests.clients import https_client
from kis.tests.factories import UserFactory
from participants.models import (
    ActivityParticipant,
    Diagnosis,
    FollowUp,
    Goal,
    Session,
    SocialContract,
)
from participants.selectors.todo import todo_list
from participants.services.outcomes import follow_up_save
from participants.services.people import enrolment_event_record
from participants.services.support import roll_call_save
from participants.tests.factories import EnrolmentFactory
from participants.tests.support_factories import ActivityFactory
from projects.tests.factories import ProjectFactory, ProjectStaffFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(manager):
    today = timezone.localdate()
    mine = UserFactory(username="cw-mine", role=roles.CASEWORKER)
    other = UserFactory(username="cw-other", role=roles.CASEWORKER)
    staff = StaffMemberFactory(user=mine, role="social_worker")
    project = ProjectFactory(
        start_date=today - timedelta(days=400), end_date=today + timedelta(days=200)
    )
    ProjectStaffFactory(project=project, staff_member=staff)
    enrolment = EnrolmentFactory(project=project, start_date=today - timedelta(days=300),
                                 participant__last_name="Zaradna")  # fmt: skip
    person = enrolment.participant
    activity = ActivityFactory(
        project=project, name="Warsztaty", start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
    )  # fmt: skip
    activity.staff.add(staff)
    ActivityParticipant.objects.create(activity=activity, participant=person)
    held = Session.objects.create(activity=activity, date=today - timedelta(days=14),
                                  start_time=time(10), duration_hours=Decimal("3"))  # fmt: skip
    roll_call_save(session=held, marks={person.pk: "absent"}, seen={}, recorded_by=None)
    untaken = Session.objects.create(activity=activity, date=today - timedelta(days=7),
                                     start_time=time(10), duration_hours=Decimal("3"))  # fmt: skip
    contract = SocialContract.objects.create(
        number="KS/1/2026", participant=person, signed_on=today - timedelta(days=100),
        start_date=today - timedelta(days=100), end_date=today + timedelta(days=100),
        review_date=today + timedelta(days=5), goals="Praca", participant_obligations="Udział",
        centre_obligations="Wsparcie", caseworker=staff,
    )  # fmt: skip
    diagnosis = Diagnosis.objects.create(participant=person, date=today - timedelta(days=200),
                                         needs="Praca")  # fmt: skip
    goal = Goal.objects.create(diagnosis=diagnosis, description="Ukończyć kurs",
                               target_date=today - timedelta(days=3))  # fmt: skip
    # Another person left the project 10 days ago: the 4-week follow-up is due.
    left = EnrolmentFactory(project=project, start_date=today - timedelta(days=300),
                            participant__last_name="Odeszła")  # fmt: skip
    enrolment_event_record(enrolment=left, kind="completed", date=today - timedelta(days=10),
                           recorded_by=None)  # fmt: skip
    return {
        "mine": mine, "other": other, "manager": manager, "person": person, "untaken": untaken,
        "contract": contract, "goal": goal, "left": left, "activity": activity, "today": today,
        "project": project,
    }  # fmt: skip


def _names(kind):
    return [getattr(i, "participant", None) or i for i in kind.items]


def test_each_kind_appears_for_the_persons_caseworker_and_the_manager(world):
    for who in ("mine", "manager"):
        todo = todo_list(world["mine" if who == "mine" else "manager"], world["today"])
        assert [s.pk for s in todo.roll_calls.items] == [world["untaken"].pk]
        assert [c.pk for c in todo.contracts.items] == [world["contract"].pk]
        assert [g.pk for g in todo.goals.items] == [world["goal"].pk]
        assert [r.enrolment.pk for r in todo.follow_ups.items] == [world["left"].pk]
        low = todo.low_attendance.items
        assert [a.participant for a in low] == [world["person"]] and low[0].percent == 0
        assert world["person"] in [r.participant for r in todo.missing_data.items]
    assert todo_list(world["manager"], world["today"]).centre_wide
    # Another caseworker sees none of them.
    other = todo_list(world["other"], world["today"])
    assert other.total == 0


def test_each_kind_leaves_the_list_when_dealt_with(world):
    today, person, mine = world["today"], world["person"], world["mine"]
    roll_call_save(session=world["untaken"], marks={person.pk: "present"}, seen={},
                   recorded_by=mine)  # fmt: skip
    todo = todo_list(mine, today)
    assert todo.roll_calls.total == 0
    # Present at 3 h of 6 h: still below 80 %.
    assert todo.low_attendance.items[0].percent == Decimal("50.00")
    SocialContract.objects.filter(pk=world["contract"].pk).update(
        review_date=today + timedelta(days=60)
    )
    Goal.objects.filter(pk=world["goal"].pk).update(achieved=True, achieved_date=today)
    follow_up_save(
        follow_up=FollowUp(enrolment=world["left"], exit_date=world["left"].end_date, kind="4w",
                           date=today, situation="employed", source="phone"),
        user=mine,
    )  # fmt: skip
    ActivityParticipant.objects.filter(participant=person).update(completed_on=today)
    todo = todo_list(mine, today)
    assert todo.contracts.total == todo.goals.total == todo.follow_ups.total == 0
    assert todo.low_attendance.total == 0


def test_a_contract_ending_within_14_days_and_one_ending_later(world):
    today = world["today"]
    SocialContract.objects.filter(pk=world["contract"].pk).update(
        review_date=None, end_date=today + timedelta(days=14)
    )
    assert todo_list(world["mine"], today).contracts.total == 1
    SocialContract.objects.filter(pk=world["contract"].pk).update(
        end_date=today + timedelta(days=15)
    )
    assert todo_list(world["mine"], today).contracts.total == 0
    SocialContract.objects.filter(pk=world["contract"].pk).update(
        end_date=today + timedelta(days=3), status="fulfilled"
    )
    assert todo_list(world["mine"], today).contracts.total == 0


def test_the_dashboard_shows_the_list_with_links_in_bounded_queries(
    world, django_assert_max_num_queries
):
    client = https_client()
    client.force_login(world["mine"])
    with django_assert_max_num_queries(45):
        html = client.get(reverse("dashboard")).content.decode()
    person = world["person"]
    for url in (
        reverse("participants:roll_call", args=[world["untaken"].pk]),
        reverse("participants:contract_edit", args=[person.pk, world["contract"].pk]),
        reverse("participants:diagnosis_edit", args=[person.pk, world["goal"].diagnosis_id]),
        reverse(
            "participants:follow_up_create", args=[world["left"].participant_id, world["left"].pk]
        ),
        reverse("participants:activity_detail", args=[world["activity"].pk]),
        reverse("participants:edit", args=[person.pk]) + "?eu=1#eu",
    ):
        assert url in html, url
    assert "Do zrobienia" in html and "1 niesprawdzona obecność" in html
    # Many more items: the same number of queries (each kind is counted in SQL).
    first = _count(client)
    for n in range(15):
        Session.objects.create(activity=world["activity"], date=world["today"] - timedelta(days=8 + n),
                               start_time=time(12), duration_hours=Decimal("1"))  # fmt: skip
        Goal.objects.create(diagnosis=world["goal"].diagnosis, description=f"Cel {n}",
                            target_date=world["today"] - timedelta(days=1))  # fmt: skip
    assert _count(client) == first
    html = client.get(reverse("dashboard")).content.decode()
    assert "16 niesprawdzonych obecności" in html and "Pierwsze 10 z 16." in html


def test_the_managers_checks(world, manager, django_assert_max_num_queries):
    today = world["today"]
    stale = ProjectFactory(title="Stary projekt", start_date=today - timedelta(days=500),
                           end_date=today - timedelta(days=10), status="active")  # fmt: skip
    from projects.tests.factories import ExpenditureFactory

    ExpenditureFactory(project=world["project"], date=today, amount=Decimal("10.00"))
    client = https_client()
    client.force_login(manager)
    with django_assert_max_num_queries(80):
        html = client.get(reverse("dashboard")).content.decode()
    assert "Stary projekt" in html and "Projekty po terminie zakończenia" in html
    # The year's "spent" per project opens its documents of the year.
    documents = reverse("projects:expenditure_list", args=[world["project"].pk])
    assert f'href="{documents}?year={today.year}"' in html
    assert "upłynęło" in html and "roku" in html
    stale.status = "finished"
    stale.save()
    html = client.get(reverse("dashboard")).content.decode()
    assert "Stary projekt" not in html


def _count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("dashboard"))
    return len(ctx)


def test_low_attendance_agrees_with_the_activitys_grid(world, settings):
    """The to-do list's attendance % (SQL) is the grid's (Python) for people marked at
    every roll call of their list: hand-computed, 3 h present of 6 h = 50 %."""
    from participants.selectors.support import activity_grid
    from participants.tests.support_factories import assign

    today, activity = world["today"], world["activity"]
    roll_call_save(session=world["untaken"], marks={world["person"].pk: "present"}, seen={},
                   recorded_by=None)  # fmt: skip
    keen = assign(activity, start_date=today - timedelta(days=300), participant__last_name="Pilna")
    for session in Session.objects.filter(activity=activity):
        roll_call_save(session=session, marks={keen.participant_id: "present"}, seen={},
                       recorded_by=None)  # fmt: skip
    grid = {row.participant.pk: row for row in activity_grid(activity, today).rows}
    low = {a.participant_id: a for a in todo_list(world["manager"], today).low_attendance.items}
    assert low[world["person"].pk].percent == grid[world["person"].pk].percent == Decimal("50.00")
    assert keen.participant_id not in low and grid[keen.participant_id].percent == Decimal("100.00")
