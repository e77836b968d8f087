"""Issue 17 in a real browser: amounts typed the Polish way (point 2)."""

import re
from datetime import date
from decimal import Decimal

from kis.tests.browser.conftest import BROWSER_TEST, axe_violations, login, screenshot
from participants.tests.support_factories import ActivityFactory
from projects.models import BudgetLine, Indicator, IndicatorValue
from projects.tests.factories import IndicatorFactory, ProjectFactory, category

pytestmark = BROWSER_TEST

SPELLINGS = ["899 346,16", "899346,16", "899346.16"]


def test_three_spellings_of_an_amount_give_the_same_value_in_admin_and_in_the_app(
    page, administrator, manager
):
    project = ProjectFactory(
        total_value=Decimal("2698038.48"),
        cofinancing=Decimal("2293332.69"),
        own_contribution=Decimal("404705.79"),
    )
    login(page, administrator.username)
    for year, spelling in zip((2016, 2017, 2018), SPELLINGS, strict=True):
        page.goto("/admin/projects/budgetline/add/")
        page.locator("#id_project").select_option(str(project.pk))
        page.locator("#id_year").fill(str(year))
        page.locator("#id_category").select_option(str(category(1).pk))
        page.locator("#id_planned_amount").fill(spelling)
        page.get_by_role("button", name="Zapisz i kontynuuj edycję").click()
        page.wait_for_url("**/change/")
        # Shown back formatted, as it is printed everywhere else.
        assert page.locator("#id_planned_amount").input_value() == "899\xa0346,16"
    assert set(BudgetLine.objects.values_list("planned_amount", flat=True)) == {
        Decimal("899346.16")
    }
    screenshot(page, "day-2-admin-amount-formatted")
    # Ambiguous: refused next to the field, in Polish.
    page.goto("/admin/projects/budgetline/add/")
    page.locator("#id_project").select_option(str(project.pk))
    page.locator("#id_year").fill("2019")
    page.locator("#id_category").select_option(str(category(1).pk))
    page.locator("#id_planned_amount").fill("1.234")
    page.get_by_role("button", name="Zapisz", exact=True).click()
    assert "można odczytać na dwa sposoby" in page.locator(".errorlist").first.inner_text()
    screenshot(page, "day-2-admin-amount-ambiguous")

    indicator = IndicatorFactory(
        project=project, unit=Indicator.Unit.HOURS, target_total=Decimal("900000")
    )
    page.context.clear_cookies()
    login(page, manager.username)
    url = f"/projects/{project.pk}/indicators/{indicator.pk}/values/new/"
    for spelling in SPELLINGS:
        page.goto(url)
        page.locator("#id_date").fill("30.06.2017")
        page.locator("#id_value_total").fill(spelling)
        page.locator("#id_source").fill("Zestawienie godzin")
        page.get_by_role("button", name="Zapisz").click()
        page.wait_for_url(f"**/projects/{project.pk}/**")
    assert (
        list(IndicatorValue.objects.values_list("value_total", flat=True))
        == [Decimal("899346.16")] * 3
    )
    edit = IndicatorValue.objects.first()
    page.goto(f"/projects/{project.pk}/indicator-values/{edit.pk}/")
    assert page.locator("#id_value_total").input_value() == "899\xa0346,16"
    screenshot(page, "day-2-app-amount-formatted")


