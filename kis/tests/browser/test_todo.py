"""The caseworker's to-do list in a real browser (issue 17, point 3): each kind of
reminder appears on the dashboard, its link opens the place where it is dealt with,
and once dealt with there it is gone from the list."""

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from kis.tests.browser.conftest import BROWSER_TEST, axe_violations, login, screenshot
from participants.models import ActivityParticipant, Diagnosis, Goal, Session, SocialContract
from participants.services.people import enrolment_event_record
from participants.services.support import roll_call_save
from participants.tests.factories import EnrolmentFactory
from participants.tests.support_factories import ActivityFactory
from projects.tests.factories import (
    OrganisationFactory,
    ProjectFactory,
    ProjectStaffFactory,
    StaffMemberFactory,
)
from reports.eu_monitoring import eu_export

pytestmark = BROWSER_TEST

# Everything EU monitoring asks of a person but the education (which the test enters).
EU_DATA = {
    "citizenship": "pl", "country": "Polska", "voivodeship": "12", "county": "limanowski",
    "municipality": "Lipnica Dolna", "municipality_code": "1206011", "degurba": "3",
    "foreign_origin": "no", "minority": "no", "housing_exclusion": "no", "disability": "no",
}  # fmt: skip


def _world(caseworker):
    today = timezone.localdate()
    OrganisationFactory()
    staff = StaffMemberFactory(user=caseworker, role="social_worker")
    project = ProjectFactory(
        number="FEMP.06.01-IZ.00-0001/24",
        start_date=today - timedelta(days=400),
        end_date=today + timedelta(days=200),
    )
    ProjectStaffFactory(project=project, staff_member=staff)
    enrolment = EnrolmentFactory(
        project=project, start_date=today - timedelta(days=300), labour_status_at_start="long_term",
        participant__last_name="Zaradna", **{f"participant__{k}": v for k, v in EU_DATA.items()},
    )  # fmt: skip
    person = enrolment.participant
    activity = ActivityFactory(
        project=project, name="Warsztaty", start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
    )  # fmt: skip
    activity.staff.add(staff)
    ActivityParticipant.objects.create(activity=activity, participant=person)
    held = Session.objects.create(activity=activity, date=today - timedelta(days=14),
                                  start_time=time(10), duration_hours=Decimal("3"))  # fmt: skip
    roll_call_save(session=held, marks={person.pk: "present"}, seen={}, recorded_by=None)
    held_too = Session.objects.create(activity=activity, date=today - timedelta(days=10),
                                      start_time=time(10), duration_hours=Decimal("3"))  # fmt: skip
    roll_call_save(session=held_too, marks={person.pk: "absent"}, seen={}, recorded_by=None)
    untaken = Session.objects.create(activity=activity, date=today - timedelta(days=7),
                                     start_time=time(10), duration_hours=Decimal("3"))  # fmt: skip
    SocialContract.objects.create(
        number="KS/1/2026", participant=person, signed_on=today - timedelta(days=100),
        start_date=today - timedelta(days=100), end_date=today + timedelta(days=100),
        review_date=today + timedelta(days=5), goals="Praca", participant_obligations="Udział",
        centre_obligations="Wsparcie", caseworker=staff,
    )  # fmt: skip
    diagnosis = Diagnosis.objects.create(participant=person, date=today - timedelta(days=200),
                                         needs="Praca")  # fmt: skip
    Goal.objects.create(diagnosis=diagnosis, description="Ukończyć kurs",
                        target_date=today - timedelta(days=3))  # fmt: skip
    # Who left is of the club's own programme (no EU monitoring), followed up as well.
    own = ProjectFactory(
        programme=None, start_date=today - timedelta(days=400), end_date=today + timedelta(days=200)
    )
    ProjectStaffFactory(project=own, staff_member=staff)
    left = EnrolmentFactory(project=own, start_date=today - timedelta(days=300),
                            participant__last_name="Odeszła")  # fmt: skip
    enrolment_event_record(enrolment=left, kind="completed", date=today - timedelta(days=10),
                           recorded_by=None)  # fmt: skip
    # Only the education is missing for the monitoring.
    from participants.models import Participant

    row = next(
        r for r in eu_export(project, Participant.objects.all()).rows if r.participant == person
    )
    assert row.missing == ["Wykształcenie"], row.missing
    return person, untaken


def _card(page, kind: str):
    return page.locator(f".todo-{kind}")


def test_each_reminder_appears_and_goes_when_dealt_with(page, caseworker):
    person, untaken = _world(caseworker)
    login(page, caseworker.username)
    for kind in (
        "roll-calls",
        "contracts",
        "goals",
        "follow-ups",
        "low-attendance",
        "missing-data",
    ):
        assert _card(page, kind).count() == 1, kind
    screenshot(page, "todo-1-caseworker")
    assert axe_violations(page) == []
    today = timezone.localdate()

    # Roll call: the link opens it; everybody present, saved.
    _card(page, "roll-calls").get_by_role("link").first.click()
    page.get_by_role("button", name="Zapisz obecność", exact=True).click()
    page.goto("/")
    assert _card(page, "roll-calls").count() == 0
    # Attendance is now 6 h of 9 h (67 %): still below 80 %.
    assert "67" in _card(page, "low-attendance").inner_text()

    # Contract: reviewed, the next review in two months.
    _card(page, "contracts").get_by_role("link").first.click()
    page.get_by_label("Data oceny realizacji").fill(
        (today + timedelta(days=60)).strftime("%d.%m.%Y")
    )
    page.get_by_role("button", name="Zapisz").click()
    page.goto("/")
    assert _card(page, "contracts").count() == 0

    # Goal: assessed as achieved.
    _card(page, "goals").get_by_role("link").first.click()
    page.locator("select[name='goals-0-achieved']").select_option("true")
    page.locator("input[name='goals-0-achieved_date']").fill(today.strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Zapisz").click()
    page.goto("/")
    assert _card(page, "goals").count() == 0

    # Follow-up after leaving: recorded.
    _card(page, "follow-ups").get_by_role("link").first.click()
    page.get_by_label("zatrudnienie", exact=False).first.check()
    page.get_by_label("Źródło").select_option("phone")
    page.get_by_role("button", name="Zapisz").click()
    page.goto("/")
    assert _card(page, "follow-ups").count() == 0

    # Low attendance: the grid, where the completion is recorded.
    _card(page, "low-attendance").get_by_role("link").first.click()
    page.locator("input[name=completed_on]").last.fill(today.strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Ukończenie", exact=True).click()
    page.goto("/")
    assert _card(page, "low-attendance").count() == 0

    # Missing monitoring data: the form opens at its EU section; the education entered.
    _card(page, "missing-data").get_by_role("link").first.click()
    page.get_by_label("Wykształcenie").select_option("isced3")
    page.get_by_role("button", name="Zapisz").click()
    page.goto("/")
    assert _card(page, "missing-data").count() == 0, _card(page, "missing-data").inner_text()
    assert page.locator(".todo-none").is_visible()
    screenshot(page, "todo-2-done")
