"""Writes of the centre, programmes, projects (indicators, budgets, spending, team) and
staff: each checks the user's permission (None: the application itself), validates
(model rules, database constraints and the rules across records below) and saves
atomically. The admin, the demo and any import write through these."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kis.lib.formats import format_money, format_percent
from kis.lib.services import Actor, delete_checked, permission_check
from projects.models import (
    BudgetCategory,
    BudgetLine,
    Expenditure,
    FundingProgramme,
    Indicator,
    IndicatorValue,
    Organisation,
    Project,
    ProjectStaff,
    StaffMember,
)
from projects.selectors import budget_execution


def _perm(obj: Model, action_if_new: str = "add") -> str:
    """The permission to save `obj`: add for a new record, change for an existing one."""
    action = "change" if obj.pk is not None and not obj._state.adding else action_if_new
    return f"{obj._meta.app_label}.{action}_{obj._meta.model_name}"


def _delete_perm(obj: Model) -> str:
    return f"{obj._meta.app_label}.delete_{obj._meta.model_name}"


@transaction.atomic
def organisation_save(*, organisation: Organisation, user: Actor = None) -> Organisation:
    """The centre's and club's profile (one record: it heads every page and report)."""
    permission_check(user, _perm(organisation))
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def programme_save(*, programme: FundingProgramme, user: Actor = None) -> FundingProgramme:
    """Save a funding programme. A maximum co-financing rate below what its projects
    already have is refused: their figures would no longer be valid."""
    permission_check(user, _perm(programme))
    programme.full_clean()
    rate = programme.max_cofinancing_rate
    if programme.pk is not None and rate is not None:
        over = [
            p
            for p in Project.objects.filter(programme_id=programme.pk).order_by("title")
            if p.total_value and p.cofinancing * 100 > p.total_value * rate
        ]
        if over:
            raise ValidationError(
                {
                    "max_cofinancing_rate": _(
                        "Projects of this programme already have a higher co-financing rate "
                        "than %(rate)s: %(projects)s."
                    )
                    % {
                        "rate": format_percent(rate),
                        "projects": ", ".join(
                            f"{p.title} ({format_percent(p.cofinancing_rate)})" for p in over
                        ),
                    }
                }
            )
    programme.save()
    return programme


@transaction.atomic
def programme_delete(*, programme: FundingProgramme, user: Actor = None) -> None:
    permission_check(user, _delete_perm(programme))
    delete_checked(programme)


def _outside(project: Project) -> dict[str, list[str]]:
    """What of the project's records its (changed) dates would leave outside, by the
    date field whose change does it."""
    start, end = project.start_date, project.end_date
    records = {
        "start_date": [
            (_("enrolments"), project.enrolments.filter(start_date__lt=start)),
            (_("activities"), project.activities.filter(start_date__lt=start)),
            (_("expenditures"), project.expenditures.filter(date__lt=start)),
            (_("budget lines"), project.budget_lines.filter(year__lt=start.year)),
        ],
        "end_date": [
            (
                _("enrolments"),
                project.enrolments.filter(Q(start_date__gt=end) | Q(events__date__gt=end)),
            ),
            (_("activities"), project.activities.filter(end_date__gt=end)),
            (_("expenditures"), project.expenditures.filter(date__gt=end)),
            (_("budget lines"), project.budget_lines.filter(year__gt=end.year)),
        ],
    }
    found = {}
    for field, checks in records.items():
        counts = [(label, queryset.distinct().count()) for label, queryset in checks]
        listed = [f"{label}: {count}" for label, count in counts if count]
        if listed:
            found[field] = listed
    return found


@transaction.atomic
def project_save(*, project: Project, user: Actor = None) -> Project:
    """Create or change a project. Dates that would leave its enrolments (and their
    history), activities, expenditures or budget lines outside the project are refused:
    those records are dated within the project, and the reports rely on it."""
    permission_check(user, _perm(project))
    project.full_clean()
    if project.pk is not None and not project._state.adding:
        outside = _outside(project)
        if outside:
            raise ValidationError(
                {
                    field: _(
                        "With these dates some of the project's records would fall outside "
                        "it (%(records)s). Change those records first, or choose dates "
                        "that cover them."
                    )
                    % {"records": ", ".join(listed)}
                    for field, listed in outside.items()
                }
            )
    project.save()
    return project


@transaction.atomic
def project_create(**fields: Any) -> Project:
    """Create a project from its model fields (title, start_date, end_date,
    total_value, cofinancing, own_contribution, …)."""
    return project_save(project=Project(**fields))


@transaction.atomic
def project_delete(*, project: Project, user: Actor = None) -> None:
    """Delete a project; one with enrolments or activities is refused (they protect it)."""
    permission_check(user, _delete_perm(project))
    delete_checked(project)


@transaction.atomic
def indicator_save(*, indicator: Indicator, user: Actor = None) -> Indicator:
    permission_check(user, _perm(indicator))
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user: Actor = None) -> None:
    """Delete an indicator; one with achieved values entered by hand is refused (they
    are a history the centre has reported)."""
    permission_check(user, _delete_perm(indicator))
    delete_checked(indicator)


@transaction.atomic
def indicator_value_save(*, value: IndicatorValue, user: Actor = None) -> IndicatorValue:
    """Enter the achieved value of an indicator measured by hand (with women and men
    when its target is split by sex), as of a day and from a document; or correct one.
    Values are a history: a new value is a new record, the project report shows the
    latest one dated on or before its date. Only for an indicator entered by hand (the
    others are counted by the report itself); the date is not in the future."""
    permission_check(user, _perm(value))
    indicator = Indicator.objects.select_related("project").get(pk=value.indicator_id)
    if indicator.measure != Indicator.Measure.MANUAL:
        raise ValidationError(
            _("This indicator is counted by the report (%(measure)s): no value is entered for it.")
            % {"measure": indicator.get_measure_display()}
        )
    value.indicator = indicator
    if value.date and value.date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if value.pk is None and getattr(user, "is_authenticated", False):
        value.recorded_by = user
    value.full_clean()
    value.save()
    return value


@transaction.atomic
def indicator_value_delete(*, value: IndicatorValue, user: Actor = None) -> None:
    permission_check(user, _delete_perm(value))
    value.delete()


@transaction.atomic
def budget_line_save(*, line: BudgetLine, user: Actor = None) -> BudgetLine:
    """Save the plan of one category in one year (a year of the project's)."""
    permission_check(user, _perm(line))
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def budget_line_set(
    *,
    project: Project,
    category: BudgetCategory,
    year: int,
    planned_amount: Decimal,
    user: Actor = None,
) -> BudgetLine:
    """Create or change the plan of one category in one year."""
    line = BudgetLine.objects.filter(project=project, category=category, year=year).first()
    line = line or BudgetLine(project=project, category=category, year=year)
    line.planned_amount = planned_amount
    return budget_line_save(line=line, user=user)


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, user: Actor = None) -> None:
    permission_check(user, _delete_perm(line))
    line.delete()


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


