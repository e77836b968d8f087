"""The figures of the reports, each from SQL aggregates. The number of queries of a
report does not depend on the number of participants, sessions or attendance marks.

Definitions used throughout (said in the reports too):
- a report counts only what happened up to *the report's date*: for a year,
  31 December, or today while the year lasts (the report then says "as of"); for a
  project, today. Future years have no report;
- a *held* session is one of `Session.objects.held(as_of=…)`: dated on or before the
  report's date and past, or with its roll call taken. Hours delivered, sessions and
  costs per hour count held sessions only, never planned ones;
- a person *served* in a year had an enrolment running in the year, was present at a
  session, had a social contract in force, a placement running, came to a community
  event, or had one-off help (a short contact) in the year (`served_ids`, the one
  definition: annual section 1, the statutory report, the dashboard);
- *long-term cooperation* is an enrolment in the club's own programme running in the
  year, or a social contract in force during the year; one-off help never is, nor does
  it make anybody engaged in a project, not even in the project it is recorded under;
- *one-off help* (`short_contact_figures`): short contacts dated in the year up to the
  report's date: how many contacts, how many different people (women among them) and
  their hours, reported apart from the hours of activities;
- the *care point* (`community_figures`): its held sessions and their hours; the adults
  who used it = different people marked present at them (each left dependants in its
  care); *dependant-places* = the dependants those adults left, summed over the held
  sessions (a child looked after at 10 sessions is 10 places). The dependants are not in
  the register: they are counted as places, never as people served;
- every figure counts people unless its label says otherwise (a person is enrolled in a
  project once, so a project's enrolments are its people). For a project's year:
  *engaged* = everybody who took part at any time in the year = active on 1 January +
  joined in the year + came back in the year from a job left in an earlier year;
  *dropped out*, *completed*, *left for a job* = people who did so in the year, of
  whom *came back* = those no longer away at a job on the report's date; *continuing* =
  people taking part on the report's date. Then, always,
  engaged − dropped out − left for a job + came back − completed = continuing.
  *Returned after a job* = people who came back after a job at any time in the year
  (whenever they had left);
- the project indicator *jobs* counts people whose participation ended with a job: away
  at a job on the report's date (those who came back are not counted, those who came
  back and left again are counted once);
- an indicator *measured from questionnaires* compares, for each person of the project
  with both the entry and the exit questionnaire filled up to the report's date, the
  answers to the questions answered both times (of the indicator's area, if it names
  one), a question counted in reverse with its difference reversed: the score improved
  when the sum of the differences is above 0. It is the share (or the number) of those
  people whose score improved. People with only the entry questionnaire (still taking
  part, or gone without the exit one) or only the exit one are not counted; their
  numbers are given with the indicator;
- an indicator *measured from follow-ups* counts the people whose latest follow-up of
  its kind (4 weeks, 3 or 6 months after leaving) recorded up to the report's date
  found them in the situations it names; as a percentage, of the people with such a
  follow-up recorded ("no contact" included). A follow-up is *due* once its day has come
  (`participants.models.follow_up_window`), *overdue* four weeks after that;
- an indicator *entered by hand* is the latest value dated on or before the report's
  date, with its source; "–" without one;
- percentages and rates are rounded half up (`kis.lib.numbers`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Manager,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from kis.lib.numbers import percentage, round_half_up
from participants.models import (
    SCHEDULED,
    SITUATION_GROUPS,
    ActivityParticipant,
    Attendance,
    CommunityEvent,
    Diagnosis,
    Employment,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    ExitSituation,
    FollowUp,
    FollowUpKind,
    Participant,
    Placement,
    QuestionnaireAnswer,
    QuestionnaireResponse,
    Session,
    ShortContact,
    Situation,
    SocialContract,
    SupportForm,
    latest_exit_opened,
)
from participants.models.outcomes import WITHIN
from projects.models import (
    BudgetLine,
    Expenditure,
    Indicator,
    IndicatorValue,
    Project,
    StaffMember,
)
from projects.selectors import BudgetExecution, budget_execution, execution_percent

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

M = TypeVar("M", bound=Model)


class EventCount(TypedDict):
    registry: int  # the people from the register at a community event


ZERO = Decimal("0")
MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=14, decimal_places=2)
HOURS: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=10, decimal_places=2)
Kind = EnrolmentEvent.Kind
ACTIVE_KINDS = (Kind.STARTED, Kind.RETURNED)
FEMALE = Q(sex="F")
FEMALE_PARTICIPANT = Q(participant__sex="F")


def report_date(year: int) -> date:
    """The day a year's figures are counted to: 31 December, or today while the year
    lasts (then the report says "as of" that day)."""
    return min(date(year, 12, 31), timezone.localdate())


def year_period(year: int) -> tuple[date, date]:
    """1 January to the report's date: the only days a year's figures count."""
    return date(year, 1, 1), report_date(year)


def _sum(
    field_name: str, output: "DecimalField[Decimal, Decimal]" = MONEY, **filters: Any
) -> Coalesce:
    condition = Q(**filters) if filters else None
    return Coalesce(Sum(field_name, filter=condition), Value(ZERO), output_field=output)


@dataclass
class People:
    """A number of people and how many of them are women."""

    total: int = 0
    women: int = 0

    @property
    def men(self) -> int:
        return self.total - self.women


def _people(participants: QuerySet[Participant]) -> People:
    counts = participants.aggregate(total=Count("pk"), women=Count("pk", filter=FEMALE))
    return People(counts["total"], counts["women"])


# --- who was served ---------------------------------------------------------------------


def running_in(
    queryset: QuerySet[M] | Manager[M], year: int, start: str = "start_date", end: str = "end_date"
) -> QuerySet[M]:
    """Rows whose period overlaps the year up to the report's date (an open end means
    still running)."""
    first, last = year_period(year)
    return queryset.filter(**{f"{start}__lte": last}).filter(
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


def served_ids(year: int) -> dict[str, QuerySet]:
    """Participant-id subqueries of every way of using the club in a year."""
    first, last = year_period(year)
    return {
        "enrolments": running_in(Enrolment.objects, year).values("participant_id"),
        "attendance": Attendance.objects.filter(
            session__date__range=(first, last), status=Attendance.Status.PRESENT
        ).values("participant_id"),
        "contracts": running_in(SocialContract.objects, year).values("participant_id"),
        "placements": running_in(Placement.objects, year).values("participant_id"),
        "events": CommunityEvent.participants.through.objects.filter(
            communityevent__date__range=(first, last)
        ).values("participant_id"),
        "short_contacts": ShortContact.objects.filter(date__range=(first, last)).values(
            "participant_id"
        ),
    }


def _union(subqueries: "list[QuerySet]") -> QuerySet:
    """The ids of several one-column subqueries as one `UNION` (each without ordering:
    a compound statement allows none)."""
    first, *others = [subquery.order_by() for subquery in subqueries]
    return first.union(*others)


def served_people(year: int) -> QuerySet[Participant]:
    """The people served in the year (`served_ids`). One `IN (… UNION …)`, which the
    database runs as a semi-join on the ids of the year's activity, never an `OR` of
    `IN` subqueries (that PostgreSQL re-runs for every person of the register once the
    year's marks outgrow `work_mem`)."""
    return Participant.objects.filter(pk__in=_union(list(served_ids(year).values())))


def long_term_people(year: int) -> QuerySet[Participant]:
    club = running_in(Enrolment.objects.filter(project__is_club_programme=True), year)
    contracts = running_in(SocialContract.objects, year)
    return Participant.objects.filter(
        pk__in=_union([club.values("participant_id"), contracts.values("participant_id")])
    )


# --- one-off help -------------------------------------------------------------------------


@dataclass
class ShortContactRow:
    label: str
    contacts: int
    people: int
    hours: Decimal
    kind: str = ""


@dataclass
class ShortContactFigures:
    """One-off help (see the module's definitions): contacts, different people and their
    hours, in all and by form."""

    contacts: int = 0
    people: People = field(default_factory=People)
    hours: Decimal = ZERO
    kinds: list[ShortContactRow] = field(default_factory=list)


def short_contact_figures(contacts: QuerySet[ShortContact]) -> ShortContactFigures:
    """The figures of some short contacts (those of a year, of a project up to a day):
    two queries."""
    order = list(ShortContact.Kind.values)
    labels = dict(ShortContact.Kind.choices)
    kinds = [
        ShortContactRow(
            str(labels[row["kind"]]), row["n"], row["people"], row["hours"], row["kind"]
        )
        for row in sorted(
            contacts.values("kind")
            .annotate(
                n=Count("pk"),
                people=Count("participant", distinct=True),
                hours=_sum("duration_hours", HOURS),
            )
            .order_by(),
            key=lambda row: order.index(row["kind"]),
        )
    ]
    return ShortContactFigures(
        contacts=sum(row.contacts for row in kinds),
        people=_people(contact_people(contacts)),
        hours=sum((row.hours for row in kinds), ZERO),
        kinds=kinds,
    )


def year_contacts(year: int) -> QuerySet[ShortContact]:
    """Short contacts of the year up to the report's date."""
    return ShortContact.objects.filter(date__range=year_period(year))


def contact_people(contacts: QuerySet[ShortContact]) -> QuerySet[Participant]:
    """The different people of some short contacts."""
    return Participant.objects.filter(pk__in=contacts.values("participant_id"))


def year_short_contacts(year: int) -> ShortContactFigures:
    return short_contact_figures(year_contacts(year))


# --- supported employment -------------------------------------------------------------------


@dataclass
class PlacementFigures:
    kind: str
    label: str
    people: People
    aged_50_plus: int
    single_parents: int


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def placement_people(year: int, kind: str) -> QuerySet[Participant]:
    """People with a placement of a kind running in the year."""
    ids = running_in(Placement.objects.filter(kind=kind), year).values("participant_id")
    return Participant.objects.filter(pk__in=ids)


def aged_50_plus(year: int) -> Q:
    """People aged 50 or more on the report's date."""
    return Q(birth_date__lte=_years_before(report_date(year), 50))


def single_parents() -> Q:
    """People in the single parents' exclusion group."""
    return Q(
        Exists(
            ExclusionGroup.objects.filter(
                code=ExclusionGroup.SINGLE_PARENT, participants=OuterRef("pk")
            )
        )
    )


def placement_figures(year: int) -> list[PlacementFigures]:
    """People in socially useful work and internships, with women, 50+ and single
    parents (aged 50 or more on the report's date; single parents by the group's
    code)."""
    rows = []
    for kind, label in Placement.Kind.choices:
        counts = placement_people(year, kind).aggregate(
            total=Count("pk"),
            women=Count("pk", filter=FEMALE),
            aged_50_plus=Count("pk", filter=aged_50_plus(year)),
            single_parents=Count("pk", filter=single_parents()),
        )
        rows.append(
            PlacementFigures(
                kind,
                str(label),
                People(counts["total"], counts["women"]),
                counts["aged_50_plus"],
                counts["single_parents"],
            )
        )
    return rows


# --- projects ---------------------------------------------------------------------------------


@dataclass
class SupportRow:
    name: str
    sessions: int
    hours: Decimal
    form_id: int | None = None  # the support form (the drill-down's row)


@dataclass
class ProjectYear:
    """A project's people in a year (see the module's definitions): each figure counts
    people, and engaged − dropped out − left for a job + came back − completed =
    continuing."""

    project: Project
    active_at_start: int = 0
    started: int = 0
    returned_from_earlier: int = 0
    engaged_women: int = 0
    dropped_out: int = 0
    left_for_job: int = 0
    came_back: int = 0
    returned: int = 0
    completed: int = 0
    continuing: int = 0
    dropout_reasons: list[tuple[str, int]] = field(default_factory=list)
    support: list[SupportRow] = field(default_factory=list)

    @property
    def engaged(self) -> int:
        return self.active_at_start + self.started + self.returned_from_earlier

    @property
    def support_hours(self) -> Decimal:
        return sum((row.hours for row in self.support), ZERO)

    @property
    def balance_ok(self) -> bool:
        return (
            self.engaged - self.dropped_out - self.left_for_job + self.came_back - self.completed
            == self.continuing
        )


def _latest_event_ids(day: date, strictly_before: bool, **enrolments: Any) -> QuerySet:
    """The ids of each enrolment's last event on (or before) a day: one windowed query
    (the events numbered within each enrolment, latest first)."""
    lookup = "date__lt" if strictly_before else "date__lte"
    return (
        EnrolmentEvent.objects.filter(**{lookup: day}, **enrolments)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("enrolment_id"),
                order_by=[F("date").desc(), F("pk").desc()],
            )
        )
        # rank <= 1, not rank = 1: the same rows, but PostgreSQL then estimates a third
        # of the events (not 0.5 %) and joins them by hashing instead of a nested loop
        # of one index look-up per enrolment.
        .filter(rank__lte=1)
        .values("pk")
    )


