"""Reads of projects and budgets. Totals come from SQL aggregates; Python only joins
the grouped results (a handful of rows per year and category) and divides."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.functional import Promise

from kis.lib.numbers import percentage
from projects.models import (
    ZERO,
    BudgetLine,
    Expenditure,
    Organisation,
    Project,
    ProjectStaff,
)

MONEY_FIELD: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=14, decimal_places=2)


def execution_percent(spent: Decimal | None, planned: Decimal | None) -> Decimal | None:
    """Spent as a percentage of planned, to two decimals rounded half up; None when
    nothing is planned."""
    return percentage(spent, planned)


@dataclass
class ExecutionRow:
    category: str
    planned: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def percent(self) -> Decimal | None:
        return execution_percent(self.spent, self.planned)

    @property
    def overspent(self) -> bool:
        return self.spent > self.planned


@dataclass
class SourceRow:
    source: str
    label: str | Promise
    spent: Decimal


@dataclass
class YearExecution:
    year: int
    planned: Decimal = ZERO
    spent: Decimal = ZERO
    rows: list[ExecutionRow] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        return execution_percent(self.spent, self.planned)


@dataclass
class BudgetExecution:
    years: list[YearExecution]
    planned: Decimal
    spent: Decimal
    sources: list[SourceRow]

    @property
    def percent(self) -> Decimal | None:
        return execution_percent(self.spent, self.planned)

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.spent


def _sum(field_name: str) -> Coalesce:
    return Coalesce(Sum(field_name), Value(ZERO), output_field=MONEY_FIELD)


def budget_execution(project: Project, as_of: date | None = None) -> BudgetExecution:
    """Planned vs spent per year and category, spending per source per year, totals;
    with `as_of`, only what was spent up to that day (a report's "spent so far").

    A fixed number of queries whatever the number of lines and expenditures."""
    lines = BudgetLine.objects.filter(project=project)
    expenditures = Expenditure.objects.filter(project=project)
    if as_of is not None:
        expenditures = expenditures.filter(date__lte=as_of)
    spending = expenditures.annotate(year=ExtractYear("date"))
    category_key = ("category__order", "category__name")

    planned_cells = lines.values("year", *category_key).annotate(amount=_sum("planned_amount"))
    spent_cells = spending.values("year", *category_key).annotate(amount=_sum("amount"))
    source_cells = spending.values("year", "source").annotate(amount=_sum("amount"))
    planned_years = dict(lines.values_list("year").annotate(amount=_sum("planned_amount")))
    spent_years = dict(spending.values_list("year").annotate(amount=_sum("amount")))
    totals = {
        "planned": lines.aggregate(amount=_sum("planned_amount"))["amount"],
        "spent": expenditures.aggregate(amount=_sum("amount"))["amount"],
    }
    total_sources = expenditures.values("source").annotate(amount=_sum("amount"))

    labels = dict(Expenditure.Source.choices)
    years = {
        year: YearExecution(year, planned_years.get(year, ZERO), spent_years.get(year, ZERO))
        for year in sorted(set(project.years()) | set(planned_years) | set(spent_years))
    }
    cells: dict[tuple, ExecutionRow] = {}
    for cell in planned_cells:
        key = (cell["year"], cell["category__order"], cell["category__name"])
        cells[key] = ExecutionRow(cell["category__name"], planned=cell["amount"])
    for cell in spent_cells:
        key = (cell["year"], cell["category__order"], cell["category__name"])
        cells.setdefault(key, ExecutionRow(cell["category__name"])).spent = cell["amount"]
    for (year, _order, _name), row in sorted(cells.items()):
        years[year].rows.append(row)
    source_order = list(labels)
    for cell in sorted(source_cells, key=lambda c: (c["year"], source_order.index(c["source"]))):
        years[cell["year"]].sources.append(
            SourceRow(cell["source"], labels[cell["source"]], cell["amount"])
        )
    sources = [
        SourceRow(c["source"], labels[c["source"]], c["amount"])
        for c in sorted(total_sources, key=lambda c: source_order.index(c["source"]))
    ]
    return BudgetExecution(list(years.values()), totals["planned"], totals["spent"], sources)


def project_list() -> QuerySet[Project]:
    """Projects with their programme and budget totals (two subqueries, no joins that
    would multiply rows)."""
    planned = (
        BudgetLine.objects.filter(project=OuterRef("pk"))
        .values("project")
        .annotate(amount=Sum("planned_amount"))
        .values("amount")
    )
    spent = (
        Expenditure.objects.filter(project=OuterRef("pk"))
        .values("project")
        .annotate(amount=Sum("amount"))
        .values("amount")
    )
    return Project.objects.select_related("programme").annotate(
        planned_total=Coalesce(Subquery(planned, output_field=MONEY_FIELD), Value(ZERO)),
        spent_total=Coalesce(Subquery(spent, output_field=MONEY_FIELD), Value(ZERO)),
    )


def project_team(project: Project) -> QuerySet[ProjectStaff]:
    return project.assignments.select_related("staff_member")


def organisation_get() -> Organisation | None:
    return Organisation.objects.first()


def letterhead() -> dict:
    """What heads every page and paper: the centre, the club and (for PDFs, read from
    disk because the renderer fetches nothing over the network) the logo."""
    from pathlib import Path

    from django.conf import settings

    organisation = organisation_get()
    logo = organisation.logo if organisation and organisation.logo else None
    return {
        "organisation": organisation,
        "centre_name": organisation.name if organisation else "",
        "club_name": organisation.club_name if organisation else settings.KIS_CLUB_NAME,
        "logo_url": Path(logo.path).as_uri() if logo and Path(logo.path).is_file() else "",
    }
