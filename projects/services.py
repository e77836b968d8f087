"""Writes of projects and budgets: validate (model rules and database constraints),
then save atomically."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kis.lib.formats import format_money
from projects.models import BudgetCategory, BudgetLine, Expenditure, Project
from projects.selectors import budget_execution


@transaction.atomic
def project_create(**fields) -> Project:
    """Create a project from its model fields (title, start_date, end_date,
    total_value, cofinancing, own_contribution, …)."""
    project = Project(**fields)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def budget_line_set(
    *, project: Project, category: BudgetCategory, year: int, planned_amount: Decimal
) -> BudgetLine:
    """Create or change the plan of one category in one year."""
    line = BudgetLine.objects.filter(project=project, category=category, year=year).first()
    line = line or BudgetLine(project=project, category=category, year=year)
    line.planned_amount = planned_amount
    line.full_clean()
    line.save()
    return line


def overspending_warnings(
    project: Project, *, year: int | None = None, category: BudgetCategory | None = None
) -> list[str]:
    """Warnings for the project's overspent budget lines (optionally one year and
    category). Accountants record every real cost, so overspending is allowed and
    shown (here and in the execution table), not refused."""
    warnings = []
    for year_execution in budget_execution(project).years:
        if year is not None and year_execution.year != year:
            continue
        for row in year_execution.rows:
            if row.overspent and (category is None or row.category == category.name):
                warnings.append(
                    _(
                        "%(category)s %(year)s: spent %(spent)s of %(planned)s planned – "
                        "over the plan by %(over)s."
                    )
                    % {
                        "category": row.category,
                        "year": year_execution.year,
                        "spent": format_money(row.spent),
                        "planned": format_money(row.planned),
                        "over": format_money(row.spent - row.planned),
                    }
                )
    return warnings


@transaction.atomic
def expenditure_create(
    *,
    project: Project,
    category: BudgetCategory,
    date: date,
    amount: Decimal,
    source: str,
    document_number: str = "",
    description: str = "",
) -> tuple[Expenditure, list[str]]:
    """Record a cost. Refused (ValidationError) outside the project's dates or when not
    positive; returns the expenditure and warnings if its budget line is overspent."""
    expenditure = Expenditure(
        project=project,
        category=category,
        date=date,
        amount=amount,
        source=source,
        document_number=document_number,
        description=description,
    )
    expenditure.full_clean()
    expenditure.save()
    return expenditure, overspending_warnings(project, year=date.year, category=category)