def latest_events(
    day: date, strictly_before: bool = False, **enrolments: Any
) -> QuerySet[EnrolmentEvent]:
    """Each enrolment's last event on (or before) a day, whose kind is its status then;
    one row per enrolment begun by then. One windowed query (`_latest_event_ids`), run
    once however many enrolments use it, never a subquery per enrolment. `enrolments`
    narrows it to some enrolments (`enrolment__project=…`): the window sees all of an
    enrolment's events or none. PostgreSQL and SQLite both run it."""
    return EnrolmentEvent.objects.filter(
        pk__in=_latest_event_ids(day, strictly_before, **enrolments)
    ).order_by()


def with_status_on(
    enrolments: QuerySet[Enrolment],
    name: str,
    day: date,
    strictly_before: bool = False,
    **narrowed: Any,
) -> QuerySet[Enrolment]:
    """`enrolments` annotated with `name`: the kind of each one's last event on (or
    before) the day, its status then (None before it began). The latest events are
    joined once (`_latest_event_ids`), not looked up enrolment by enrolment."""
    latest = _latest_event_ids(day, strictly_before, **narrowed)
    relation = f"{name}_event"
    return enrolments.annotate(
        **{relation: FilteredRelation("events", condition=Q(events__pk__in=latest.query))}
    ).annotate(**{name: F(f"{relation}__kind")})


def _happened(kind: str, first: date, last: date) -> Exists:
    """Whether an enrolment had an event of this kind between two days."""
    return Exists(
        EnrolmentEvent.objects.filter(
            enrolment=OuterRef("pk"), kind=kind, date__range=(first, last)
        )
    )


def held_sessions(year: int) -> QuerySet[Session]:
    """Sessions held in the year up to the report's date (hours and sessions count these)."""
    first, last = year_period(year)
    return Session.objects.held(as_of=last).filter(date__gte=first)


def grouped_counts(queryset: QuerySet, *names: str) -> list[dict[str, Any]]:
    """Rows counted by the values of `names` (annotations among them): each annotation
    is computed once per row, where a `Count(filter=…)` would repeat its subquery in
    every filter. The callers add up the few groups."""
    return list(queryset.values(*names).annotate(n=Count("pk")).order_by())


def projects_in_year(year: int) -> QuerySet[Project]:
    first, last = year_period(year)
    return (
        Project.objects.filter(start_date__lte=last, end_date__gte=first)
        .select_related("programme")
        .order_by("start_date", "title")
    )


FLOW_FLAGS = {
    "started_in": Kind.STARTED,
    "returned_in": Kind.RETURNED,
    "left_in": Kind.LEFT_FOR_JOB,
    "dropped_in": Kind.DROPPED_OUT,
    "completed_in": Kind.COMPLETED,
}


def project_flows(year: int, projects: list[int] | None = None) -> QuerySet[Enrolment]:
    """THE enrolments behind section 4's flows of people (of some projects): each with
    its status before and at the end of the year and whether it had each kind of event
    in the year. Each flow is one of `FLOWS` over them: the drill-down filters by it
    (reports.figures), the report adds up the same tests over their groups
    (`project_years`)."""
    first, last = year_period(year)
    enrolments = Enrolment.objects.all()
    narrowed: dict[str, Any] = {}
    if projects is not None:
        enrolments = enrolments.filter(project__in=projects)
        narrowed = {"enrolment__project__in": projects}
    enrolments = with_status_on(enrolments, "before", first, True, **narrowed)
    enrolments = with_status_on(enrolments, "after", last, False, **narrowed)
    return enrolments.annotate(
        **{name: _happened(kind, first, last) for name, kind in FLOW_FLAGS.items()}
    )


_AT_START = Q(before__in=ACTIVE_KINDS)
_STARTED = Q(started_in=True)
_RETURNED_FROM_EARLIER = Q(before=Kind.LEFT_FOR_JOB, returned_in=True)
_LEFT = Q(left_in=True)
# The flows of section 4 (see the module's definitions), conditions on `project_flows`.
FLOWS: dict[str, Q] = {
    "active_at_start": _AT_START,
    "started": _STARTED,
    "returned_from_earlier": _RETURNED_FROM_EARLIER,
    "engaged": _AT_START | _STARTED | _RETURNED_FROM_EARLIER,
    "dropped_out": Q(dropped_in=True),
    "left_for_job": _LEFT,
    "came_back": _LEFT & ~Q(after=Kind.LEFT_FOR_JOB),
    "returned": Q(returned_in=True),
    "completed": Q(completed_in=True),
    "continuing": Q(after__in=ACTIVE_KINDS),
}


