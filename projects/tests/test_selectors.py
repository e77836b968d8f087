"""Budget execution figures on data built here, with known answers from the seeds."""

from datetime import date
from decimal import Decimal

import pytest

from projects.models import Expenditure
from projects.selectors import budget_execution, project_list
from projects.tests.factories import (
    BudgetLineFactory,
    ExpenditureFactory,
    ProjectFactory,
    category,
)

pytestmark = pytest.mark.django_db
EU, MUNICIPALITY = Expenditure.Source.EU, Expenditure.Source.MUNICIPALITY

# Brzeszcze 2014: six categories spent 207 209,61 zł of 231 895,59 zł planned. Two
# amounts lost digits in the OCR ("29 72,55", "17 19 05"); these fill them so that the
# six add up to the stated total.
BRZESZCZE_SPENT = ["53074.15", "46823.15", "29171.62", "31329.09", "29672.55", "17139.05"]
BRZESZCZE_PLANNED = ["58000.00", "52000.00", "33000.00", "36000.00", "33895.59", "19000.00"]


@pytest.fixture
def brzeszcze_2014():
    project = ProjectFactory(
        start_date=date(2014, 1, 1),
        end_date=date(2015, 6, 30),
        total_value=Decimal("300000.00"),
        cofinancing=Decimal("255000.00"),
        own_contribution=Decimal("45000.00"),
    )
    for order, (planned, spent) in enumerate(
        zip(BRZESZCZE_PLANNED, BRZESZCZE_SPENT, strict=True), 1
    ):
        BudgetLineFactory(
            project=project, category=category(order), year=2014, planned_amount=Decimal(planned)
        )
        # Split each category's spending into two documents and two sources.
        first = (Decimal(spent) / 3).quantize(Decimal("0.01"))
        ExpenditureFactory(
            project=project,
            category=category(order),
            date=date(2014, 3, 10),
            amount=first,
            source=EU,
        )
        ExpenditureFactory(
            project=project,
            category=category(order),
            date=date(2014, 11, 20),
            amount=Decimal(spent) - first,
            source=MUNICIPALITY,
        )
    return project


def test_brzeszcze_year_adds_up(brzeszcze_2014):
    execution = budget_execution(brzeszcze_2014)
    year = execution.years[0]
    assert year.year == 2014
    assert year.spent == Decimal("207209.61")
    assert year.planned == Decimal("231895.59")
    assert year.percent == Decimal("89.35")
    assert [row.spent for row in year.rows] == [Decimal(s) for s in BRZESZCZE_SPENT]
    assert [row.category for row in year.rows][0] == "Aktywna integracja"
    assert year.rows[0].percent == Decimal("91.51")
    # 2015 is a project year without money yet.
    assert execution.years[1].year == 2015
    assert execution.years[1].spent == Decimal("0")
    assert execution.years[1].rows == []
    assert execution.spent == Decimal("207209.61")
    assert sum(s.spent for s in year.sources) == Decimal("207209.61")


def test_krzeszowice_2017_spending_by_source():
    project = ProjectFactory()  # 01.06.2016 – 31.05.2019
    BudgetLineFactory(
        project=project, category=category(1), year=2017, planned_amount=Decimal("360000.00")
    )
    ExpenditureFactory(
        project=project, date=date(2017, 2, 1), amount=Decimal("150000.00"), source=EU
    )
    ExpenditureFactory(
        project=project, date=date(2017, 8, 1), amount=Decimal("157882.81"), source=EU
    )
    ExpenditureFactory(
        project=project, date=date(2017, 12, 1), amount=Decimal("45600.00"), source=MUNICIPALITY
    )
    ExpenditureFactory(project=project, date=date(2018, 1, 2), amount=Decimal("1.00"), source=EU)
    execution = budget_execution(project)
    year_2017 = next(y for y in execution.years if y.year == 2017)
    assert year_2017.spent == Decimal("353482.81")
    assert [(s.source, s.spent) for s in year_2017.sources] == [
        ("eu", Decimal("307882.81")),
        ("municipality", Decimal("45600.00")),
    ]
    assert [y.year for y in execution.years] == [2016, 2017, 2018, 2019]
    assert execution.spent == Decimal("353483.81")
    assert [(s.source, s.spent) for s in execution.sources] == [
        ("eu", Decimal("307883.81")),
        ("municipality", Decimal("45600.00")),
    ]


def test_spending_without_a_plan_shows_as_overspent():
    project = ProjectFactory()
    ExpenditureFactory(
        project=project, category=category(3), date=date(2018, 4, 4), amount=Decimal("12.34")
    )
    year = next(y for y in budget_execution(project).years if y.year == 2018)
    assert len(year.rows) == 1
    row = year.rows[0]
    assert (row.planned, row.spent, row.overspent, row.percent) == (
        Decimal("0"),
        Decimal("12.34"),
        True,
        None,
    )


def test_other_projects_do_not_leak_into_the_execution():
    project, other = ProjectFactory(), ProjectFactory()
    BudgetLineFactory(project=other, planned_amount=Decimal("999.00"))
    ExpenditureFactory(project=other, amount=Decimal("500.00"))
    execution = budget_execution(project)
    assert execution.planned == execution.spent == Decimal("0")


def test_budget_execution_query_count_does_not_grow(django_assert_num_queries):
    small, large = ProjectFactory(), ProjectFactory()
    BudgetLineFactory(project=small)
    ExpenditureFactory(project=small)
    for year in (2016, 2017, 2018, 2019):
        for order in range(1, 7):
            BudgetLineFactory(project=large, year=year, category=category(order))
            for month in (1, 6, 9):
                day = date(year, month if year not in (2016, 2019) else 3 if year == 2019 else 7, 1)
                ExpenditureFactory(project=large, category=category(order), date=day)
    with django_assert_num_queries(8):
        budget_execution(small)
    with django_assert_num_queries(8):
        budget_execution(large)


def test_project_list_totals(brzeszcze_2014):
    ProjectFactory()
    row = project_list().get(pk=brzeszcze_2014.pk)
    assert row.spent_total == Decimal("207209.61")
    assert row.planned_total == Decimal("231895.59")
    empty = project_list().exclude(pk=brzeszcze_2014.pk).get()
    assert empty.spent_total == Decimal("0") and empty.planned_total == Decimal("0")
