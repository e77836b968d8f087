"""The activity's grid in a real browser (issue 17, points 5 and 7): it never makes the
page scroll sideways, the names stay in view while the sessions scroll, 40 sessions fit,
the completion date field is wide enough to type in, and completion is recorded for
everybody at or above the threshold in one click, then all certificates printed."""

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from kis.tests.browser.conftest import BROWSER_TEST, axe_violations, login, screenshot
from participants.models import ActivityParticipant, Attendance, Session
from participants.tests.support_factories import ActivityFactory, assign
from projects.tests.factories import (
    OrganisationFactory,
    ProjectFactory,
    ProjectStaffFactory,
    StaffMemberFactory,
)

pytestmark = BROWSER_TEST


def _activity_of_40_sessions(caseworker):
    today = timezone.localdate()
    project = ProjectFactory(
        start_date=today - timedelta(days=400), end_date=today + timedelta(days=100)
    )
    activity = ActivityFactory(
        project=project,
        name="Klub pracy",
        start_date=today - timedelta(days=300),
        end_date=today + timedelta(days=30),
    )
    staff = StaffMemberFactory(user=caseworker)
    ProjectStaffFactory(project=project, staff_member=staff)
    activity.staff.add(staff)
    people = [
        assign(activity, participant__last_name=f"Wiśniewska-Kowalczyk {i}",
               start_date=today - timedelta(days=350))
        for i in range(12)
    ]  # fmt: skip
    sessions = [
        Session.objects.create(
            activity=activity, date=today - timedelta(days=7 * (40 - i)), start_time=time(10),
            duration_hours=Decimal("2"), roll_call_at=timezone.now(),
        )
        for i in range(40)
    ]  # fmt: skip
    # The first three people miss half the sessions (50 %); the others come to all.
    Attendance.objects.bulk_create(
        Attendance(
            session=s,
            participant=a.participant,
            status="absent" if n < 3 and i % 2 else "present",
        )
        for i, s in enumerate(sessions)
        for n, a in enumerate(people)
    )
    return activity, people


def test_the_grid_scrolls_in_its_box_with_the_names_in_view(page, caseworker):
    OrganisationFactory()
    activity, people = _activity_of_40_sessions(caseworker)
    login(page, caseworker.username)
    for width, height in ((1366, 900), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/participants/activities/{activity.pk}/")
        screenshot(page, f"activity-grid-{width}x{height}")
        # The page itself never scrolls sideways (into blank space).
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, (width, scroll, client)
        box = page.locator(".grid-scroll")
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # 40 sessions scroll
        assert page.locator(".attendance-grid thead th.col-session").count() == 40
        name = page.locator(".attendance-grid tbody th.col-name").first
        before = name.bounding_box()
        box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        after = name.bounding_box()
        assert abs(after["x"] - before["x"]) < 1 and name.is_visible()  # sticky
        # The last session's column is reachable, and the date field is wide enough.
        last = page.locator(".attendance-grid thead th.col-session").last.bounding_box()
        assert last["x"] + last["width"] <= width
        field = page.locator(".attendance-grid input[name=completed_on]").first.bounding_box()
        assert field["width"] >= 100, field
        screenshot(page, f"activity-grid-{width}x{height}-scrolled")
        assert axe_violations(page) == []


def test_completion_in_bulk_then_all_certificates(page, caseworker, settings):
    activity, people = _activity_of_40_sessions(caseworker)
    login(page, caseworker.username)
    page.goto(f"/participants/activities/{activity.pk}/")
    # Nine people at 100 %, three at 50 %: the threshold (80 %) picks the nine.
    page.get_by_role(
        "button", name="Zapisz ukończenie dla wszystkich 9 osób z frekwencją co najmniej 80 %"
    ).click()
    page.get_by_text("Zapisano ukończenie dla 9 osób.").wait_for()
    assert ActivityParticipant.objects.filter(completed_on__isnull=False).count() == 9
    # One of the others, ticked, by hand.
    page.get_by_label(f"Zaznacz: {people[0].participant.full_name}").check()
    page.get_by_role("button", name="Zapisz ukończenie zaznaczonym").click()
    page.get_by_text("Zapisano ukończenie dla 1 osoby.").wait_for()
    people[0].refresh_from_db()
    assert people[0].completed_on == timezone.localdate()
    link = page.get_by_role("link", name="Drukuj wszystkie zaświadczenia (10, jeden PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    screenshot(page, "activity-grid-completed")


def test_several_enrolled_at_once_and_a_drop_out_taken_out_of_the_groups(page, caseworker):
    from participants.models import Enrolment
    from participants.tests.factories import ParticipantFactory

    activity, people = _activity_of_40_sessions(caseworker)
    project = activity.project
    today = timezone.localdate()
    newcomers = [ParticipantFactory(last_name=f"Nowicka {n}", registered_by=caseworker)
                 for n in range(3)]  # fmt: skip
    login(page, caseworker.username)
    page.goto(f"/participants/project/{project.pk}/enrol/?q=Nowicka")
    for person in newcomers[:2]:
        page.get_by_label(f"Zaznacz: {person.full_name}").check()
    page.get_by_role("button", name="Zapisz zaznaczonych do projektu").click()
    page.get_by_text("Do projektu zapisano 2 osoby").wait_for()
    assert Enrolment.objects.filter(project=project, participant__in=newcomers).count() == 2
    screenshot(page, "enrol-several")
    assert axe_violations(page) == []

    # A drop-out: the form offers to take her out of her groups' future sessions.
    later = ActivityFactory(project=project, name="Grupa wiosenna", start_date=today,
                            end_date=today + timedelta(days=30))  # fmt: skip
    person = newcomers[0]
    ActivityParticipant.objects.create(activity=later, participant=person)
    Session.objects.create(activity=later, date=today + timedelta(days=7), start_time=time(10),
                           duration_hours=Decimal("2"))  # fmt: skip
    enrolment = Enrolment.objects.get(project=project, participant=person)
    page.goto(f"/participants/{person.pk}/enrolments/{enrolment.pk}/dropped_out/")
    offer = page.get_by_label("Wypisz osobę z przyszłych spotkań jej grup: Grupa wiosenna")
    assert offer.is_checked()
    page.get_by_label("Powód").select_option(index=1)
    screenshot(page, "drop-out-offers-the-groups")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_text("wypisana z przyszłych spotkań: Grupa wiosenna").wait_for()
    assert not ActivityParticipant.objects.filter(activity=later, participant=person).exists()