def project_years(year: int) -> list[ProjectYear]:
    """Section 4: each project active in the year with its flows of people, up to the
    report's date (3 queries). Each enrolment's status before and at the end of the
    year and the kinds of its events in the year are computed once, grouped, and the
    groups added up here."""
    first, last = year_period(year)
    projects = list(projects_in_year(year))
    rows = {p.pk: ProjectYear(p) for p in projects}
    if not rows:
        return []
    enrolments = project_flows(year, projects=list(rows))
    # The tests of FLOWS, added up over the groups.
    for group in grouped_counts(
        enrolments, "project", "participant__sex", "before", "after", *FLOW_FLAGS
    ):
        row, n = rows[group["project"]], group["n"]
        at_start = group["before"] in ACTIVE_KINDS
        returned_from_earlier = group["before"] == Kind.LEFT_FOR_JOB and group["returned_in"]
        row.active_at_start += n if at_start else 0
        row.started += n if group["started_in"] else 0
        row.returned_from_earlier += n if returned_from_earlier else 0
        if group["participant__sex"] == "F" and (
            at_start or group["started_in"] or returned_from_earlier
        ):
            row.engaged_women += n
        row.dropped_out += n if group["dropped_in"] else 0
        row.left_for_job += n if group["left_in"] else 0
        row.came_back += n if group["left_in"] and group["after"] != Kind.LEFT_FOR_JOB else 0
        row.returned += n if group["returned_in"] else 0
        row.completed += n if group["completed_in"] else 0
        row.continuing += n if group["after"] in ACTIVE_KINDS else 0
    for reason in (
        EnrolmentEvent.objects.filter(
            enrolment__project__in=rows, kind=Kind.DROPPED_OUT, date__range=(first, last)
        )
        .values("enrolment__project", "reason__name")
        .annotate(n=Count("pk"))
        .order_by("enrolment__project", "-n", "reason__name")
    ):
        rows[reason["enrolment__project"]].dropout_reasons.append(
            (reason["reason__name"], reason["n"])
        )
    for support in (
        held_sessions(year)
        .filter(activity__project__in=rows)
        .values(
            "activity__project",
            "activity__support_form",
            "activity__support_form__name",
            "activity__support_form__order",
        )
        .annotate(sessions=Count("pk"), hours=_sum("duration_hours", HOURS))
        .order_by("activity__project", "activity__support_form__order")
    ):
        rows[support["activity__project"]].support.append(
            SupportRow(
                support["activity__support_form__name"],
                support["sessions"],
                support["hours"],
                support["activity__support_form"],
            )
        )
    return [rows[p.pk] for p in projects]


# --- community -------------------------------------------------------------------------------


@dataclass
class CommunityFigures:
    events: "list[WithAnnotations[CommunityEvent, EventCount]]"
    registry_people: int
    outside_people: int
    care_point_sessions: int
    care_point_hours: Decimal
    # Adults (people in the register) who left dependants at the care point.
    care_point_people: int
    # Dependants looked after × sessions (see the module's definitions).
    care_point_places: int = 0


def year_events(year: int) -> QuerySet[CommunityEvent]:
    return CommunityEvent.objects.filter(date__range=year_period(year))


def event_people(year: int, event: int | None = None) -> QuerySet[Participant]:
    """Different people from the register at the year's community events (or at one)."""
    events = year_events(year)
    if event is not None:
        events = events.filter(pk=event)
    through = CommunityEvent.participants.through.objects.filter(communityevent__in=events)
    return Participant.objects.filter(pk__in=through.values("participant_id"))


def care_point_sessions(year: int) -> QuerySet[Session]:
    return held_sessions(year).filter(activity__support_form__code=SupportForm.CARE_POINT)


def care_point_presences(year: int) -> QuerySet[Attendance]:
    """Presences at the care point's held sessions: each left dependants in its care."""
    return Attendance.objects.filter(
        session__in=care_point_sessions(year), status=Attendance.Status.PRESENT
    )


def community_figures(year: int) -> CommunityFigures:
    """Events of the year up to the report's date; the care point's held sessions, the
    adults who used it and the dependant-places it provided."""
    events = year_events(year)
    listed = list(events.annotate(registry=Count("participants")).order_by("date", "pk"))
    registry = event_people(year).count()
    outside = events.aggregate(n=Coalesce(Sum("outside_count"), Value(0)))["n"]
    care = care_point_sessions(year)
    care_totals = care.aggregate(sessions=Count("pk"), hours=_sum("duration_hours", HOURS))
    care_use = care_point_presences(year).aggregate(
        people=Count("participant", distinct=True),
        places=Coalesce(Sum("dependants"), Value(0)),
    )
    return CommunityFigures(
        listed,
        registry,
        outside,
        care_totals["sessions"],
        care_totals["hours"],
        care_use["people"],
        care_use["places"],
    )


# --- budget ---------------------------------------------------------------------------------


@dataclass
class BudgetRow:
    label: str
    planned: Decimal = ZERO
    spent: Decimal = ZERO
    key: str = ""  # the category's id, the source's code or the project's id (drill-down)
    project_id: int | None = None  # a project's row: its documents are one click away

    @property
    def percent(self) -> Decimal | None:
        return execution_percent(self.spent, self.planned)


@dataclass
class YearBudget:
    planned: Decimal
    spent: Decimal
    categories: list[BudgetRow]
    sources: list[BudgetRow]
    projects: list[BudgetRow]

    @property
    def percent(self) -> Decimal | None:
        return execution_percent(self.spent, self.planned)


def year_budget_lines(year: int) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(year=year)


def year_expenditures(year: int) -> QuerySet[Expenditure]:
    """Expenditures of the year up to the report's date."""
    return Expenditure.objects.filter(date__range=year_period(year))


def year_budget(year: int) -> YearBudget:
    """Planned for the whole year and spent up to the report's date, across projects, per
    category, source and project."""
    lines = year_budget_lines(year)
    spending = year_expenditures(year)
    planned = lines.aggregate(n=_sum("planned_amount"))["n"]
    spent = spending.aggregate(n=_sum("amount"))["n"]
    categories: dict[tuple, BudgetRow] = {}
    for cell in lines.values("category", "category__order", "category__name").annotate(
        n=_sum("planned_amount")
    ):
        key = (cell["category__order"], cell["category__name"], cell["category"])
        categories[key] = BudgetRow(
            cell["category__name"], planned=cell["n"], key=str(cell["category"])
        )
    for cell in spending.values("category", "category__order", "category__name").annotate(
        n=_sum("amount")
    ):
        key = (cell["category__order"], cell["category__name"], cell["category"])
        categories.setdefault(
            key, BudgetRow(cell["category__name"], key=str(cell["category"]))
        ).spent = cell["n"]
    labels = dict(Expenditure.Source.choices)
    order = list(labels)
    sources = [
        BudgetRow(str(labels[c["source"]]), spent=c["n"], key=c["source"])
        for c in sorted(
            spending.values("source").annotate(n=_sum("amount")),
            key=lambda c: order.index(c["source"]),
        )
    ]
    projects: dict[tuple[str, int], BudgetRow] = {}
    for line in lines.values("project__title", "project_id").annotate(n=_sum("planned_amount")):
        named = (line["project__title"], line["project_id"])
        projects[named] = BudgetRow(
            named[0], planned=line["n"], key=str(named[1]), project_id=named[1]
        )
    for cost in spending.values("project__title", "project_id").annotate(n=_sum("amount")):
        named = (cost["project__title"], cost["project_id"])
        projects.setdefault(
            named, BudgetRow(named[0], key=str(named[1]), project_id=named[1])
        ).spent = cost["n"]
    return YearBudget(
        planned,
        spent,
        [categories[k] for k in sorted(categories)],
        sources,
        [projects[k] for k in sorted(projects)],
    )


# --- the annual summary ------------------------------------------------------------------------


@dataclass
class JobFigures:
    people: People
    short_term: int
    long_term: int


def year_jobs(year: int) -> QuerySet[Employment]:
    """Jobs taken up in the year up to the report's date."""
    return Employment.objects.filter(start_date__range=year_period(year))


def job_people(year: int) -> QuerySet[Participant]:
    """People who took up work in the year (a person once, however many jobs)."""
    return Participant.objects.filter(pk__in=year_jobs(year).values("participant_id"))


def job_figures(year: int) -> JobFigures:
    """People who took up work in the year up to the report's date (a person once,
    however many jobs), and the jobs by length."""
    jobs = year_jobs(year)
    kinds = jobs.aggregate(
        short=Count("pk", filter=Q(is_long_term=False)),
        long=Count("pk", filter=Q(is_long_term=True)),
    )
    people = _people(job_people(year))
    return JobFigures(people, kinds["short"], kinds["long"])


@dataclass
class YearReport:
    year: int
    as_of: date  # the report's date

    @property
    def is_partial(self) -> bool:
        """The year is not over: the figures are "as of" the report's date."""
        return self.as_of < date(self.year, 12, 31)


@dataclass
class AnnualSummary(YearReport):
    served: People
    long_term: People
    contracts_concluded: int
    placements: list[PlacementFigures]
    projects: list[ProjectYear]
    community: CommunityFigures
    budget: YearBudget
    jobs: JobFigures
    short_contacts: ShortContactFigures

    @property
    def is_empty(self) -> bool:
        return not (
            self.served.total
            or self.projects
            or self.budget.planned
            or self.budget.spent
            or self.community.events
        )


