"""The list behind a report figure (reports.figures): the same records the figure counts,
one row each, with the columns of their kind. Access rules: a record of a person the
user may not open stays in the list (so the rows still add up to the figure) but shows
"person without access" instead of any of the person's data; on the page a person the
user may open links to the card. In the workbook, people whose processing is restricted
are shown the same way (exports never name them), and are still counted."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kis.lib.spreadsheet import DATE, HOURS, INTEGER, MONEY, TEXT, Column, WorkbookBuilder
from participants.access import participants_for, sees_everybody
from participants.models import Participant
from reports.figures import Figure, Scope

NO_ACCESS = _("person without access")
RESTRICTED = _("processing restricted")

Getter = Callable[[Any], Any]


@dataclass(frozen=True)
class ListColumn:
    header: Any  # a lazy text
    kind: str
    get: Getter
    personal: bool = False  # the person's data: hidden without access


def _person(lookup: str | None) -> Getter:
    def get(record: Any) -> Participant | None:
        if lookup is None:
            return None
        target = record
        for part in filter(None, lookup.split("__")):
            target = getattr(target, part)
        return target

    return get


def _choice(name: str) -> Getter:
    return lambda record: getattr(record, f"get_{name}_display")()


PERSON_COLUMNS = [
    ListColumn(_("Surname and first name"), TEXT, lambda p: p.full_name, personal=True),
    ListColumn(_("Sex"), TEXT, lambda p: p.get_sex_display(), personal=True),
    ListColumn(_("Date of birth"), DATE, lambda p: p.birth_date, personal=True),
    ListColumn(_("Town"), TEXT, lambda p: p.city, personal=True),
]
COLUMNS: dict[str, list[ListColumn]] = {
    "people": [],
    "enrolments": [
        ListColumn(_("Project"), TEXT, lambda e: e.project.title),
        ListColumn(_("In the project since"), DATE, lambda e: e.start_date),
        ListColumn(_("Status"), TEXT, _choice("status")),
        ListColumn(_("Since"), DATE, lambda e: e.status_date),
    ],
    "enrolment_events": [
        ListColumn(_("Date"), DATE, lambda e: e.date),
        ListColumn(_("Change"), TEXT, _choice("kind")),
        ListColumn(_("Reason"), TEXT, lambda e: e.reason.name if e.reason else ""),
        ListColumn(_("Project"), TEXT, lambda e: e.enrolment.project.title),
    ],
    "contracts": [
        ListColumn(_("Number"), TEXT, lambda c: c.number),
        ListColumn(_("Signed on"), DATE, lambda c: c.signed_on),
        ListColumn(_("From"), DATE, lambda c: c.start_date),
        ListColumn(_("To"), DATE, lambda c: c.end_date),
    ],
    "placements": [
        ListColumn(_("Form"), TEXT, _choice("kind")),
        ListColumn(_("Organiser"), TEXT, lambda p: p.employer_name),
        ListColumn(_("From"), DATE, lambda p: p.start_date),
        ListColumn(_("To"), DATE, lambda p: p.end_date),
    ],
    "jobs": [
        ListColumn(_("Employer"), TEXT, lambda j: j.employer, personal=True),
        ListColumn(_("From"), DATE, lambda j: j.start_date),
        ListColumn(_("To"), DATE, lambda j: j.end_date),
        ListColumn(
            _("Longer job"), TEXT, lambda j: gettext("yes") if j.is_long_term else gettext("no")
        ),
    ],
    "contacts": [
        ListColumn(_("Date"), DATE, lambda c: c.date),
        ListColumn(_("Form of help"), TEXT, _choice("kind")),
        ListColumn(_("Hours"), HOURS, lambda c: c.duration_hours),
        ListColumn(_("Staff member"), TEXT, lambda c: str(c.staff) if c.staff else ""),
    ],
    "sessions": [
        ListColumn(_("Date"), DATE, lambda x: x.date),
        ListColumn(_("Activity"), TEXT, lambda x: x.activity.name),
        ListColumn(_("Support form"), TEXT, lambda x: x.activity.support_form.name),
        ListColumn(_("Hours"), HOURS, lambda x: x.duration_hours),
        ListColumn(
            _("Roll call taken"),
            TEXT,
            lambda x: gettext("yes") if x.roll_call_at else gettext("no"),
        ),
    ],
    "presences": [
        ListColumn(_("Date"), DATE, lambda a: a.session.date),
        ListColumn(_("Activity"), TEXT, lambda a: a.session.activity.name),
        ListColumn(_("Dependants"), INTEGER, lambda a: a.dependants),
    ],
    "assignments": [
        ListColumn(_("Activity"), TEXT, lambda a: a.activity.name),
        ListColumn(_("Completed on"), DATE, lambda a: a.completed_on),
    ],
    "events": [
        ListColumn(_("Date"), DATE, lambda e: e.date),
        ListColumn(_("Event"), TEXT, lambda e: e.name),
        ListColumn(_("Place"), TEXT, lambda e: e.place),
        ListColumn(_("From outside"), INTEGER, lambda e: e.outside_count),
    ],
    "expenditures": [
        ListColumn(_("Date"), DATE, lambda x: x.date),
        ListColumn(_("Document number"), TEXT, lambda x: x.document_number),
        ListColumn(_("Project"), TEXT, lambda x: x.project.title),
        ListColumn(_("Category"), TEXT, lambda x: x.category.name if x.category else ""),
        ListColumn(_("Source"), TEXT, _choice("source")),
        ListColumn(_("Description"), TEXT, lambda x: x.description),
        ListColumn(_("Amount"), MONEY, lambda x: x.amount),
    ],
    "budget_lines": [
        ListColumn(_("Project"), TEXT, lambda b: b.project.title),
        ListColumn(_("Year"), INTEGER, lambda b: b.year),
        ListColumn(_("Category"), TEXT, lambda b: b.category.name),
        ListColumn(_("Planned"), MONEY, lambda b: b.planned_amount),
    ],
    "staff": [
        ListColumn(_("Surname and first name"), TEXT, lambda m: f"{m.last_name} {m.first_name}"),
        ListColumn(_("Sex"), TEXT, _choice("sex")),
        ListColumn(_("Legal basis of employment"), TEXT, _choice("employment_type")),
        ListColumn(_("Hours a week"), HOURS, lambda m: m.hours_per_week),
        ListColumn(_("In the club since"), DATE, lambda m: m.works_since),
        ListColumn(_("Until"), DATE, lambda m: m.works_until),
    ],
}


@dataclass
class Cell:
    value: Any
    kind: str
    url: str = ""
    hidden: str = ""  # why the person's data is not shown


@dataclass
class DrillDown:
    figure: Figure
    scope: Scope
    columns: list[ListColumn]
    rows: list[list[Cell]]
    people: list[Participant]  # the people the user saw (the access log's entries)
    hidden: int  # records of people the user may not open

    @property
    def total(self) -> int | Decimal:
        if self.figure.total:
            return self.figure.value(self.scope)
        return len(self.rows)


def columns_of(figure: Figure) -> list[ListColumn]:
    kind = figure.kind
    person = [] if kind.person is None else PERSON_COLUMNS
    return [*person, *COLUMNS[kind.name]]


def records_of(
    figure: Figure, scope: Scope, user: AbstractBaseUser | AnonymousUser
) -> QuerySet[Any]:
    """The figure's records with what the list shows, and whether the user may open each
    record's person (one query whatever their number)."""
    kind = figure.kind
    records = figure.queryset(scope).select_related(*kind.related).order_by(*kind.order)
    if kind.person is not None and not sees_everybody(user):
        pk = "pk" if kind.person == "" else f"{kind.person}_id"
        records = records.annotate(may_open=Exists(participants_for(user).filter(pk=OuterRef(pk))))
    return records