# Budget lines whose total is further than this share from the project's value are
# pointed out: a decimal comma typed where a thousands separator was meant makes an
# amount 100 times too large (or a line may simply be missing).
PLAN_TOLERANCE = Decimal("0.10")


def budget_plan_warnings(project: Project) -> list[str]:
    """A warning when the project's budget lines together are far (more than
    PLAN_TOLERANCE) from its total value; none without lines or without a value."""
    planned = project.budget_lines.aggregate(total=Sum("planned_amount"))["total"]
    value = project.total_value
    if not planned or not value or abs(planned - value) <= value * PLAN_TOLERANCE:
        return []
    return [
        _(
            "The budget lines add up to %(planned)s, %(share)s of the project's value "
            "(%(value)s): check the amounts."
        )
        % {
            "planned": format_money(planned),
            "share": format_percent(planned * 100 / value),
            "value": format_money(value),
        }
    ]


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
    return expenditure_save(expenditure=expenditure)


@transaction.atomic
def expenditure_save(
    *, expenditure: Expenditure, user: Actor = None
) -> tuple[Expenditure, list[str]]:
    """Record a cost or correct one (see expenditure_create); returns it and the
    warnings of its budget line if overspent (allowed: every real cost is recorded)."""
    permission_check(user, _perm(expenditure))
    expenditure.full_clean()
    expenditure.save()
    return expenditure, overspending_warnings(
        expenditure.project, year=expenditure.date.year, category=expenditure.category
    )


@transaction.atomic
def expenditure_delete(*, expenditure: Expenditure, user: Actor = None) -> None:
    permission_check(user, _delete_perm(expenditure))
    expenditure.delete()


@transaction.atomic
def staff_member_save(*, member: StaffMember, user: Actor = None) -> StaffMember:
    """Save a staff member (one user account belongs to one staff member at most)."""
    permission_check(user, _perm(member))
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def staff_member_delete(*, member: StaffMember, user: Actor = None) -> None:
    """Delete a staff member entered by mistake; one who signed social contracts is
    refused (mark him or her as no longer active instead)."""
    permission_check(user, _delete_perm(member))
    delete_checked(member)


@transaction.atomic
def project_staff_save(*, assignment: ProjectStaff, user: Actor = None) -> ProjectStaff:
    """A staff member's part in a project (at most one per project)."""
    permission_check(user, _perm(assignment))
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def project_staff_delete(*, assignment: ProjectStaff, user: Actor = None) -> None:
    permission_check(user, _delete_perm(assignment))
    assignment.delete()


def staff_active_check(
    *, chosen: Iterable[StaffMember], before: Iterable[StaffMember] = (), field: str = "staff"
) -> None:
    """Only staff members who still work at the centre can be newly named on a record;
    those named before stay (the record's history)."""
    kept = {m.pk for m in before}
    gone = [m for m in chosen if m.pk not in kept and not m.is_active]
    if gone:
        raise ValidationError(
            {
                field: _("Staff members no longer active cannot be chosen: %(names)s.")
                % {"names": ", ".join(m.full_name for m in gone)}
            }
        )
