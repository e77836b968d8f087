"""A manager records an expenditure from the project's page and finds its document
behind the "spent" figure (issue 17, point 10), in a real browser; axe on both pages."""

from datetime import date
from decimal import Decimal

from kis.tests.browser.conftest import BROWSER_TEST, axe_violations, login, screenshot
from projects.models import Expenditure
from projects.tests.factories import BudgetLineFactory, ProjectFactory, category

pytestmark = BROWSER_TEST


def test_manager_records_an_expenditure_and_finds_its_document(page, manager):
    from django.utils import timezone

    year = timezone.localdate().year
    project = ProjectFactory(
        title="Aktywni", start_date=date(year, 1, 1), end_date=date(year, 12, 31)
    )
    BudgetLineFactory(
        project=project, year=year, category=category(1), planned_amount=Decimal("5000")
    )
    login(page, manager.username)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Dodaj wydatek").first.click()
    page.get_by_label("Numer dokumentu").fill("FV/7/2026")
    page.get_by_label("Kategoria").select_option(str(category(1).pk))
    page.get_by_label("Kwota").fill("1234,56")
    page.get_by_label("Źródło finansowania").select_option("eu")
    assert axe_violations(page) == []
    screenshot(page, "expenditure-form")
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_text("Wydatek na kwotę 1\xa0234,56\xa0zł został zapisany.").wait_for()
    assert Expenditure.objects.get(document_number="FV/7/2026").amount == Decimal("1234.56")
    # The "spent" figure of the category opens its documents.
    page.locator(".budget-year tbody a").first.click()
    page.get_by_role("link", name="FV/7/2026").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "expenditure-documents")
