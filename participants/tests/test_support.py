"""Activities, sessions, roll call, the attendance grid, contracts and placements."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participants.models import (
    ActivityParticipant,
    Attendance,
    CommunityEvent,
    Placement,
    Session,
    SocialContract,
)
from participants.selectors.support import activity_grid
from participants.services.support import (
    activity_participants_add,
    roll_call_save,
    session_series_create,
)
from participants.tests.factories import ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign
from projects.tests.factories import ProjectFactory, StaffMemberFactory

# Features, not who sees whom (participants/tests/test_access.py): a small centre's caseworker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]


def _queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
        assert response.status_code in (200, 302)
    return len(ctx)


def test_weekly_series_in_one_step():
    activity = ActivityFactory(start_date=date(2017, 1, 2), end_date=date(2017, 6, 30))
    trainer = StaffMemberFactory()
    activity.staff.add(trainer)
    sessions = session_series_create(
        activity=activity,
        first_date=date(2017, 1, 3),
        weekdays=[1, 3],
        start_time=time(16, 0),
        duration_hours=Decimal("3.5"),
        weeks=12,
        topic="Trening",
    ).sessions
    assert len(sessions) == 24
    stored = list(activity.sessions.order_by("date"))
    assert stored[0].date == date(2017, 1, 3) and stored[-1].date == date(2017, 3, 23)
    assert {s.date.weekday() for s in stored} == {1, 3}
    assert sum(s.duration_hours for s in stored) == Decimal("84.0")
    assert all(list(s.staff.all()) == [trainer] for s in stored)
    # Running it again adds nothing twice.
    session_series_create(
        activity=activity,
        first_date=date(2017, 1, 3),
        weekdays=[1, 3],
        start_time=time(16, 0),
        duration_hours=Decimal("3.5"),
        weeks=12,
    )
    assert activity.sessions.count() == 24


def test_series_outside_the_activity_or_without_hours_is_refused():
    activity = ActivityFactory(start_date=date(2017, 1, 2), end_date=date(2017, 1, 31))
    with pytest.raises(ValidationError) as error:
        session_series_create(
            activity=activity,
            first_date=date(2017, 1, 3),
            weekdays=[1],
            start_time=time(16, 0),
            duration_hours=Decimal("2"),
            weeks=8,
        )
    assert "poza okresem zajęć" in error.value.message_dict["weeks"][0]
    with pytest.raises(ValidationError) as error:
        session_series_create(
            activity=activity,
            first_date=date(2017, 1, 3),
            weekdays=[1],
            start_time=time(16, 0),
            duration_hours=Decimal("0"),
            weeks=2,
        )
    assert "większy od zera" in error.value.message_dict["duration_hours"][0]
    assert not Session.objects.exists()


def test_only_people_enrolled_in_the_project_can_be_assigned():
    activity = ActivityFactory()
    enrolled = assign(activity).participant
    outsider = ParticipantFactory(first_name="Żaneta", last_name="Obca")
    ActivityParticipant.objects.all().delete()
    with pytest.raises(ValidationError) as error:
        activity_participants_add(activity=activity, participants=[enrolled, outsider])
    assert "Żaneta Obca" in error.value.messages[0]
    assert not ActivityParticipant.objects.exists()
    assert activity_participants_add(activity=activity, participants=[enrolled]) == 1
    assert activity_participants_add(activity=activity, participants=[enrolled]) == 0


@pytest.fixture
def group():
    activity = ActivityFactory()
    people = [assign(activity).participant for _ in range(3)]
    session = SessionFactory(activity=activity, date=date(2017, 3, 7))
    return activity, session, people


def test_roll_call_defaults_to_present_and_saves_in_one_request(caseworker_client, group):
    activity, session, people = group
    url = reverse("participants:roll_call", args=[session.pk])
    html = caseworker_client.get(url).content.decode()
    assert html.count('value="present" id="mark-') == 3
    assert html.count("checked") == 3  # everybody present by default
    data = {f"mark_{p.pk}": "present" for p in people} | {f"seen_{p.pk}": "" for p in people}
    data[f"mark_{people[1].pk}"] = "excused"
    response = caseworker_client.post(url, data, follow=True)
    assert "Lista obecności została zapisana" in response.content.decode()
    marks = dict(Attendance.objects.values_list("participant_id", "status"))
    assert marks == {people[0].pk: "present", people[1].pk: "excused", people[2].pk: "present"}
    session.refresh_from_db()
    assert session.roll_call_at is not None


def test_everybody_present_button(caseworker_client, group):
    _activity, session, people = group
    data = {f"mark_{p.pk}": "absent" for p in people} | {f"seen_{p.pk}": "" for p in people}
    caseworker_client.post(
        reverse("participants:roll_call", args=[session.pk]), {**data, "all_present": "1"}
    )
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}


def test_roll_call_of_30_people_is_a_fixed_handful_of_queries(
    caseworker_client, django_assert_max_num_queries
):
    activity = ActivityFactory()
    people = [assign(activity).participant for _ in range(30)]
    session = SessionFactory(activity=activity)
    url = reverse("participants:roll_call", args=[session.pk])
    data = {f"mark_{p.pk}": "present" for p in people} | {f"seen_{p.pk}": "" for p in people}
    # A fixed number whatever the group's size; two of them are the session's own
    # audit entry (its state before, the entry) since sessions are in the audit trail.
    with django_assert_max_num_queries(21):
        caseworker_client.post(url, data)
    assert Attendance.objects.count() == 30
    # Changing everybody's mark is as cheap.
    data = {f"mark_{p.pk}": "absent" for p in people} | {f"seen_{p.pk}": "present" for p in people}
    with django_assert_max_num_queries(21):
        caseworker_client.post(url, data)
    assert set(Attendance.objects.values_list("status", flat=True)) == {"absent"}


def test_future_session_and_unassigned_people_are_refused(caseworker, group):
    activity, session, people = group
    future = SessionFactory(activity=activity, date=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError):
        roll_call_save(
            session=future, marks={people[0].pk: "present"}, seen={}, recorded_by=caseworker
        )
    stranger = ParticipantFactory()
    with pytest.raises(ValidationError) as error:
        roll_call_save(
            session=session,
            marks={people[0].pk: "present", stranger.pk: "present"},
            seen={},
            recorded_by=caseworker,
        )
    assert "przypisanych do zajęć" in error.value.messages[0]
    assert not Attendance.objects.exists()
    future.refresh_from_db()
    assert future.roll_call_at is None


def test_future_session_page_says_so(caseworker_client, group):
    activity, _session, people = group
    activity.end_date = date(2099, 1, 1)
    activity.save()
    future = SessionFactory(activity=activity, date=timezone.localdate() + timedelta(days=2))
    url = reverse("participants:roll_call", args=[future.pk])
    assert "jeszcze się nie odbyło" in caseworker_client.get(url).content.decode()
    caseworker_client.post(url, {f"mark_{people[0].pk}": "present"})
    assert not Attendance.objects.exists()


def test_two_caseworkers_do_not_erase_each_other(caseworker, manager, group):
    _activity, session, (anna, bartek, celina) = group
    # Both open the page while nothing is saved (seen = "").
    roll_call_save(
        session=session,
        marks={anna.pk: "absent", bartek.pk: "present", celina.pk: "present"},
        seen={},
        recorded_by=manager,
    )
    conflicts = roll_call_save(
        session=session,
        marks={anna.pk: "present", bartek.pk: "present", celina.pk: "excused"},
        seen={},
        recorded_by=caseworker,
    )
    # Anna: the manager marked absent meanwhile, the caseworker says present: kept, reported.
    # Bartek: both agree. Celina: changed by the manager to present; the caseworker's
    # "excused" differs, so it is reported too.
    assert [(c.participant, c.theirs, c.yours) for c in conflicts] == [
        (anna, "absent", "present"),
        (celina, "present", "excused"),
    ]
    marks = dict(Attendance.objects.values_list("participant_id", "status"))
    assert marks == {anna.pk: "absent", bartek.pk: "present", celina.pk: "present"}
    # Whoever saw the current marks may change them: last write per person wins.
    roll_call_save(
        session=session,
        marks={anna.pk: "present"},
        seen={anna.pk: "absent"},
        recorded_by=caseworker,
    )
    assert Attendance.objects.get(participant=anna).status == "present"


def test_conflict_is_shown_on_the_page(caseworker_client, manager, group):
    _activity, session, people = group
    roll_call_save(session=session, marks={people[0].pk: "absent"}, seen={}, recorded_by=manager)
    data = {f"mark_{p.pk}": "present" for p in people} | {f"seen_{p.pk}": "" for p in people}
    response = caseworker_client.post(
        reverse("participants:roll_call", args=[session.pk]), data, follow=True
    )
    html = response.content.decode()
    assert people[0].full_name in html and "w międzyczasie" in html


def test_grid_hours_and_percent_are_exact(caseworker):
    activity = ActivityFactory(end_date=date(2099, 12, 31))
    ania = assign(activity, ParticipantFactory(first_name="Ania", last_name="Łoś")).participant
    basia = assign(activity, ParticipantFactory(first_name="Basia", last_name="Bąk")).participant
    s1 = SessionFactory(activity=activity, date=date(2017, 3, 7), duration_hours=Decimal("3.5"))
    s2 = SessionFactory(activity=activity, date=date(2017, 3, 9), duration_hours=Decimal("3.5"))
    s3 = SessionFactory(activity=activity, date=date(2017, 3, 14), duration_hours=Decimal("2"))
    SessionFactory(activity=activity, date=timezone.localdate() + timedelta(days=3))  # not held yet
    for session, marks in (
        (s1, ("present", "present")),
        (s2, ("present", "excused")),
        (s3, ("absent", "present")),
    ):
        roll_call_save(
            session=session,
            marks={ania.pk: marks[0], basia.pk: marks[1]},
            seen={},
            recorded_by=caseworker,
        )
    grid = activity_grid(activity)
    rows = {row.participant.first_name: row for row in grid.rows}
    assert grid.held_hours == Decimal("9.00") and grid.held_sessions == 3
    assert rows["Ania"].hours == Decimal("7.00")
    assert rows["Ania"].percent == Decimal("77.78") and rows["Ania"].below_threshold
    assert rows["Basia"].hours == Decimal("5.50")
    assert rows["Basia"].percent == Decimal("61.11") and rows["Basia"].excused == 1
    assert rows["Ania"].cells == ["present", "present", "absent", None]
    assert [r.participant.first_name for r in grid.rows] == ["Basia", "Ania"]


def test_threshold_is_configurable(caseworker, settings):
    activity = ActivityFactory()
    person = assign(activity).participant
    for day in (7, 9, 14, 16, 21):
        session = SessionFactory(
            activity=activity, date=date(2017, 3, day), duration_hours=Decimal("2")
        )
        roll_call_save(
            session=session,
            marks={person.pk: "present" if day != 21 else "absent"},
            seen={},
            recorded_by=caseworker,
        )
    assert not activity_grid(activity).rows[0].below_threshold  # 80 % is not below 80 %
    settings.KIS_ATTENDANCE_THRESHOLD = 90
    assert activity_grid(activity).rows[0].below_threshold


def test_grid_page_queries_do_not_grow(caseworker_client, caseworker):
    small, large = ActivityFactory(), ActivityFactory()
    for activity, people, sessions in ((small, 3, 2), (large, 25, 20)):
        persons = [assign(activity).participant for _ in range(people)]
        for n in range(sessions):
            session = SessionFactory(activity=activity, date=date(2017, 1, 2) + timedelta(days=n))
            roll_call_save(
                session=session,
                marks={p.pk: "present" for p in persons},
                seen={},
                recorded_by=caseworker,
            )
    url = lambda a: reverse("participants:activity_detail", args=[a.pk])  # noqa: E731
    assert _queries(caseworker_client, "get", url(small)) == _queries(
        caseworker_client, "get", url(large)
    )
    html = caseworker_client.get(url(large)).content.decode()
    assert html.count('class="mark mark-present"') == 25 * 20


def test_activity_and_session_forms_refuse_bad_input(caseworker_client):
    project = ProjectFactory()
    url = reverse("participants:activity_create")
    data = {
        "project": project.pk,
        "support_form": 1,
        "name": "Grupa wsparcia",
        "planned_hours": "0",
        "start_date": "01.03.2017",
        "end_date": "01.02.2017",
    }
    html = caseworker_client.post(url, data).content.decode()
    assert "Data zakończenia nie może być wcześniejsza" in html
    assert 'value="Grupa wsparcia"' in html
    assert "większa lub równa 0" in html  # Django prints the limit unlocalised
    activity = ActivityFactory()
    url = reverse("participants:session_create", args=[activity.pk])
    response = caseworker_client.post(
        url, {"date": "07.03.2017", "start_time": "16:00", "duration_hours": "0"}
    )
    assert response.status_code == 200
    assert not Session.objects.exists()
    response = caseworker_client.post(
        url, {"date": "07.03.2017", "start_time": "16:00", "duration_hours": "3,5"}
    )
    assert response.status_code == 302
    assert Session.objects.get().duration_hours == Decimal("3.50")


def test_series_form(caseworker_client):
    activity = ActivityFactory()
    url = reverse("participants:session_series", args=[activity.pk])
    response = caseworker_client.post(
        url,
        {
            "first_date": "02.01.2017",
            "weekdays": ["0", "2"],
            "start_time": "16:00",
            "duration_hours": "3,5",
            "repeat": "weekly",
            "weeks": "12",
        },
    )
    assert response.status_code == 302
    assert activity.sessions.count() == 24
    assert activity.sessions.first().duration_hours == Decimal("3.50")


def test_assign_form_offers_only_enrolled_people(caseworker_client):
    activity = ActivityFactory()
    enrolled = assign(activity, ParticipantFactory(last_name="Zapisana")).participant
    ActivityParticipant.objects.all().delete()
    ParticipantFactory(last_name="Niezapisany")
    url = reverse("participants:activity_assign", args=[activity.pk])
    pick = reverse("participants:people_pick_for", args=["activity", activity.pk])
    found = caseworker_client.get(pick, {"q": "zapisan"}).json()["results"]
    assert [p["name"] for p in found] == [f"Zapisana {enrolled.first_name}"]
    assert caseworker_client.get(pick, {"q": "niezapisany"}).json()["results"] == []
    assert caseworker_client.post(url, {"participants": [enrolled.pk]}).status_code == 302
    assert ActivityParticipant.objects.get().participant == enrolled


def test_completion_and_card(caseworker_client, caseworker):
    activity = ActivityFactory(name="Kurs obsługi komputera")
    assignment = assign(activity, ParticipantFactory(first_name="Józef", last_name="Żmuda"))
    session = SessionFactory(activity=activity, date=date(2017, 3, 7), duration_hours=Decimal("4"))
    roll_call_save(
        session=session,
        marks={assignment.participant_id: "present"},
        seen={},
        recorded_by=caseworker,
    )
    url = reverse("participants:completion_set", args=[activity.pk, assignment.pk])
    caseworker_client.post(url, {"completed_on": "01.01.2020"})  # after the activity
    assignment.refresh_from_db()
    assert assignment.completed_on is None
    caseworker_client.post(url, {"completed_on": "30.06.2017"})
    assignment.refresh_from_db()
    assert assignment.completed_on == date(2017, 6, 30)
    html = caseworker_client.get(
        reverse("participants:detail", args=[assignment.participant_id])
    ).content.decode()
    assert "Kurs obsługi komputera" in html
    assert "4,0 / 4,0" in html and "100\xa0%" in html
    assert reverse("participants:certificate_pdf", args=[activity.pk, assignment.pk]) in html


def test_social_contract(caseworker_client):
    person = ParticipantFactory()
    worker = StaffMemberFactory(role="social_worker")
    url = reverse("participants:contract_create", args=[person.pk])
    data = {
        "number": "KS/35/2014",
        "signed_on": "10.03.2014",
        "start_date": "10.03.2014",
        "end_date": "31.12.2014",
        "goals": "Podjęcie zatrudnienia",
        "participant_obligations": "Udział w zajęciach",
        "centre_obligations": "Wsparcie pracownika socjalnego",
        "caseworker": worker.pk,
        "status": "terminated",
        "termination_reason": "",
    }
    # A new contract is in force: no status to choose (issue 17.6).
    assert caseworker_client.post(url, data).status_code == 302
    contract = SocialContract.objects.get()
    assert contract.number == "KS/35/2014" and contract.status == "in_force"
    edit = reverse("participants:contract_edit", args=[person.pk, contract.pk])
    html = caseworker_client.post(edit, data).content.decode()
    assert "Podaj powód rozwiązania kontraktu" in html
    contract.refresh_from_db()
    assert contract.status == "in_force"
    assert (
        "KS/35/2014"
        in caseworker_client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    )


def test_placement_validates_the_nip(caseworker_client):
    person = ParticipantFactory()
    url = reverse("participants:placement_create", args=[person.pk])
    data = {
        "kind": "psu",
        "employer_name": "Urząd Gminy",
        "employer_nip": "5260250275",
        "referral_number": "PUP.OS.5431.1.2014",
        "start_date": "01.04.2014",
        "end_date": "30.09.2014",
        "hours_per_month": "40",
        "outcome": "ongoing",
    }
    html = caseworker_client.post(url, data).content.decode()
    assert "poprawny numer NIP" in html
    assert caseworker_client.post(url, {**data, "employer_nip": "5260250274"}).status_code == 302
    assert Placement.objects.get().hours_per_month == Decimal("40.0")


def test_community_event(caseworker_client):
    people = ParticipantFactory.create_batch(2)
    response = caseworker_client.post(
        reverse("participants:event_create"),
        {
            "name": "Mikołajki 2014",
            "date": "06.12.2014",
            "place": "Świetlica",
            "outside_count": "40",
            "participants": [p.pk for p in people],
        },
    )
    assert response.status_code == 302
    event = CommunityEvent.objects.get()
    assert (event.outside_count, event.participants.count()) == (40, 2)
    assert (
        "Mikołajki 2014"
        in caseworker_client.get(reverse("participants:event_list")).content.decode()
    )


def test_dashboard_lists_this_weeks_sessions_without_roll_call_first(caseworker_client, caseworker):
    today = timezone.localdate()
    activity = ActivityFactory(
        name="Klub pracy",
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
        project=ProjectFactory(
            start_date=today - timedelta(days=60), end_date=today + timedelta(days=60)
        ),
    )
    monday = today - timedelta(days=today.weekday())
    done = SessionFactory(activity=activity, date=monday, start_time=time(9, 0))
    done.roll_call_at = timezone.now()
    done.save()
    waiting = SessionFactory(activity=activity, date=today, start_time=time(12, 0))
    last_week = SessionFactory(activity=activity, date=monday - timedelta(days=1))
    html = caseworker_client.get(reverse("dashboard")).content.decode()
    overdue, week = html.split('id="h-week"')  # the to-do list comes first
    first, second = (
        week.index(reverse("participants:roll_call", args=[waiting.pk])),
        week.index(reverse("participants:roll_call", args=[done.pk])),
    )
    assert first < second
    assert week.count("Klub pracy") == 2
    # Last week's session without a roll call does not vanish: it waits in the to-do list.
    assert reverse("participants:roll_call", args=[last_week.pk]) in overdue
    assert "1 niesprawdzona obecność" in overdue


def test_pages_refuse_users_without_a_role(client, no_role_user, group):
    activity, session, people = group
    client.force_login(no_role_user)
    assignment = activity.assignments.first()
    urls = [
        reverse("participants:activity_list"),
        reverse("participants:activity_create"),
        reverse("participants:activity_detail", args=[activity.pk]),
        reverse("participants:activity_edit", args=[activity.pk]),
        reverse("participants:activity_assign", args=[activity.pk]),
        reverse("participants:session_create", args=[activity.pk]),
        reverse("participants:session_series", args=[activity.pk]),
        reverse("participants:roll_call", args=[session.pk]),
        reverse("participants:session_edit", args=[session.pk]),
        reverse("participants:event_list"),
        reverse("participants:event_create"),
        reverse("participants:contract_create", args=[people[0].pk]),
        reverse("participants:placement_create", args=[people[0].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    post = client.post(
        reverse("participants:roll_call", args=[session.pk]), {f"mark_{people[0].pk}": "present"}
    )
    assert post.status_code == 403
    post = client.post(
        reverse("participants:completion_set", args=[activity.pk, assignment.pk]),
        {"completed_on": "01.03.2017"},
    )
    assert post.status_code == 403
    assert not Attendance.objects.exists()