def drill_down(
    figure: Figure, scope: Scope, user: AbstractBaseUser | AnonymousUser, *, for_export: bool
) -> DrillDown:
    kind = figure.kind
    columns = columns_of(figure)
    person_of = _person(kind.person)
    rows: list[list[Cell]] = []
    people: list[Participant] = []
    hidden = 0
    for record in records_of(figure, scope, user):
        person = person_of(record)
        allowed = getattr(record, "may_open", True)
        why = ""
        if person is not None:
            if not allowed:
                why = str(NO_ACCESS)
                hidden += 1
            elif for_export and person.processing_restricted:
                why = str(RESTRICTED)
            else:
                people.append(person)
        row: list[Cell] = []
        for column in columns:
            if column.personal and why:
                row.append(Cell("", column.kind, hidden=why))
                continue
            source = person if column in PERSON_COLUMNS else record
            value = column.get(source)
            url = ""
            if column is PERSON_COLUMNS[0] and person is not None:
                url = reverse("participants:detail", args=[person.pk])
            row.append(Cell(value, column.kind, url))
        rows.append(row)
    return DrillDown(figure, scope, columns, rows, people, hidden)


def workbook(drill: DrillDown, title: str, definition: str) -> bytes:
    builder = WorkbookBuilder()
    builder.sheet(
        title,
        [Column(str(column.header), column.kind) for column in drill.columns],
        [
            [
                cell.hidden if cell.hidden and index == 0 else cell.value
                for index, cell in enumerate(row)
            ]
            for row in drill.rows
        ],
        notes=[definition, gettext("Rows: %(n)s") % {"n": len(drill.rows)}],
    )
    return builder.content()
