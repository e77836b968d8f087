"""A manager opens a figure of the annual summary and finds the people it counts under
its definition, then the expenditure documents behind the money (issue 19), in a real
browser; axe on each page."""

from kis.tests.browser.conftest import BROWSER_TEST, axe_violations, login, screenshot
from reports.tests.scenario import build_2014

pytestmark = BROWSER_TEST


def test_manager_opens_the_people_behind_a_figure(page, manager):
    build_2014()
    login(page, manager.username)
    page.goto("/reports/annual/2014/")
    assert axe_violations(page) == []
    screenshot(page, "annual-with-figures")
    page.locator("td.fig-served a.figure").click()
    page.locator("table.figure-list").wait_for()
    assert "Osoby korzystające z usług Klubu" in page.locator("h1").inner_text()
    assert page.locator("table.figure-list tbody tr").count() == 8
    assert "Definicja" in page.locator(".figure-definition").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "figure-people")
    page.goto("/reports/annual/2014/")
    page.locator("td.fig-spent a.figure").click()
    page.get_by_role("columnheader", name="Numer dokumentu").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "figure-expenditures")