def contracts_concluded(year: int) -> QuerySet[SocialContract]:
    """Social contracts signed in the year up to the report's date."""
    return SocialContract.objects.filter(signed_on__range=year_period(year))


def annual_summary(year: int) -> AnnualSummary:
    return AnnualSummary(
        year=year,
        as_of=report_date(year),
        served=_people(served_people(year)),
        long_term=_people(long_term_people(year)),
        contracts_concluded=contracts_concluded(year).count(),
        placements=placement_figures(year),
        projects=project_years(year),
        community=community_figures(year),
        budget=year_budget(year),
        jobs=job_figures(year),
        short_contacts=year_short_contacts(year),
    )


def report_years() -> list[int]:
    """Years with any data up to today, newest first (for the reports page; a year
    that has not begun has no report): six small queries."""
    today = timezone.localdate()
    years = set(
        BudgetLine.objects.filter(year__lte=today.year)
        .values_list("year", flat=True)
        .order_by()
        .distinct()
    )
    for queryset, field_name in (
        (Enrolment.objects, "start_date"),
        (Session.objects, "date"),
        (Expenditure.objects, "date"),
        (CommunityEvent.objects, "date"),
        (ShortContact.objects, "date"),
    ):
        years.update(
            # No ordering: with the model's default one, DISTINCT would be over
            # (year, ordering columns), i.e. every row.
            queryset.filter(**{f"{field_name}__lte": today})
            .annotate(y=ExtractYear(field_name))
            .values_list("y", flat=True)
            .order_by()
            .distinct()
        )
    return sorted(years, reverse=True)


# --- the project report ----------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    total: Decimal | None
    women: Decimal | None
    men: Decimal | None
    # What the value rests on: the value entered by hand (its date and source); the
    # people whose questionnaires were compared and those with only one of them; the
    # people with the follow-up recorded.
    entered: IndicatorValue | None = None
    compared: int | None = None
    only_entry: int | None = None
    only_exit: int | None = None
    followed_up: int | None = None

    @property
    def counts_people(self) -> bool:
        """The value is a number of people of the register (a figure with its list): not
        a percentage, nor a value entered by hand."""
        M = self.indicator.measure
        if M in (
            Indicator.Measure.MANUAL,
            Indicator.Measure.ACTION_PLAN,
            Indicator.Measure.COMPLETED,
        ):
            return False
        if M in (Indicator.Measure.QUESTIONNAIRE, Indicator.Measure.FOLLOW_UP):
            return self.total is not None and self.indicator.unit != Indicator.Unit.PERCENT
        return self.total is not None

    @property
    def achieved_percent(self) -> Decimal | None:
        if self.total is None:
            return None
        return execution_percent(self.total, self.indicator.target_total)


@dataclass
class ActivityRow:
    name: str
    support_form: str
    planned_hours: Decimal
    delivered_hours: Decimal
    participant_hours: Decimal
    people: int
    activity_id: int | None = None

    @property
    def percent(self) -> Decimal | None:
        return execution_percent(self.delivered_hours, self.planned_hours)


@dataclass
class SituationRow:
    situation: str
    label: str
    people: list[People]  # one per scheduled follow-up kind
    kinds: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[tuple[str, People]]:
        return list(zip(self.kinds, self.people, strict=True))


@dataclass
class FollowUpFigures:
    """The situation after leaving, per scheduled follow-up (4 weeks, 3 and 6 months):
    lists in the order of `kinds`."""

    kinds: list[str]
    due: list[int]  # people whose follow-up of their (current) exit has come
    to_do: list[int]  # of them, not recorded
    overdue: list[int]  # of those, past the due date
    recorded: list[People]  # people with the follow-up recorded (their latest)
    situations: list[SituationRow]

    @property
    def labels(self) -> list[str]:
        return [str(FollowUpKind(kind).label) for kind in self.kinds]

    # Each row with its kinds (the figures' rows), for the report's table.
    @property
    def due_cells(self) -> list[tuple[str, int]]:
        return list(zip(self.kinds, self.due, strict=True))

    @property
    def to_do_cells(self) -> list[tuple[str, int]]:
        return list(zip(self.kinds, self.to_do, strict=True))

    @property
    def overdue_cells(self) -> list[tuple[str, int]]:
        return list(zip(self.kinds, self.overdue, strict=True))

    @property
    def recorded_cells(self) -> list[tuple[str, People]]:
        return list(zip(self.kinds, self.recorded, strict=True))

    @property
    def is_empty(self) -> bool:
        return not any(self.due) and not any(p.total for p in self.recorded)


@dataclass
class ProjectReport:
    project: Project
    as_of: date
    people: People
    indicators: list[IndicatorRow]
    activities: list[ActivityRow]
    dropout_reasons: list[tuple[str, int]]
    execution: BudgetExecution
    status_counts: dict[str, int]
    follow_ups: FollowUpFigures | None = None

    @property
    def shows_follow_ups(self) -> bool:
        """The situation after leaving: for a project that follows its people up, or
        one with follow-ups recorded all the same."""
        return self.follow_ups is not None and (
            self.project.follows_up or not self.follow_ups.is_empty
        )

    # Recorded under the project; apart from its participants, indicators and hours.
    short_contacts: ShortContactFigures = field(default_factory=ShortContactFigures)

    @property
    def delivered_hours(self) -> Decimal:
        return sum((a.delivered_hours for a in self.activities), ZERO)

    @property
    def participant_hours(self) -> Decimal:
        return sum((a.participant_hours for a in self.activities), ZERO)

    @property
    def cost_per_participant(self) -> Decimal | None:
        if not self.people.total:
            return None
        return round_half_up(self.execution.spent / self.people.total)

    @property
    def cost_per_hour(self) -> Decimal | None:
        if not self.delivered_hours:
            return None
        return round_half_up(self.execution.spent / self.delivered_hours)

    @property
    def cost_per_participant_hour(self) -> Decimal | None:
        if not self.participant_hours:
            return None
        return round_half_up(self.execution.spent / self.participant_hours)


def indicator_enrolments(project: Project, as_of: date) -> QuerySet[Enrolment]:
    """THE enrolments behind the automatic indicators (a person is enrolled in a project
    once): those begun by `as_of`, with their status then, whether the person had an
    action plan and a social contract by then. Each measure is a condition of
    `INDICATOR_MEASURES` over them (the drill-down); the report adds up their groups."""
    enrolments = Enrolment.objects.filter(project=project, start_date__lte=as_of)
    with_plan = Exists(
        Diagnosis.objects.filter(
            participant=OuterRef("participant"), has_action_plan=True, date__lte=as_of
        )
    )
    contract = SocialContract.objects.filter(
        participant=OuterRef("participant"), signed_on__lte=as_of
    )
    return with_status_on(enrolments, "status_then", as_of, enrolment__project=project).annotate(
        has_plan=with_plan, has_contract=Exists(contract)
    )


INDICATOR_MEASURES: dict[str, Q] = {
    Indicator.Measure.PARTICIPANTS: Q(),
    Indicator.Measure.ACTION_PLAN: Q(has_plan=True),
    Indicator.Measure.COMPLETED: Q(status_then=Kind.COMPLETED),
    Indicator.Measure.JOBS: Q(status_then=Kind.LEFT_FOR_JOB),
    Indicator.Measure.CONTRACTS: Q(has_contract=True),
}


def _indicator_values(project: Project, as_of: date) -> dict[str, tuple]:
    """Achieved values of the automatic indicator measures on a day: (total, women, men).
    Jobs count people away at a job on that day (see the module's definitions)."""
    enrolments = indicator_enrolments(project, as_of)
    # Each condition (those of INDICATOR_MEASURES) counted for all, women (_w) and men
    # (_m); each EXISTS runs once per enrolment (`grouped_counts`).
    tests = {
        "all": lambda g: True,
        "plan": lambda g: g["has_plan"],
        "done": lambda g: g["status_then"] == Kind.COMPLETED,
        "job": lambda g: g["status_then"] == Kind.LEFT_FOR_JOB,
        "contract": lambda g: g["has_contract"],
    }
    c = {f"{name}{suffix}": 0 for name in tests for suffix in ("", "_w", "_m")}
    for group in grouped_counts(
        enrolments, "participant__sex", "status_then", "has_plan", "has_contract"
    ):
        sex = {"F": "_w", "M": "_m"}.get(group["participant__sex"])
        for name, test in tests.items():
            if test(group):
                c[name] += group["n"]
                if sex:
                    c[f"{name}{sex}"] += group["n"]

    M = Indicator.Measure
    return {
        M.PARTICIPANTS: (Decimal(c["all"]), Decimal(c["all_w"]), Decimal(c["all_m"])),
        M.ACTION_PLAN: (
            percentage(c["plan"], c["all"]),
            percentage(c["plan_w"], c["all_w"]),
            percentage(c["plan_m"], c["all_m"]),
        ),
        M.COMPLETED: (
            percentage(c["done"], c["all"]),
            percentage(c["done_w"], c["all_w"]),
            percentage(c["done_m"], c["all_m"]),
        ),
        M.JOBS: (Decimal(c["job"]), Decimal(c["job_w"]), Decimal(c["job_m"])),
        M.CONTRACTS: (Decimal(c["contract"]), Decimal(c["contract_w"]), Decimal(c["contract_m"])),
    }


