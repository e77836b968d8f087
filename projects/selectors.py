"""Reads of projects and budgets. Totals come from SQL aggregates; Python only joins
the grouped results (a handful of rows per year and category) and divides."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.fields.files import FieldFile
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
    category_id: int | None = None  # the link to the documents behind "spent"

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
    category_key = ("category__order", "category__name", "category_id")

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
        key = (cell["year"], cell["category__order"], cell["category__name"], cell["category_id"])
        cells[key] = ExecutionRow(
            cell["category__name"], planned=cell["amount"], category_id=cell["category_id"]
        )
    for cell in spent_cells:
        key = (cell["year"], cell["category__order"], cell["category__name"], cell["category_id"])
        row = cells.setdefault(
            key, ExecutionRow(cell["category__name"], category_id=cell["category_id"])
        )
        row.spent = cell["amount"]
    for (year, _order, _name, _id), row in sorted(cells.items()):
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


def _file_uri(image: FieldFile | None) -> str:
    """A stored image as a file:// address for the PDF renderer, which fetches nothing
    over the network; "" when there is none or its file is missing."""
    from pathlib import Path

    if not image:
        return ""
    path = Path(image.path)
    return path.as_uri() if path.is_file() else ""


def letterhead(project: Project | None = None) -> dict:
    """What heads every page and paper: the centre, the club and (for PDFs, read from
    disk because the renderer fetches nothing over the network) the logo; for a paper of
    a project, the project's funding logo strip (its own or its programme's), which an
    EU-funded project must carry on every document given to participants."""
    from django.conf import settings

    organisation = organisation_get()
    return {
        "organisation": organisation,
        "centre_name": organisation.name if organisation else "",
        "club_name": organisation.club_name if organisation else settings.KIS_CLUB_NAME,
        "logo_url": _file_uri(organisation.logo if organisation else None),
        "funding_strip_url": _file_uri(project.funding_strip) if project is not None else "",
    }


@dataclass
class ExpenditureDocuments:
    """The documents behind one "spent" figure of the budget execution (a year, a
    category, a source or the whole project) and their total, summed in SQL."""

    rows: QuerySet[Expenditure]
    total: Decimal
    count: int


def expenditure_documents(
    project: Project,
    *,
    year: int | None = None,
    category_id: int | None = None,
    source: str | None = None,
) -> ExpenditureDocuments:
    """The expenditures of a project, narrowed like the figure they make up (the same
    rows `budget_execution` sums), newest first; two queries whatever their number."""
    rows = Expenditure.objects.filter(project=project).select_related("category")
    if year is not None:
        rows = rows.filter(date__year=year)
    if category_id is not None:
        rows = rows.filter(category_id=category_id)
    if source:
        rows = rows.filter(source=source)
    totals = rows.aggregate(amount=_sum("amount"), count=Count("pk"))
    return ExpenditureDocuments(rows.order_by("-date", "-pk"), totals["amount"], totals["count"])


def projects_past_end(today: date) -> QuerySet[Project]:
    """Projects whose end date has passed but which are still marked in progress (or
    planned): their status should say finished (the manager's dashboard)."""
    return Project.objects.filter(
        end_date__lt=today, status__in=[Project.Status.PLANNED, Project.Status.ACTIVE]
    ).order_by("end_date", "pk")


def year_passed(today: date) -> Decimal | None:
    """How much of the calendar year has passed by the end of `today`, in per cent (to
    two places, rounded half up): next to the budget executed so far."""
    first = date(today.year, 1, 1)
    days = (date(today.year + 1, 1, 1) - first).days
    return execution_percent(Decimal((today - first).days + 1), Decimal(days))
