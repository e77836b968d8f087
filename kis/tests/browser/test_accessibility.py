"""axe-core on every main page: no serious or critical WCAG 2.1 A/AA violations."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kis.tests.browser.conftest import BROWSER_TEST, axe_violations, login, screenshot
from participants.models import ActivityParticipant, Session
from participants.services.people import enrolment_event_record
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.outcome_factories import fill, make_questionnaire
from participants.tests.support_factories import ActivityFactory, ShortContactFactory, support_form
from projects.tests.factories import (
    BudgetLineFactory,
    ExpenditureFactory,
    IndicatorFactory,
    OrganisationFactory,
    ProjectFactory,
)

pytestmark = BROWSER_TEST


@pytest.fixture
def data(caseworker, manager):
    OrganisationFactory()
    today = timezone.localdate()
    project = ProjectFactory(
        start_date=today - timedelta(days=400), end_date=today + timedelta(days=400)
    )
    IndicatorFactory(project=project, measure="participants")
    BudgetLineFactory(project=project, year=today.year, planned_amount=Decimal("1000"))
    ExpenditureFactory(project=project, date=today - timedelta(days=1), amount=Decimal("250.50"))
    person = ParticipantFactory(first_name="Łucja", last_name="Wójcik")
    EnrolmentFactory(participant=person, project=project, start_date=today - timedelta(days=30))
    activity = ActivityFactory(
        project=project, start_date=today - timedelta(days=60), end_date=today + timedelta(days=60)
    )
    ActivityParticipant.objects.create(activity=activity, participant=person)
    session = Session.objects.create(
        activity=activity,
        date=today - timedelta(days=1),
        start_time=time(16),
        duration_hours=Decimal("3.5"),
    )
    # Outcomes: a questionnaire of the project, a person who left 5 weeks ago (his 4-week
    # follow-up overdue), an indicator entered by hand.
    questionnaire = make_questionnaire(projects=[project])
    fill(person.enrolments.get(), questionnaire, "entry", today - timedelta(days=29), [2, 4, 3])
    leaver = EnrolmentFactory(
        participant=ParticipantFactory(first_name="Jerzy", last_name="Żak", sex="M", pesel=""),
        project=project,
        start_date=today - timedelta(days=90),
    )
    enrolment_event_record(
        enrolment=leaver, kind="completed", date=today - timedelta(days=35), recorded_by=None
    )
    manual = IndicatorFactory(project=project, name="Uzyskanie kwalifikacji")
    ShortContactFactory(participant=person, date=today - timedelta(days=2), project=project)
    care = ActivityFactory(
        project=project,
        support_form=support_form("punkt opieki nad osobami zależnymi"),
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=60),
    )
    ActivityParticipant.objects.create(activity=care, participant=person)
    care_session = Session.objects.create(
        activity=care, date=today - timedelta(days=1), start_time=time(9), duration_hours=4
    )
    return {
        "project": project,
        "person": person,
        "activity": activity,
        "session": session,
        "questionnaire": questionnaire,
        "leaver": leaver,
        "manual": manual,
        "care_session": care_session,
    }


def _check(page, path: str, name: str) -> None:
    page.goto(path)
    screenshot(page, f"a11y-{name}")
    violations = axe_violations(page)
    assert violations == [], f"{path}: {violations}"


def test_login_page_is_accessible(page):
    _check(page, "/accounts/login/", "login")
    page.get_by_role("button", name="Zaloguj się").click()  # errors shown
    _check(page, "/accounts/login/", "login-errors")


def test_caseworker_pages_are_accessible(page, caseworker, data, caseworkers_see_all):
    # Seeing everybody: otherwise the card, the grid and the roll calls are 404 pages.
    login(page, caseworker.username)
    person, leaver, questionnaire = data["person"], data["leaver"], data["questionnaire"]
    enrolment = person.enrolments.get()
    for path, name in [
        ("/", "dashboard-caseworker"),
        ("/participants/", "participant-list"),
        (f"/participants/{data['person'].pk}/", "participant-card"),
        ("/participants/new/", "participant-form"),
        ("/participants/activities/", "activity-list"),
        (f"/participants/activities/{data['activity'].pk}/", "activity-grid"),
        (f"/participants/activities/sessions/{data['session'].pk}/", "roll-call"),
        (f"/participants/activities/sessions/{data['session'].pk}/signed-list/", "signed-list"),
        (f"/participants/activities/{data['activity'].pk}/signed-lists/", "signed-lists-check"),
        (f"/participants/activities/sessions/{data['care_session'].pk}/", "roll-call-care"),
        (f"/participants/{data['person'].pk}/contacts/new/", "short-contact-form"),
        ("/participants/events/", "events"),
        ("/projects/", "project-list"),
        (f"/projects/{data['project'].pk}/", "project-caseworker"),
        ("/accessibility/", "accessibility-statement"),
        ("/participants/follow-ups/", "follow-up-list"),
        (
            f"/participants/{leaver.participant_id}/enrolments/{leaver.pk}/follow-ups/new/?kind=4w",
            "follow-up-form",
        ),
        (f"/participants/{leaver.participant_id}/", "participant-card-after-leaving"),
        (
            f"/participants/{person.pk}/enrolments/{enrolment.pk}/questionnaires/"
            f"{questionnaire.pk}/entry/",
            "questionnaire-form",
        ),
    ]:
        _check(page, path, name)
    # A form with errors shown.
    page.goto("/participants/new/")
    page.get_by_label("PESEL").fill("12345678901")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_selector(".invalid-feedback")
    screenshot(page, "a11y-participant-form-errors")
    assert axe_violations(page) == []


def test_manager_pages_are_accessible(page, manager, data):
    login(page, manager.username)
    year = timezone.localdate().year
    person = data["person"]
    twin = ParticipantFactory(
        first_name="Lucja", last_name="Wojcik", pesel="", birth_date=person.birth_date
    )
    for path, name in [
        ("/", "dashboard-manager"),
        (f"/projects/{data['project'].pk}/", "project-manager"),
        (
            f"/projects/{data['project'].pk}/indicators/{data['manual'].pk}/values/new/",
            "indicator-value-form",
        ),
        ("/reports/", "reports"),
        (f"/reports/annual/{year}/", "annual-summary"),
        (f"/reports/projects/{data['project'].pk}/", "project-report"),
        (f"/reports/statutory/{year}/", "statutory-report"),
        ("/participants/duplicates/", "duplicates"),
        (f"/audit/?participant={person.pk}", "audit"),
        (f"/participants/merge/{person.pk}/{twin.pk}/", "merge"),
    ]:
        _check(page, path, name)


def test_admin_change_forms_are_accessible(page, administrator, data):
    """The administration's project and participant pages (with their inlines), the
    user's page with the staff link, and the sidebar: no serious or critical findings."""
    login(page, administrator.username)
    project, person = data["project"], data["person"]
    for path, name in [
        ("/admin/", "admin-index"),
        (f"/admin/projects/project/{project.pk}/change/", "admin-project"),
        (f"/admin/participants/participant/{person.pk}/change/", "admin-participant"),
        (f"/admin/auth/user/{administrator.pk}/change/", "admin-user"),
        ("/admin/projects/project/add/", "admin-project-add"),
    ]:
        _check(page, path, name)