def _counts_by_sex(counts: dict, name: str) -> tuple[int, int, int]:
    return counts[name], counts[f"{name}_w"], counts[f"{name}_m"]


def _by_sex(name: str, condition: Q) -> dict:
    """Count(pk) of the rows meeting `condition`: all, women, men (named name, name_w,
    name_m)."""
    return {
        name: Count("pk", filter=condition),
        f"{name}_w": Count("pk", filter=condition & Q(participant__sex="F")),
        f"{name}_m": Count("pk", filter=condition & Q(participant__sex="M")),
    }


@dataclass
class Improvement:
    """People compared (with both questionnaires) and improved, each (total, women,
    men); and those with only one of the two."""

    compared: tuple[int, int, int]
    improved: tuple[int, int, int]
    only_entry: int
    only_exit: int


def questionnaire_improvement(
    project: Project, questionnaire_id: int, area: str, as_of: date
) -> Improvement:
    """THE soft-result figure (see the module's definitions): of the project's people
    with the entry and the exit questionnaire filled up to `as_of`, those whose score
    improved, comparing the questions answered both times (of `area`, if given), a
    question counted in reverse with its difference reversed. One query."""
    both = QUESTIONNAIRE_BOTH
    counts = questionnaire_enrolments(project, questionnaire_id, area, as_of).aggregate(
        **_by_sex("compared", both),
        **_by_sex("improved", both & QUESTIONNAIRE_IMPROVED),
        only_entry=Count("pk", filter=Q(has_entry=True, has_exit=False)),
        only_exit=Count("pk", filter=Q(has_entry=False, has_exit=True)),
    )
    return Improvement(
        _counts_by_sex(counts, "compared"),
        _counts_by_sex(counts, "improved"),
        counts["only_entry"],
        counts["only_exit"],
    )


QUESTIONNAIRE_BOTH = Q(has_entry=True, has_exit=True)
QUESTIONNAIRE_IMPROVED = Q(change__gt=0)


def questionnaire_enrolments(
    project: Project, questionnaire_id: int, area: str, as_of: date
) -> QuerySet[Enrolment]:
    """The project's enrolments with whether each has the entry and the exit
    questionnaire by `as_of` and the change of its score (see `questionnaire_improvement`)."""
    Moment = QuestionnaireResponse.Moment
    responses = QuestionnaireResponse.objects.filter(
        questionnaire_id=questionnaire_id, date__lte=as_of
    )
    at_entry = QuestionnaireAnswer.objects.filter(
        response__enrolment=OuterRef("response__enrolment"),
        response__questionnaire_id=questionnaire_id,
        response__moment=Moment.ENTRY,
        response__date__lte=as_of,
        question=OuterRef("question"),
    ).values("value")[:1]
    at_exit = QuestionnaireAnswer.objects.filter(
        response__enrolment=OuterRef("pk"),
        response__questionnaire_id=questionnaire_id,
        response__moment=Moment.EXIT,
        response__date__lte=as_of,
    )
    if area:
        at_exit = at_exit.filter(question__area=area)
    change = (
        at_exit.annotate(before=Subquery(at_entry))
        .filter(before__isnull=False)
        .annotate(
            difference=Case(
                When(question__reverse=True, then=F("before") - F("value")),
                default=F("value") - F("before"),
                output_field=IntegerField(),
            )
        )
        .values("response__enrolment")
        .annotate(total=Sum("difference"))
        .values("total")
    )
    return Enrolment.objects.filter(project=project, start_date__lte=as_of).annotate(
        has_entry=Exists(responses.filter(enrolment=OuterRef("pk"), moment=Moment.ENTRY)),
        has_exit=Exists(responses.filter(enrolment=OuterRef("pk"), moment=Moment.EXIT)),
        change=Subquery(change, output_field=IntegerField()),
    )


def _latest_situation(kind: str, as_of: date) -> Subquery:
    """An enrolment's situation at its latest follow-up of `kind` recorded up to `as_of`."""
    return Subquery(
        FollowUp.objects.filter(enrolment=OuterRef("pk"), kind=kind, date__lte=as_of)
        .order_by("-exit_date", "-date", "-pk")
        .values("situation")[:1]
    )


def follow_up_enrolments(project: Project, kind: str, as_of: date) -> QuerySet:  # situation_then
    """The project's enrolments with the situation of their latest follow-up of `kind`
    recorded by `as_of` (`situation_then`, None without one)."""
    return Enrolment.objects.filter(project=project).annotate(
        situation_then=_latest_situation(kind, as_of)
    )