def _both_sizes(page, name: str) -> None:
    """Screenshots at the desk (1366×900) and on a tablet (768×1024)."""
    for width, height in ((1366, 900), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_weekly_series_skips_11_november_and_says_so(page, caseworker, caseworkers_see_all):
    activity = ActivityFactory(start_date=date(2026, 9, 1), end_date=date(2027, 6, 30))
    login(page, caseworker.username)
    page.goto(f"/participants/activities/{activity.pk}/")
    page.get_by_role("link", name="Cykl spotkań").click()
    page.locator("#id_first_date").fill("02.11.2026")
    page.get_by_label("Środa").check()
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_duration_hours").fill("1,5")
    page.get_by_label("co tydzień").check()
    page.locator("#id_weeks").fill("3")
    _both_sizes(page, "day-8-series-form")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url(f"**/activities/{activity.pk}/")
    assert "Dodano 2 spotkania" in page.content()
    info = page.get_by_text("Pominięto dni ustawowo wolne od pracy")
    assert "11.11.2026 (Narodowe Święto Niepodległości)" in info.inner_text()
    assert sorted(activity.sessions.values_list("date", flat=True)) == [
        date(2026, 11, 4),
        date(2026, 11, 18),
    ]
    _both_sizes(page, "day-8-series-skipped")


def test_a_session_expired_mid_form_keeps_the_data(page, caseworker, monkeypatch):
    """Point 1: the warning before the end, the session kept while typing, and a form
    sent after the end filled in again after the login."""
    from kis import sessions
    from participants.models import Participant

    clock = {"now": 1_800_000_000}
    monkeypatch.setattr(sessions, "_now", lambda: clock["now"])
    page.clock.install()
    login(page, caseworker.username)
    page.goto("/participants/new/")
    page.locator("#id_first_name").fill("Łucja")
    page.locator("#id_last_name").fill("Wójcik")
    page.locator("#id_pesel").fill("02270803624")
    page.locator("#id_legal_basis").select_option(index=1)

    # The typing above is reported within a minute (the server's clock stands still:
    # nothing to extend yet); then 28½ minutes without a keystroke: the warning.
    with page.expect_response("**/session/keepalive/"):
        page.clock.run_for(65_000)
    clock["now"] += 28 * 60 + 30
    page.clock.run_for(28 * 60 * 1000 + 10_000)
    warning = page.locator("#kis-session-warning")
    warning.wait_for(state="visible")
    assert "Sesja wygaśnie za 2 min" in warning.inner_text()
    _both_sizes(page, "day-1-session-warning")
    assert axe_violations(page) == []
    # Typing extends the session (one request, the server marks it as seen).
    page.locator("#id_first_name").press("End")
    with page.expect_response("**/session/keepalive/"):
        page.keyboard.type(" ")
        page.keyboard.press("Backspace")
    warning.wait_for(state="hidden")

    # Then a long conversation: the session ends before the form is sent.
    clock["now"] += 31 * 60
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url("**/accounts/login/**")
    assert "dane zostały zachowane" in page.locator(".messages").inner_text()
    assert not Participant.objects.exists()
    _both_sizes(page, "day-1-session-ended-login")
    page.get_by_label("Nazwa użytkownika").fill(caseworker.username)
    page.get_by_label("Hasło").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/participants/new/**")
    assert "Sesja wygasła — Twoje dane zostały zachowane" in page.locator(".messages").inner_text()
    assert page.locator("#id_first_name").input_value() == "Łucja"
    assert page.locator("#id_last_name").input_value() == "Wójcik"
    assert page.locator("#id_pesel").input_value() == "02270803624"
    assert page.locator("#id_legal_basis").input_value() != ""
    assert "kis_restore" not in page.url
    _both_sizes(page, "day-1-form-restored")
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_text("Uczestnik został zarejestrowany.").wait_for()
    assert Participant.objects.get().last_name == "Wójcik"


def test_header_search_card_flag_and_roll_call_targets(page, caseworker, caseworkers_see_all):
    """Point 12: a person found from any page; the card's flag; 44 px roll call cells."""
    from datetime import time as clock_time

    from participants.models import Attendance, Session
    from participants.tests.factories import ParticipantFactory
    from participants.tests.support_factories import assign

    activity = ActivityFactory(start_date=date(2017, 1, 2), end_date=date(2017, 6, 30))
    person = assign(activity, ParticipantFactory(first_name="Halina", last_name="Zawadzka"))
    others = [assign(activity).participant for _ in range(3)]
    sessions = [
        Session.objects.create(
            activity=activity,
            date=date(2017, 3, day),
            start_time=clock_time(10),
            duration_hours=Decimal("2"),
        )
        for day in (1, 2, 3)
    ]
    for session in sessions[:2]:
        Attendance.objects.create(
            session=session,
            participant=person.participant,
            status="present" if session is sessions[0] else "absent",
        )
    login(page, caseworker.username)
    page.goto("/participants/activities/")
    search = page.get_by_role("search")
    search.get_by_label("Znajdź osobę", exact=True).fill("zawadzka")
    search.get_by_role("button", name="Znajdź").click()
    page.get_by_role("link", name=re.compile("Zawadzka")).first.click()
    assert "poniżej 80" in page.locator(".participant-activities").inner_text()
    _both_sizes(page, "day-12-card-attendance-flag")

    page.goto(f"/participants/activities/sessions/{sessions[2].pk}/")
    cell = page.locator(f"label[for=mark-{others[0].pk}-absent]")
    box = cell.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    # A tap near the cell's edge, away from the radio itself, marks.
    page.mouse.click(box["x"] + 3, box["y"] + 3)
    assert page.locator(f"#mark-{others[0].pk}-absent").is_checked()
    _both_sizes(page, "day-12-roll-call")


def test_goal_rows_are_added_without_saving_first(page, caseworker, caseworkers_see_all):
    """Point 6: the action plan's goals, as many as needed, in one save."""
    from participants.models import Diagnosis
    from participants.tests.factories import ParticipantFactory

    person = ParticipantFactory()
    login(page, caseworker.username)
    page.goto(f"/participants/{person.pk}/diagnoses/new/")
    page.locator("#id_date").fill("10.09.2026")
    page.locator("#id_needs").fill("Brak kwalifikacji")
    add = page.get_by_role("button", name="Dodaj cel")
    for _ in range(2):
        add.click()
    assert page.locator(".goal-form").count() == 4
    # The new row's first field has the focus.
    assert page.evaluate("document.activeElement.id") == "id_goals-3-description"
    for i, text in enumerate(["Kurs", "Staż", "Praca", "Mieszkanie"]):
        page.locator(f"#id_goals-{i}-description").fill(text)
    _both_sizes(page, "day-6-goal-rows")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url(f"**/participants/{person.pk}/**")
    diagnosis = Diagnosis.objects.get()
    assert sorted(diagnosis.goals.values_list("description", flat=True)) == [
        "Kurs",
        "Mieszkanie",
        "Praca",
        "Staż",
    ]