def follow_up_indicator(
    project: Project, kind: str, situations: tuple[str, ...], as_of: date
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """People of the project with a follow-up of `kind` recorded up to `as_of` (their
    latest), and of them those then in one of `situations`; each (total, women, men).
    One query."""
    counts = follow_up_enrolments(project, kind, as_of).aggregate(
        **_by_sex("followed", Q(situation_then__isnull=False)),
        **_by_sex("matching", Q(situation_then__in=situations)),
    )
    return _counts_by_sex(counts, "followed"), _counts_by_sex(counts, "matching")


Values = tuple[Decimal | None, Decimal | None, Decimal | None]


def _as_values(counts: tuple[int, int, int], of: tuple[int, int, int] | None) -> Values:
    """(total, women, men) as numbers of people, or as percentages of `of`."""
    total, women, men = counts
    if of is None:
        return Decimal(total), Decimal(women), Decimal(men)
    return percentage(total, of[0]), percentage(women, of[1]), percentage(men, of[2])


def _indicator_row(
    indicator: Indicator, values: dict, entered: dict[int, IndicatorValue], as_of: date
) -> IndicatorRow:
    """One indicator's achieved value on the report's date, by its measure."""
    M, percent = Indicator.Measure, indicator.unit == Indicator.Unit.PERCENT
    if indicator.measure == M.MANUAL:
        value = entered.get(indicator.pk)
        if value is None:
            return IndicatorRow(indicator, None, None, None)
        return IndicatorRow(
            indicator, value.value_total, value.value_women, value.value_men, entered=value
        )
    if indicator.measure == M.QUESTIONNAIRE and indicator.questionnaire_id:
        figures = questionnaire_improvement(
            indicator.project, indicator.questionnaire_id, indicator.questionnaire_area, as_of
        )
        total, women, men = _as_values(figures.improved, figures.compared if percent else None)
        return IndicatorRow(
            indicator,
            total,
            women,
            men,
            compared=figures.compared[0],
            only_entry=figures.only_entry,
            only_exit=figures.only_exit,
        )
    if indicator.measure == M.FOLLOW_UP and indicator.follow_up_kind:
        followed, matching = follow_up_indicator(
            indicator.project,
            indicator.follow_up_kind,
            SITUATION_GROUPS.get(indicator.follow_up_situation, ()),
            as_of,
        )
        total, women, men = _as_values(matching, followed if percent else None)
        return IndicatorRow(indicator, total, women, men, followed_up=followed[0])
    return IndicatorRow(indicator, *values.get(indicator.measure, (None, None, None)))


def entered_values(project: Project, as_of: date) -> dict[int, IndicatorValue]:
    """The latest value entered by hand of each of the project's indicators, dated on or
    before `as_of` (the latest date; of one day, the last entered). One query."""
    latest = (
        IndicatorValue.objects.filter(indicator=OuterRef("indicator"), date__lte=as_of)
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    return {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(
            indicator__project=project, date__lte=as_of, pk=Subquery(latest)
        )
    }


def follow_up_state(project: Project, as_of: date) -> QuerySet[Enrolment]:
    """THE enrolments behind the project's situation after leaving: per scheduled kind,
    the latest situation recorded (`s_<kind>`) and whether the current exit's follow-up
    is missing (`missing_<kind>`); the figures are `follow_up_conditions` over them."""
    annotations: dict[str, Any] = {}
    overdue_by = as_of - WITHIN - timedelta(days=1)
    for kind in SCHEDULED:
        annotations[f"s_{kind}"] = _latest_situation(kind, as_of)
        annotations[f"missing_{kind}"] = ~Exists(
            FollowUp.objects.filter(
                enrolment=OuterRef("pk"), exit_date=OuterRef("end_date"), kind=kind, date__lte=as_of
            )
        )
        annotations[f"opened_{kind}"] = ExpressionWrapper(
            Q(end_date__isnull=False, end_date__lte=latest_exit_opened(kind, as_of)),
            output_field=BooleanField(),
        )
        annotations[f"late_{kind}"] = ExpressionWrapper(
            Q(end_date__isnull=False, end_date__lte=latest_exit_opened(kind, overdue_by)),
            output_field=BooleanField(),
        )
    return Enrolment.objects.filter(project=project).annotate(**annotations)


def follow_up_conditions(kind: str) -> dict[str, Q]:
    """The figures of one scheduled follow-up over `follow_up_state` (the drill-down;
    `follow_up_figures` adds up the same tests over its groups): due, to do (not
    recorded), overdue, recorded, and recorded in each situation."""
    missing = Q(**{f"missing_{kind}": True})
    return {
        "due": Q(**{f"opened_{kind}": True}),
        "to_do": Q(**{f"opened_{kind}": True}) & missing,
        "overdue": Q(**{f"late_{kind}": True}) & missing,
        "recorded": Q(**{f"s_{kind}__isnull": False}),
        **{situation: Q(**{f"s_{kind}": situation}) for situation in Situation.values},
    }


def follow_up_figures(project: Project, as_of: date) -> FollowUpFigures:
    """The project's people after leaving, per scheduled follow-up (see the module's
    definitions): due (their current exit's follow-up has come by `as_of`), not recorded
    and overdue; recorded (each person's latest of the kind), by situation, with women.
    One query."""
    state = follow_up_state(project, as_of)
    names = [
        f"{prefix}_{kind}" for kind in SCHEDULED for prefix in ("s", "missing", "opened", "late")
    ]
    # Each subquery once per enrolment (`grouped_counts`), the groups added up here.
    c: dict[str, int] = defaultdict(int)
    for group in grouped_counts(state, "participant__sex", *names):
        n, woman = group["n"], group["participant__sex"] == "F"
        for kind in SCHEDULED:
            missing = group[f"missing_{kind}"]
            if group[f"opened_{kind}"]:
                c[f"due_{kind}"] += n
                c[f"todo_{kind}"] += n if missing else 0
            if group[f"late_{kind}"] and missing:
                c[f"late_{kind}"] += n
            situation = group[f"s_{kind}"]
            if situation is not None:
                c[f"rec_{kind}"] += n
                c[f"rec_{kind}_w"] += n if woman else 0
                c[f"{kind}_{situation}"] += n
                c[f"{kind}_{situation}_w"] += n if woman else 0
    kinds = [str(kind) for kind in SCHEDULED]
    return FollowUpFigures(
        kinds=kinds,
        due=[c[f"due_{k}"] for k in kinds],
        to_do=[c[f"todo_{k}"] for k in kinds],
        overdue=[c[f"late_{k}"] for k in kinds],
        recorded=[People(c[f"rec_{k}"], c[f"rec_{k}_w"]) for k in kinds],
        situations=[
            SituationRow(
                situation,
                str(label),
                [People(c[f"{k}_{situation}"], c[f"{k}_{situation}_w"]) for k in kinds],
                kinds,
            )
            for situation, label in Situation.choices
        ],
    )


def project_people(project: Project, as_of: date) -> QuerySet[Participant]:
    """The project's participants: enrolled by `as_of`."""
    enrolled = Enrolment.objects.filter(project=project, start_date__lte=as_of)
    return Participant.objects.filter(pk__in=enrolled.values("participant_id"))


def project_statuses(project: Project, as_of: date) -> QuerySet[Enrolment]:
    """The project's enrolments with their status on `as_of` (`STATUSES` over them)."""
    return with_status_on(
        Enrolment.objects.filter(project=project), "status_then", as_of, enrolment__project=project
    )


STATUSES: dict[str, Q] = {
    Enrolment.Status.ACTIVE.value: Q(status_then__in=ACTIVE_KINDS),
    **{
        status.value: Q(status_then=status)
        for status in (
            Enrolment.Status.COMPLETED,
            Enrolment.Status.DROPPED_OUT,
            Enrolment.Status.LEFT_FOR_JOB,
        )
    },
}


def project_report(project: Project) -> ProjectReport:
    """The project up to today: people, indicators, hours held against the plan,
    drop-outs, budget and costs."""
    as_of = timezone.localdate()
    values = _indicator_values(project, as_of)
    entered = entered_values(project, as_of)
    indicators = [
        _indicator_row(i, values, entered, as_of)
        for i in project.indicators.select_related("project", "questionnaire")
    ]
    held_hours = (
        Session.objects.held(as_of=as_of)
        .filter(activity=OuterRef("pk"))
        .values("activity")
        .annotate(n=Sum("duration_hours"))
        .values("n")
    )
    attended = (
        Attendance.objects.filter(
            session__activity=OuterRef("pk"),
            session__date__lte=as_of,
            status=Attendance.Status.PRESENT,
        )
        .values("session__activity")
        .annotate(n=Sum("session__duration_hours"))
        .values("n")
    )
    people = (
        ActivityParticipant.objects.filter(activity=OuterRef("pk"))
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    activities = [
        ActivityRow(
            a.name, a.support_form.name, a.planned_hours, a.delivered, a.attended, a.people, a.pk
        )
        for a in project.activities.select_related("support_form")
        .annotate(
            delivered=Coalesce(
                Subquery(held_hours, output_field=HOURS), Value(ZERO), output_field=HOURS
            ),
            attended=Coalesce(
                Subquery(attended, output_field=HOURS), Value(ZERO), output_field=HOURS
            ),
            people=Coalesce(Subquery(people), Value(0)),
        )
        .order_by("start_date", "name")
    ]
    reasons = list(
        EnrolmentEvent.objects.filter(
            enrolment__project=project, kind=Kind.DROPPED_OUT, date__lte=as_of
        )
        .values_list("reason__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason__name")
    )
    Status = Enrolment.Status
    statuses = {
        str(status.value): 0
        for status in (Status.ACTIVE, Status.COMPLETED, Status.DROPPED_OUT, Status.LEFT_FOR_JOB)
    }
    # The tests of STATUSES, added up over the groups of `project_statuses`.
    for group in grouped_counts(project_statuses(project, as_of), "status_then"):
        kind = group["status_then"]
        key = Status.ACTIVE.value if kind in ACTIVE_KINDS else kind
        if key in statuses:
            statuses[key] += group["n"]
    return ProjectReport(
        project=project,
        as_of=as_of,
        people=_people(project_people(project, as_of)),
        indicators=indicators,
        activities=activities,
        dropout_reasons=reasons,
        execution=budget_execution(project, as_of=as_of),
        status_counts=statuses,
        follow_ups=follow_up_figures(project, as_of),
        short_contacts=short_contact_figures(
            ShortContact.objects.filter(project=project, date__lte=as_of)
        ),
    )


# --- the statutory report (art. 18a(6) of the Social Employment Act) ---------------------------
# In the structure of the ministry's data set "dane o klubach integracji społecznej"
# (MRiPS CAS 01), then what art. 18a(6) adds. Definitions (said in the report too):
# - a *participant* of the club took part in one of its projects or its own programme:
#   an enrolment running at some moment of the year up to the report's date (active on
#   1 January, started in the year, or came back in the year from a job), a person once;
# - *started* in the year: an enrolment started in the year, and not already taking
#   part on 1 January (a person once, however many enrolments);
# - statutory groups are those of art. 1(2) (the exclusion groups marked statutory), as
#   recorded on the person; a person may be in several, "other" is in none;
# - *finished* in the year: completed a project or left it for a job in the year and
#   not taking part in any project on the report's date; the situation after the club
#   is that of the person's last such exit in the year (recorded with it; a job gives
#   employment, own business or a social cooperative by its kind). People who dropped
#   out are not among them (counted apart);
# - *covered by social / vocational reintegration* by form of service: present at least
#   once in the year at a session of an activity of that support form (its reintegration
#   kind says which), or, for internships and socially useful work, a placement running
#   in the year; a person once per form and once in each total;
# - *staff*: staff members working in the club in the year (their "in the club
#   since / until" dates overlap it; one no longer active without an end date is not
#   counted), volunteers (volunteer agreement) apart; working time is hours per week,
#   and full-time equivalents are hours ÷ 40;
# - *funding sources*: expenditures in the year up to the report's date by source;
#   *settlement of grants*: each project running in the year, its plan for the year and
#   its spending in the year (the report is sent by 31 March of the next year, so its
#   year is the "previous year" of art. 18a(6)(4));
# - *one-off help* (short contacts) is not participation: its figures are given apart.

FULL_TIME_HOURS = Decimal("40")


def statutory_definitions() -> list[str]:
    """The definitions above in words, as the report states them (page, PDF, workbook)."""
    return [
        _(
            "Participants: people who took part in one of the club's projects or its own "
            "programme at some time in the year (active on 1 January, started in the year, or "
            "came back from a job); each person once."
        ),
        _(
            "Started in the year: an enrolment started in the year by a person who was not "
            "already taking part on 1 January."
        ),
        _(
            "Groups of art. 1(2) as recorded on the person; a person may belong to several, so "
            "the groups may add up to more than the total; “other” belong to none."
        ),
        _(
            "Finished: completed a project or left it for a job in the year and not taking part "
            "in any project on the report's date; the situation after the club is that of the "
            "last such exit, as recorded with it (a job by its kind). Drop-outs are not among "
            "them."
        ),
        _(
            "Covered by a form of service: present at least once in the year at a session of "
            "an activity of that support form, or, for internships and socially useful work, a "
            "placement running in the year; each person once per form and once in each total."
        ),
        _(
            "Staff: staff members working in the club in the year (by their dates in the staff "
            "records), volunteers apart; working time in hours per week, full-time equivalents "
            "= hours ÷ 40."
        ),
        _(
            "Money: expenditures of the year by source; for each project running in the year, "
            "its plan for the year and its spending in the year (the year reported is the "
            "“previous year” of art. 18a(6)(4)). Sessions and hours count only sessions held, "
            "never planned ones."
        ),
        _(
            "One-off help (a short contact: a single counselling session, consultation or "
            "information, without enrolment) is not participation in the club: its contacts, "
            "people and hours up to the report's date are given apart, after the activities."
        ),
    ]


@dataclass
class SexCount:
    """People by sex, with those whose sex is not recorded (staff before it was asked)."""

    women: int = 0
    men: int = 0
    unknown: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men + self.unknown


@dataclass
class FundingRow:
    label: str
    amount: Decimal
    source: str = ""


@dataclass
class StaffRow:
    label: str  # the legal basis of employment
    people: SexCount
    hours: Decimal  # per week
    kind: str = ""  # its code (the drill-down's row)

    @property
    def fte(self) -> Decimal:
        return round_half_up(self.hours / FULL_TIME_HOURS)


@dataclass
class GroupRow:
    name: str
    people: People
    key: str = ""  # the group's id, "other", or the situation's code (the drill-down's row)


@dataclass
class FormRow:
    name: str
    people: People
    form_id: int | None = None


@dataclass
class GrantRow:
    project: Project
    planned: Decimal
    spent: Decimal

    @property
    def percent(self) -> Decimal | None:
        return execution_percent(self.spent, self.planned)


@dataclass
class StatutoryReport(YearReport):
    funding: list[FundingRow]
    staff: list[StaffRow]
    volunteers: StaffRow
    started: list[GroupRow]  # the statutory groups, then "other"
    started_total: People
    participants: People
    finished: list[GroupRow]  # by situation after the club
    finished_total: People
    finished_working: People
    dropped_out: People
    social: list[FormRow]
    social_total: People
    vocational: list[FormRow]
    vocational_total: People
    activities: list[SupportRow]
    completions: int
    grants: list[GrantRow]
    # Not participation: apart from everything above (see statutory_definitions).
    short_contacts: ShortContactFigures = field(default_factory=ShortContactFigures)

    @property
    def funding_total(self) -> Decimal:
        return sum((row.amount for row in self.funding), ZERO)

    @property
    def staff_total(self) -> StaffRow:
        people = SexCount(
            sum(r.people.women for r in self.staff),
            sum(r.people.men for r in self.staff),
            sum(r.people.unknown for r in self.staff),
        )
        return StaffRow("", people, sum((r.hours for r in self.staff), ZERO))

    @property
    def grants_planned(self) -> Decimal:
        return sum((row.planned for row in self.grants), ZERO)

    @property
    def grants_spent(self) -> Decimal:
        return sum((row.spent for row in self.grants), ZERO)


def _taking_part_on(day: date, strictly_before: bool = False, **narrowed: Any) -> QuerySet:
    """Ids of people taking part in a project on a day (before it began: at its start),
    from each enrolment's last event then (`latest_events`; `narrowed` to some people's
    enrolments where only they are asked about: a smaller window, a better plan)."""
    return (
        latest_events(day, strictly_before, **narrowed)
        .filter(kind__in=ACTIVE_KINDS)
        .values("enrolment__participant_id")
    )


def engaged_people(year: int) -> QuerySet[Participant]:
    """The club's participants of the year (the statutory report's definition): taking
    part on 1 January, started in the year, or came back in the year from a job. One
    `IN (… UNION …)` of the three sets of ids."""
    first, last = year_period(year)
    return Participant.objects.filter(
        pk__in=_union(
            [
                _taking_part_on(first, strictly_before=True),
                Enrolment.objects.filter(start_date__range=(first, last)).values("participant_id"),
                _ids_with_event([Kind.RETURNED], first, last),
            ]
        )
    )


def _ids_with_event(kinds: list[str], first: date, last: date) -> QuerySet:
    return EnrolmentEvent.objects.filter(kind__in=kinds, date__range=(first, last)).values(
        "enrolment__participant_id"
    )


def statutory_staff_members(year: int) -> QuerySet[StaffMember]:
    """Staff members (volunteers included) working in the club in the year."""
    first, last = year_period(year)
    return (
        StaffMember.objects.filter(Q(works_since__isnull=True) | Q(works_since__lte=last))
        .filter(Q(works_until__isnull=True) | Q(works_until__gte=first))
        .filter(Q(is_active=True) | Q(works_until__isnull=False))
    )


def _statutory_staff(year: int) -> tuple[list[StaffRow], StaffRow]:
    members = statutory_staff_members(year)
    labels = dict(StaffMember.Employment.choices)
    rows = {}
    for row in (
        members.values("employment_type")
        .annotate(
            women=Count("pk", filter=Q(sex="F")),
            men=Count("pk", filter=Q(sex="M")),
            unknown=Count("pk", filter=Q(sex="")),
            hours=_sum("hours_per_week", HOURS),
        )
        .order_by("employment_type")
    ):
        rows[row["employment_type"]] = StaffRow(
            str(labels[row["employment_type"]]),
            SexCount(row["women"], row["men"], row["unknown"]),
            row["hours"],
            row["employment_type"],
        )
    volunteer = StaffMember.Employment.VOLUNTEER
    volunteers = rows.pop(volunteer, StaffRow(str(labels[volunteer]), SexCount(), ZERO, volunteer))
    staff = [rows[kind] for kind in StaffMember.Employment.values if kind in rows]
    return staff, volunteers


OTHER_GROUP = "other"
NOT_RECORDED = "none"  # the row of the finished whose situation is not recorded


def statutory_started(year: int) -> QuerySet[Participant]:
    """Started in the year: an enrolment started in the year by a person not already
    taking part on 1 January."""
    first, last = year_period(year)
    started_ids = Enrolment.objects.filter(start_date__range=(first, last)).values("participant_id")
    # Only the starters' enrolments in the window: a smaller one, and a plan PostgreSQL
    # judges right (see `_taking_part_on`).
    at_start = _taking_part_on(first, True, enrolment__participant__in=started_ids)
    # Sets of people in SQL (EXCEPT, UNION): each computed once, never an `OR` of `IN`
    # subqueries or a list of ids sent back.
    return Participant.objects.filter(pk__in=started_ids.order_by().difference(at_start.order_by()))


def statutory_started_in_group(year: int, group: int) -> QuerySet[Participant]:
    return statutory_started(year).filter(
        pk__in=ExclusionGroup.participants.through.objects.filter(
            exclusiongroup_id=group, exclusiongroup__is_statutory=True
        ).values("participant_id")
    )


def statutory_started_other(year: int) -> QuerySet[Participant]:
    """Of those who started, the people in none of the groups of art. 1(2)."""
    first, last = year_period(year)
    started_ids = Enrolment.objects.filter(start_date__range=(first, last)).values("participant_id")
    at_start = _taking_part_on(first, True, enrolment__participant__in=started_ids)
    membership = Participant.groups.through.objects.filter(exclusiongroup__is_statutory=True)
    return Participant.objects.filter(
        pk__in=started_ids.order_by().difference(
            at_start.order_by(), membership.values("participant_id").order_by()
        )
    )


def statutory_participants(year: int) -> QuerySet[Participant]:
    """The club's participants of the year (see the definitions above)."""
    return engaged_people(year)


def statutory_finished(year: int) -> QuerySet:  # annotated: situation_after
    """Finished in the year: completed or left for a job in the year and not taking part
    on the report's date; `situation_after` is the situation of the last such exit."""
    first, last = year_period(year)
    exits = EnrolmentEvent.objects.filter(
        kind__in=[Kind.COMPLETED, Kind.LEFT_FOR_JOB], date__range=(first, last)
    )
    latest = (
        exits.filter(enrolment__participant=OuterRef("pk"))
        .order_by("-date", "-pk")
        .values("situation")[:1]
    )
    exit_ids = exits.values("enrolment__participant_id")
    # Taking part on the report's date: asked of those who left only (a small NOT IN).
    still_in = _taking_part_on(last, enrolment__participant__in=exit_ids)
    return (
        Participant.objects.filter(pk__in=exit_ids)
        .exclude(pk__in=still_in)
        .annotate(situation_after=Subquery(latest))
    )


def statutory_finished_in(year: int, situation: str) -> QuerySet[Participant]:
    code = "" if situation == NOT_RECORDED else situation
    return statutory_finished(year).filter(situation_after=code)


def statutory_finished_working(year: int) -> QuerySet[Participant]:
    working = (ExitSituation.EMPLOYED, ExitSituation.SELF_EMPLOYED, ExitSituation.COOPERATIVE)
    return statutory_finished(year).filter(situation_after__in=working)


def statutory_dropped_out(year: int) -> QuerySet[Participant]:
    """Dropped out in the year, neither finished nor taking part on the report's date."""
    first, last = year_period(year)
    exits = EnrolmentEvent.objects.filter(
        kind__in=[Kind.COMPLETED, Kind.LEFT_FOR_JOB], date__range=(first, last)
    )
    # Not among those who left (an exit in the year) nor taking part on the report's date.
    dropped_ids = _ids_with_event([Kind.DROPPED_OUT], first, last).order_by()
    still_in = _taking_part_on(last, enrolment__participant__in=dropped_ids)
    return Participant.objects.filter(
        pk__in=dropped_ids.difference(
            exits.values("enrolment__participant_id").order_by(), still_in.order_by()
        )
    )


def statutory_completions(year: int) -> QuerySet[ActivityParticipant]:
    return ActivityParticipant.objects.filter(completed_on__range=year_period(year))


def form_presences(year: int) -> QuerySet[Attendance]:
    """Presences at sessions in the year: who was covered by each support form."""
    first, last = year_period(year)
    return Attendance.objects.filter(
        session__date__range=(first, last), status=Attendance.Status.PRESENT
    )


FORM_OF_PLACEMENT = (Placement.Kind.INTERNSHIP, Placement.Kind.SOCIALLY_USEFUL_WORK)


def form_people(year: int, forms: QuerySet[SupportForm]) -> QuerySet[Participant]:
    """THE people covered by some support forms in the year: present at one of their
    sessions, or (internships, socially useful work) in a placement of their kind."""
    kinds = forms.filter(code__in=FORM_OF_PLACEMENT).values("code")
    placements = running_in(Placement.objects.filter(kind__in=kinds), year)
    presences = form_presences(year).filter(session__activity__support_form__in=forms)
    return Participant.objects.filter(
        Q(pk__in=presences.values("participant_id")) | Q(pk__in=placements.values("participant_id"))
    )


def _people_by_form(year: int) -> dict[int, dict[int, str]]:
    """{support form id: {person id: sex}} of the people covered by each form in the year,
    as `form_people` defines them, in two queries for all forms."""
    covered: dict[int, dict[int, str]] = {}
    for form_id, person, sex in (
        form_presences(year)
        .values_list("session__activity__support_form_id", "participant_id", "participant__sex")
        .distinct()
    ):
        covered.setdefault(form_id, {})[person] = sex
    forms_by_code = dict(
        SupportForm.objects.filter(code__in=FORM_OF_PLACEMENT).values_list("code", "pk")
    )
    for kind, person, sex in (
        running_in(Placement.objects, year=year)
        .values_list("kind", "participant_id", "participant__sex")
        .distinct()
    ):
        if kind in forms_by_code:
            covered.setdefault(forms_by_code[kind], {})[person] = sex
    return covered


def _form_rows(
    forms: list[SupportForm], covered: dict[int, dict[int, str]]
) -> tuple[list[FormRow], People]:
    rows: list[FormRow] = []
    everybody: dict[int, str] = {}
    for form in forms:
        people = covered.get(form.pk, {})
        everybody.update(people)
        women = sum(1 for sex in people.values() if sex == "F")
        rows.append(FormRow(form.name, People(len(people), women), form.pk))
    women = sum(1 for sex in everybody.values() if sex == "F")
    return rows, People(len(everybody), women)


def statutory_report(year: int) -> StatutoryReport:
    """The yearly report to the voivode, up to the report's date, in the structure of
    the ministry's data set (see the definitions above). The number of queries does not
    depend on the number of people."""
    first, last = year_period(year)
    sources = dict(Expenditure.Source.choices)
    spent_by_source = dict(
        Expenditure.objects.filter(date__range=(first, last))
        .values("source")
        .annotate(n=_sum("amount"))
        .values_list("source", "n")
    )
    funding = [
        FundingRow(str(label), spent_by_source.get(code, ZERO), code)
        for code, label in sources.items()
    ]
    staff, volunteers = _statutory_staff(year)

    started = statutory_started(year)
    # The people who started joined to each group (an `IN` in the join: a semi-join).
    starters = FilteredRelation(
        "participants", condition=Q(participants__in=started.values("pk").query)
    )
    groups = [
        GroupRow(row["name"], People(row["total"], row["women"]), str(row["pk"]))
        for row in ExclusionGroup.objects.filter(is_statutory=True)
        .annotate(starter=starters)
        .annotate(
            total=Count("starter", distinct=True),
            women=Count("starter", filter=Q(starter__sex="F"), distinct=True),
        )
        .values("pk", "name", "total", "women", "order")
        .order_by("order", "name")
    ]
    groups.append(
        GroupRow(
            str(_("other participants (none of these groups)")),
            _people(statutory_started_other(year)),
            OTHER_GROUP,
        )
    )
    participants = statutory_participants(year)

    by_situation = {
        row["situation_after"]: People(row["total"], row["women"])
        for row in statutory_finished(year)
        .values("situation_after")
        .annotate(total=Count("pk"), women=Count("pk", filter=FEMALE))
        .order_by()
    }
    situations = [*ExitSituation.choices, ("", _("situation not recorded"))]
    finished = [
        GroupRow(str(label), by_situation.get(code, People()), code or NOT_RECORDED)
        for code, label in situations
    ]
    dropped = statutory_dropped_out(year)

    covered = _people_by_form(year)
    forms = list(SupportForm.objects.order_by("order", "name"))
    social, social_total = _form_rows(
        [f for f in forms if f.reintegration == SupportForm.Reintegration.SOCIAL], covered
    )
    vocational, vocational_total = _form_rows(
        [f for f in forms if f.reintegration == SupportForm.Reintegration.VOCATIONAL], covered
    )

    activities = [
        SupportRow(
            row["activity__support_form__name"],
            row["sessions"],
            row["hours"],
            row["activity__support_form"],
        )
        for row in held_sessions(year)
        .values(
            "activity__support_form",
            "activity__support_form__name",
            "activity__support_form__order",
        )
        .annotate(sessions=Count("pk"), hours=_sum("duration_hours", HOURS))
        .order_by("activity__support_form__order")
    ]
    completions = statutory_completions(year).count()

    projects = list(projects_in_year(year))
    planned = dict(
        BudgetLine.objects.filter(year=year, project__in=projects)
        .values("project")
        .annotate(n=_sum("planned_amount"))
        .values_list("project", "n")
    )
    spent = dict(
        Expenditure.objects.filter(date__range=(first, last), project__in=projects)
        .values("project")
        .annotate(n=_sum("amount"))
        .values_list("project", "n")
    )
    grants = [
        GrantRow(p, planned.get(p.pk, ZERO), spent.get(p.pk, ZERO))
        for p in projects
        if p.pk in planned or p.pk in spent
    ]
    return StatutoryReport(
        year=year,
        as_of=last,
        funding=funding,
        staff=staff,
        volunteers=volunteers,
        started=groups,
        started_total=_people(started),
        participants=_people(participants),
        finished=finished,
        finished_total=People(
            sum(p.total for p in by_situation.values()), sum(p.women for p in by_situation.values())
        ),
        finished_working=_people(statutory_finished_working(year)),
        dropped_out=_people(dropped),
        social=social,
        social_total=social_total,
        vocational=vocational,
        vocational_total=vocational_total,
        activities=activities,
        completions=completions,
        grants=grants,
        short_contacts=year_short_contacts(year),
    )


@dataclass
class YearGlance:
    year: int
    served: People
    taking_part: People
    jobs: People
    budget: YearBudget


def year_at_a_glance(year: int) -> YearGlance:
    """The manager's dashboard: the current year so far. Every figure counts people:
    served in the year, taking part in a project now (a person in two projects once),
    took up work in the year."""
    active = Enrolment.objects.filter(status=Enrolment.Status.ACTIVE)
    return YearGlance(
        year=year,
        served=_people(served_people(year)),
        taking_part=_people(Participant.objects.filter(pk__in=active.values("participant_id"))),
        jobs=job_figures(year).people,
        budget=year_budget(year),
    )


@dataclass
class ProjectIndicators:
    project: Project
    rows: list[IndicatorRow]


def running_projects_indicators(as_of: date | None = None) -> list[ProjectIndicators]:
    """The indicators of the projects in progress against their targets, measured as
    the project report measures them (`_indicator_row`) up to today: the manager's
    dashboard. A few queries per project (a centre runs a few at a time)."""
    as_of = as_of or timezone.localdate()
    result = []
    projects = Project.objects.filter(
        status=Project.Status.ACTIVE, start_date__lte=as_of, end_date__gte=as_of
    ).order_by("start_date", "pk")
    for project in projects:
        indicators = list(project.indicators.select_related("project", "questionnaire"))
        if not indicators:
            continue
        values = _indicator_values(project, as_of)
        entered = entered_values(project, as_of)
        result.append(
            ProjectIndicators(
                project, [_indicator_row(i, values, entered, as_of) for i in indicators]
            )
        )
    return result
