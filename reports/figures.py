"""The registry of report figures: every count (and every sum of money or hours) in the
annual summary, the project report and the report to the voivode, by key, with the
records it counts.

A figure is a key ("annual.served"), the report it belongs to, the kind of records it
counts (people, enrolments, sessions, contracts, placements, expenditures…), its
definition in words and ONE queryset function giving those records for a scope (a
year, a project, a row of a table such as a support form, and optionally only women or
men). Its value is that queryset's `.count()` (or the sum of one field, for money and
hours), its drill-down list is the same queryset's rows: where a report counts many
figures in one query (the flows of people, the project's statuses), the report and the
function are built from the same named queryset and condition (`selectors.FLOWS`), so
list and number cannot disagree. The tests render every report, follow every figure's
link and compare the rows with the number shown, and fail on a number of a report table
that is not a figure (reports/tests/test_figures.py).

The templates render a figure with `{% figure "key" value year=… %}`
(reports/templatetags/figures.py): a link to its list on the page, the plain number in
print; when a report is issued the same tag collects every figure shown, with its value,
into the issued report's data (reports.issuing).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from participants.models import (
    SCHEDULED,
    SITUATION_GROUPS,
    Activity,
    ActivityParticipant,
    Attendance,
    CommunityEvent,
    Employment,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    ExitSituation,
    FollowUpKind,
    Participant,
    Placement,
    Session,
    ShortContact,
    Situation,
    SocialContract,
    SupportForm,
)
from projects.models import (
    BudgetCategory,
    BudgetLine,
    Expenditure,
    Indicator,
    Project,
    StaffMember,
)
from reports import selectors as s

ANNUAL, PROJECT, STATUTORY = "annual", "project", "statutory"
REPORT_NAMES: dict[str, Promise] = {
    ANNUAL: _("annual summary"),
    PROJECT: _("project report"),
    STATUTORY: _("report to the voivode"),
}
PARTS: dict[str, Promise] = {
    "women": _("women"),
    "men": _("men"),
    "unknown": _("sex not recorded"),
}
SEX_OF_PART = {"women": "F", "men": "M", "unknown": ""}


@dataclass(frozen=True)
class Scope:
    """What a figure is counted for: a year or a project, a row of its table (a support
    form, a placement's kind, a category…), and women or men only."""

    year: int | None = None
    project: Project | None = None
    row: str = ""
    part: str = ""

    def params(self) -> dict[str, str]:
        """The query string of the figure's list (and its key in an issued report)."""
        values = {
            "year": str(self.year) if self.year else "",
            "project": str(self.project.pk) if self.project else "",
            "row": self.row,
            "part": self.part,
        }
        return {name: value for name, value in values.items() if value}

    @property
    def as_of(self) -> date:
        """The report's date: 31 December (or today) of a year; today for a project."""
        if self.year:
            return s.report_date(self.year)
        return timezone.localdate()

    def row_int(self) -> int | None:
        try:
            return int(self.row)
        except ValueError:
            return None


@dataclass(frozen=True)
class RecordKind:
    """What a figure's records are: their model, the way to the person (for the access
    rules and women/men) and the list's columns."""

    name: str
    model: type
    label: Promise
    person: str | None  # lookup from the record to its participant; "" = the record is one
    sex: str | None  # lookup of the sex (women / men); None: not by sex
    related: tuple[str, ...] = ()
    order: tuple[str, ...] = ("pk",)


PEOPLE = RecordKind(
    "people", Participant, _("people"), "", "sex", order=("last_name", "first_name", "pk")
)
ENROLMENTS = RecordKind(
    "enrolments",
    Enrolment,
    _("enrolments"),
    "participant",
    "participant__sex",
    related=("participant", "project"),
    order=("participant__last_name", "participant__first_name", "pk"),
)
ENROLMENT_EVENTS = RecordKind(
    "enrolment_events",
    EnrolmentEvent,
    _("changes of participation"),
    "enrolment__participant",
    "enrolment__participant__sex",
    related=("enrolment__participant", "enrolment__project", "reason"),
    order=("date", "pk"),
)
CONTRACTS = RecordKind(
    "contracts",
    SocialContract,
    _("social contracts"),
    "participant",
    "participant__sex",
    related=("participant",),
    order=("signed_on", "pk"),
)
PLACEMENTS = RecordKind(
    "placements",
    Placement,
    _("placements"),
    "participant",
    "participant__sex",
    related=("participant",),
    order=("start_date", "pk"),
)
JOBS = RecordKind(
    "jobs",
    Employment,
    _("jobs"),
    "participant",
    "participant__sex",
    related=("participant",),
    order=("start_date", "pk"),
)
CONTACTS = RecordKind(
    "contacts",
    ShortContact,
    _("short contacts"),
    "participant",
    "participant__sex",
    related=("participant", "staff"),
    order=("date", "pk"),
)
SESSIONS = RecordKind(
    "sessions",
    Session,
    _("sessions"),
    None,
    None,
    related=("activity", "activity__support_form"),
    order=("date", "start_time", "pk"),
)
PRESENCES = RecordKind(
    "presences",
    Attendance,
    _("presences at sessions"),
    "participant",
    "participant__sex",
    related=("participant", "session", "session__activity"),
    order=("session__date", "pk"),
)
ASSIGNMENTS = RecordKind(
    "assignments",
    ActivityParticipant,
    _("people assigned to activities"),
    "participant",
    "participant__sex",
    related=("participant", "activity"),
    order=("participant__last_name", "participant__first_name", "pk"),
)
EVENTS = RecordKind(
    "events", CommunityEvent, _("community events"), None, None, order=("date", "pk")
)
EXPENDITURES = RecordKind(
    "expenditures",
    Expenditure,
    _("expenditure documents"),
    None,
    None,
    related=("project", "category"),
    order=("date", "pk"),
)
BUDGET_LINES = RecordKind(
    "budget_lines",
    BudgetLine,
    _("budget lines"),
    None,
    None,
    related=("project", "category"),
    order=("project__title", "year", "category__order", "pk"),
)
STAFF = RecordKind(
    "staff", StaffMember, _("staff"), None, "sex", order=("last_name", "first_name", "pk")
)
KINDS = {
    kind.name: kind
    for kind in (
        PEOPLE,
        ENROLMENTS,
        ENROLMENT_EVENTS,
        CONTRACTS,
        PLACEMENTS,
        JOBS,
        CONTACTS,
        SESSIONS,
        PRESENCES,
        ASSIGNMENTS,
        EVENTS,
        EXPENDITURES,
        BUDGET_LINES,
        STAFF,
    )
}
# Money figures open only to those who may see the money.
MONEY_KINDS = {EXPENDITURES.name, BUDGET_LINES.name}


@dataclass(frozen=True)
class Figure:
    key: str
    report: str
    kind: RecordKind
    label: Promise
    definition: Promise
    records: Callable[[Scope], QuerySet[Any]]
    # The figure is the sum of this field over its records (money, hours, places);
    # otherwise it is their number.
    total: str | None = None
    # A figure by sex is counted over people; `parts` lists those it is given for.
    parts: tuple[str, ...] = field(default=())
    # What the scope's row is (a key of ROW_LABELS), if the figure has rows.
    row: str = ""

    def queryset(self, scope: Scope) -> QuerySet[Any]:
        """THE records of the figure: its value counts (or sums) them, its list shows them."""
        records = self.records(scope)
        if scope.part:
            if scope.part not in self.parts or self.kind.sex is None:
                raise ValueError(scope.part)
            records = records.filter(**{self.kind.sex: SEX_OF_PART[scope.part]})
        return records

    def value(self, scope: Scope) -> int | Decimal:
        records = self.queryset(scope)
        if self.total:
            total = records.aggregate(n=Sum(self.total))["n"]
            return total if total is not None else Decimal("0")
        return records.count()

    def ids(self, scope: Scope) -> list[int]:
        return list(self.queryset(scope).order_by("pk").values_list("pk", flat=True))


FIGURES: dict[str, Figure] = {}


def figure(
    key: str,
    report: str,
    kind: RecordKind,
    label: Promise,
    definition: Promise,
    *,
    total: str | None = None,
    parts: tuple[str, ...] = (),
    row: str = "",
) -> Callable[[Callable[[Scope], QuerySet[Any]]], Callable[[Scope], QuerySet[Any]]]:
    """Register the decorated function as the records of the figure `key`."""

    def register(function: Callable[[Scope], QuerySet[Any]]) -> Callable[[Scope], QuerySet[Any]]:
        if key in FIGURES:
            raise ValueError(f"Figure {key} registered twice")
        FIGURES[key] = Figure(key, report, kind, label, definition, function, total, parts, row)
        return function

    return register


WOMEN = ("women",)
BY_SEX = ("women", "men")


def _year(scope: Scope) -> int:
    if not scope.year:
        raise ValueError("a year")
    return scope.year


def _project(scope: Scope) -> Project:
    if scope.project is None:
        raise ValueError("a project")
    return scope.project


# --- the annual summary --------------------------------------------------------------------

SERVED = _(
    "People served: took part in a project or the club's programme, attended a session, had "
    "a social contract in force, an internship or socially useful work, came to a community "
    "event or received one-off help in the year, up to the report's date; each person once."
)


@figure("annual.served", ANNUAL, PEOPLE, _("People served"), SERVED, parts=BY_SEX)
def _served(scope: Scope) -> QuerySet[Participant]:
    return s.served_people(_year(scope))


@figure(
    "annual.long_term",
    ANNUAL,
    PEOPLE,
    _("Long-term cooperation"),
    _(
        "Long-term cooperation: an enrolment in the club's own programme running in the year, "
        "or a social contract in force during the year; each person once."
    ),
    parts=WOMEN,
)
def _long_term(scope: Scope) -> QuerySet[Participant]:
    return s.long_term_people(_year(scope))


@figure(
    "annual.contracts_concluded",
    ANNUAL,
    CONTRACTS,
    _("Social contracts concluded"),
    _("Social contracts signed in the year, up to the report's date."),
)
def _contracts_concluded(scope: Scope) -> QuerySet[SocialContract]:
    return s.contracts_concluded(_year(scope))


PLACED = _(
    "People with an internship or socially useful work (the row's form) running at some "
    "time in the year, up to the report's date; each person once."
)


@figure(
    "annual.placements",
    ANNUAL,
    PEOPLE,
    _("People in supported employment"),
    PLACED,
    parts=WOMEN,
    row="placement_kind",
)
def _placements(scope: Scope) -> QuerySet[Participant]:
    return s.placement_people(_year(scope), scope.row)


@figure(
    "annual.placements_50_plus",
    ANNUAL,
    PEOPLE,
    _("People in supported employment aged 50 or more"),
    _("Of the people in the row's form, those aged 50 or more on the report's date."),
    row="placement_kind",
)
def _placements_50_plus(scope: Scope) -> QuerySet[Participant]:
    year = _year(scope)
    return s.placement_people(year, scope.row).filter(s.aged_50_plus(year))


@figure(
    "annual.placements_single_parents",
    ANNUAL,
    PEOPLE,
    _("Single parents in supported employment"),
    _("Of the people in the row's form, those recorded as single parents."),
    row="placement_kind",
)
def _placements_single_parents(scope: Scope) -> QuerySet[Participant]:
    return s.placement_people(_year(scope), scope.row).filter(s.single_parents())


FLOW_FIGURES: dict[str, tuple[Promise, Promise]] = {
    "engaged": (
        _("Engaged in the year"),
        _(
            "Everybody who took part in the project at any time in the year: taking part on "
            "1 January, joined in the year, or came back in the year from a job left in an "
            "earlier year."
        ),
    ),
    "active_at_start": (
        _("Taking part from the start of the year"),
        _("People taking part in the project on 1 January."),
    ),
    "started": (_("Joined in the year"), _("People who joined the project in the year.")),
    "returned_from_earlier": (
        _("Back from a job left in an earlier year"),
        _("People away at a job on 1 January who came back to the project in the year."),
    ),
    "dropped_out": (_("Dropped out"), _("People who dropped out of the project in the year.")),
    "left_for_job": (
        _("Left for a job"),
        _("People who left the project for a job in the year."),
    ),
    "came_back": (
        _("Left for a job and came back"),
        _(
            "Of the people who left for a job in the year, those no longer away at a job on "
            "the report's date."
        ),
    ),
    "completed": (_("Completed"), _("People who completed the project in the year.")),
    "continuing": (
        _("Still taking part"),
        _("People taking part in the project on the report's date."),
    ),
    "returned": (
        _("Returned after a job"),
        _("People who came back to the project after a job in the year, whenever they had left."),
    ),
}


def _flow(name: str) -> Callable[[Scope], QuerySet[Enrolment]]:
    def records(scope: Scope) -> QuerySet[Enrolment]:
        return s.project_flows(_year(scope)).filter(project=_project(scope)).filter(s.FLOWS[name])

    return records


for _name, (_label, _definition) in FLOW_FIGURES.items():
    figure(
        f"annual.project.{_name}",
        ANNUAL,
        ENROLMENTS,
        _label,
        _definition,
        parts=WOMEN if _name == "engaged" else (),
    )(_flow(_name))


@figure(
    "annual.project.dropout_reason",
    ANNUAL,
    ENROLMENT_EVENTS,
    _("Drop-outs for a reason"),
    _("Drop-outs from the project in the year, up to the report's date, for the row's reason."),
    row="reason",
)
def _annual_dropout_reason(scope: Scope) -> QuerySet[EnrolmentEvent]:
    first, last = s.year_period(_year(scope))
    return _dropouts(scope).filter(date__range=(first, last))


def _dropouts(scope: Scope) -> QuerySet[EnrolmentEvent]:
    events = EnrolmentEvent.objects.filter(
        enrolment__project=_project(scope), kind=EnrolmentEvent.Kind.DROPPED_OUT
    )
    if scope.row:
        return events.filter(reason__name=scope.row)
    return events.filter(reason__isnull=True)


HELD = _(
    "Sessions held (dated on or before the report's date and past, or with the roll call "
    "taken) in the year of the row's support form; hours are their lengths added up."
)


def _project_form_sessions(scope: Scope) -> QuerySet[Session]:
    return s.held_sessions(_year(scope)).filter(
        activity__project=_project(scope), activity__support_form=scope.row_int()
    )


figure("annual.project.sessions", ANNUAL, SESSIONS, _("Sessions held"), HELD, row="support_form")(
    _project_form_sessions
)
figure(
    "annual.project.hours",
    ANNUAL,
    SESSIONS,
    _("Hours held"),
    HELD,
    total="duration_hours",
    row="support_form",
)(_project_form_sessions)


@figure(
    "annual.event_people",
    ANNUAL,
    PEOPLE,
    _("People from the register at the event"),
    _("People from the register recorded at the row's community event."),
    row="event",
)
def _event_people(scope: Scope) -> QuerySet[Participant]:
    return s.event_people(_year(scope), scope.row_int() or 0)


@figure(
    "annual.events_people",
    ANNUAL,
    PEOPLE,
    _("Different people from the register at community events"),
    _("People from the register at one of the year's community events at least; each once."),
)
def _events_people(scope: Scope) -> QuerySet[Participant]:
    return s.event_people(_year(scope))


EVENTS_OUTSIDE = _(
    "People from outside the register at the row's community event (or at all the year's "
    "events), as counted at the event: they are not in the register."
)


@figure(
    "annual.event_outside",
    ANNUAL,
    EVENTS,
    _("People from outside at community events"),
    EVENTS_OUTSIDE,
    total="outside_count",
    row="event",
)
def _event_outside(scope: Scope) -> QuerySet[CommunityEvent]:
    events = s.year_events(_year(scope))
    return events.filter(pk=scope.row_int() or 0) if scope.row else events


@figure(
    "annual.care_point_sessions",
    ANNUAL,
    SESSIONS,
    _("Sessions of the care point held"),
    _("Held sessions of the care point for dependants in the year; hours are their lengths."),
)
def _care_sessions(scope: Scope) -> QuerySet[Session]:
    return s.care_point_sessions(_year(scope))


figure(
    "annual.care_point_hours",
    ANNUAL,
    SESSIONS,
    _("Hours of the care point held"),
    _("Held sessions of the care point for dependants in the year; hours are their lengths."),
    total="duration_hours",
)(_care_sessions)


@figure(
    "annual.care_point_people",
    ANNUAL,
    PEOPLE,
    _("Adults who left dependants at the care point"),
    _("Different people marked present at a held session of the care point in the year."),
)
def _care_people(scope: Scope) -> QuerySet[Participant]:
    presences = s.care_point_presences(_year(scope))
    return Participant.objects.filter(pk__in=presences.values("participant_id"))


@figure(
    "annual.care_point_places",
    ANNUAL,
    PRESENCES,
    _("Dependant-places"),
    _(
        "The dependants left in the care point's care, added up over its held sessions: each "
        "presence below with the number of dependants it left."
    ),
    total="dependants",
)
def _care_places(scope: Scope) -> QuerySet[Attendance]:
    return s.care_point_presences(_year(scope))


PLANNED = _(
    "The budget lines of the year (the row's category or project, or all of them): the "
    "amounts planned for the whole year."
)
SPENT = _(
    "The expenditure documents dated in the year up to the report's date (of the row's "
    "category, source or project, or all of them)."
)


def _rows_of(records: QuerySet[Any], scope: Scope, lookup: str) -> QuerySet[Any]:
    if not scope.row:
        return records
    if lookup == "source":
        return records.filter(source=scope.row)
    return records.filter(**{lookup: scope.row_int()})


@figure("annual.planned", ANNUAL, BUDGET_LINES, _("Planned"), PLANNED, total="planned_amount")
def _annual_planned(scope: Scope) -> QuerySet[BudgetLine]:
    return s.year_budget_lines(_year(scope))


@figure(
    "annual.planned_category",
    ANNUAL,
    BUDGET_LINES,
    _("Planned in a category"),
    PLANNED,
    total="planned_amount",
    row="category",
)
def _annual_planned_category(scope: Scope) -> QuerySet[BudgetLine]:
    return _rows_of(s.year_budget_lines(_year(scope)), scope, "category")


@figure("annual.spent", ANNUAL, EXPENDITURES, _("Spent"), SPENT, total="amount")
def _annual_spent(scope: Scope) -> QuerySet[Expenditure]:
    return s.year_expenditures(_year(scope))


@figure(
    "annual.spent_category",
    ANNUAL,
    EXPENDITURES,
    _("Spent in a category"),
    SPENT,
    total="amount",
    row="category",
)
def _annual_spent_category(scope: Scope) -> QuerySet[Expenditure]:
    return _rows_of(s.year_expenditures(_year(scope)), scope, "category")


@figure(
    "annual.spent_source",
    ANNUAL,
    EXPENDITURES,
    _("Spent from a source"),
    SPENT,
    total="amount",
    row="source",
)
def _annual_spent_source(scope: Scope) -> QuerySet[Expenditure]:
    return _rows_of(s.year_expenditures(_year(scope)), scope, "source")


@figure(
    "annual.jobs_people",
    ANNUAL,
    PEOPLE,
    _("People who took up work"),
    _("People who took up work in the year up to the report's date; each person once."),
    parts=WOMEN,
)
def _jobs_people(scope: Scope) -> QuerySet[Participant]:
    return s.job_people(_year(scope))


@figure(
    "annual.jobs_short",
    ANNUAL,
    JOBS,
    _("Short-term jobs"),
    _("Jobs taken up in the year up to the report's date, not marked as longer."),
)
def _jobs_short(scope: Scope) -> QuerySet[Employment]:
    return s.year_jobs(_year(scope)).filter(is_long_term=False)


@figure(
    "annual.jobs_long",
    ANNUAL,
    JOBS,
    _("Longer jobs"),
    _("Jobs taken up in the year up to the report's date, marked as longer."),
)
def _jobs_long(scope: Scope) -> QuerySet[Employment]:
    return s.year_jobs(_year(scope)).filter(is_long_term=True)


# --- the project report (up to today) -------------------------------------------------------


@figure(
    "project.people",
    PROJECT,
    PEOPLE,
    _("Participants"),
    _("People enrolled in the project by the report's date."),
    parts=BY_SEX,
)
def _project_people(scope: Scope) -> QuerySet[Participant]:
    return s.project_people(_project(scope), scope.as_of)


STATUS_FIGURES: dict[str, tuple[Promise, Promise]] = {
    "active": (_("Taking part"), _("Enrolments active on the report's date.")),
    "completed": (_("Completed"), _("Enrolments completed by the report's date.")),
    "dropped_out": (_("Dropped out"), _("Enrolments ended by a drop-out by the report's date.")),
    "left_for_job": (
        _("Away at a job"),
        _("Enrolments whose person left for a job and was away at it on the report's date."),
    ),
}


def _status(status: str) -> Callable[[Scope], QuerySet[Enrolment]]:
    def records(scope: Scope) -> QuerySet[Enrolment]:
        return s.project_statuses(_project(scope), scope.as_of).filter(s.STATUSES[status])

    return records


for _name, (_label, _definition) in STATUS_FIGURES.items():
    figure(f"project.status.{_name}", PROJECT, ENROLMENTS, _label, _definition)(_status(_name))


def _indicator(scope: Scope) -> Indicator:
    indicator = Indicator.objects.filter(project=_project(scope), pk=scope.row_int() or 0).first()
    if indicator is None:
        raise ValueError("an indicator of the project")
    return indicator


@figure(
    "project.indicator",
    PROJECT,
    ENROLMENTS,
    _("Indicator achieved"),
    _(
        "The people counted by the indicator's measure: participants enrolled by the report's "
        "date; those away at a job on that date; those with a social contract signed by then; "
        "those whose questionnaire score improved; or those whose latest follow-up of the "
        "indicator's kind found them in its situations."
    ),
    parts=BY_SEX,
    row="indicator",
)
def _project_indicator(scope: Scope) -> QuerySet[Enrolment]:
    indicator = _indicator(scope)
    project, as_of, measure = _project(scope), scope.as_of, indicator.measure
    if measure == Indicator.Measure.QUESTIONNAIRE and indicator.questionnaire_id:
        return s.questionnaire_enrolments(
            project, indicator.questionnaire_id, indicator.questionnaire_area, as_of
        ).filter(s.QUESTIONNAIRE_BOTH & s.QUESTIONNAIRE_IMPROVED)
    if measure == Indicator.Measure.FOLLOW_UP and indicator.follow_up_kind:
        situations = SITUATION_GROUPS.get(indicator.follow_up_situation, ())
        return s.follow_up_enrolments(project, indicator.follow_up_kind, as_of).filter(
            situation_then__in=situations
        )
    if measure in s.INDICATOR_MEASURES:
        return s.indicator_enrolments(project, as_of).filter(s.INDICATOR_MEASURES[measure])
    raise ValueError("an indicator measured from the register")


@figure(
    "project.activity_people",
    PROJECT,
    ASSIGNMENTS,
    _("People assigned to the activity"),
    _("People assigned to the row's activity."),
    row="activity",
)
def _activity_people(scope: Scope) -> QuerySet[ActivityParticipant]:
    return ActivityParticipant.objects.filter(
        activity__project=_project(scope), activity=scope.row_int() or 0
    )


DELIVERED = _(
    "Sessions held by the report's date (past, or with the roll call taken) of the row's "
    "activity, or of all the project's activities; hours are their lengths added up."
)


@figure(
    "project.delivered_hours",
    PROJECT,
    SESSIONS,
    _("Hours held"),
    DELIVERED,
    total="duration_hours",
    row="activity",
)
def _delivered(scope: Scope) -> QuerySet[Session]:
    sessions = Session.objects.held(as_of=scope.as_of).filter(activity__project=_project(scope))
    return sessions.filter(activity=scope.row_int() or 0) if scope.row else sessions


@figure(
    "project.participant_hours",
    PROJECT,
    PRESENCES,
    _("Participant-hours attended"),
    _(
        "Presences at the sessions of the row's activity (or of all the project's "
        "activities) dated by the report's date: each adds the length of its session."
    ),
    total="session__duration_hours",
    row="activity",
)
def _participant_hours(scope: Scope) -> QuerySet[Attendance]:
    presences = Attendance.objects.filter(
        session__activity__project=_project(scope),
        session__date__lte=scope.as_of,
        status=Attendance.Status.PRESENT,
    )
    return presences.filter(session__activity=scope.row_int() or 0) if scope.row else presences


@figure(
    "project.dropout_reason",
    PROJECT,
    ENROLMENT_EVENTS,
    _("Drop-outs for a reason"),
    _("Drop-outs from the project by the report's date, for the row's reason."),
    row="reason",
)
def _project_dropout_reason(scope: Scope) -> QuerySet[EnrolmentEvent]:
    return _dropouts(scope).filter(date__lte=scope.as_of)


FOLLOW_UP_FIGURES: dict[str, tuple[Promise, Promise]] = {
    "due": (
        _("Follow-up due"),
        _("People whose follow-up of the row's kind after their last exit has come."),
    ),
    "to_do": (
        _("Follow-up due, not recorded"),
        _("Of the people whose follow-up has come, those without it recorded."),
    ),
    "overdue": (
        _("Follow-up overdue"),
        _("Of the people without the follow-up recorded, those past its four weeks."),
    ),
    "recorded": (
        _("Follow-up recorded"),
        _(
            "People with a follow-up of the row's kind recorded by the report's date (their "
            "latest); with a situation, those it found in it."
        ),
    ),
}


def _follow_up(name: str) -> Callable[[Scope], QuerySet[Enrolment]]:
    def records(scope: Scope) -> QuerySet[Enrolment]:
        kind, _sep, situation = scope.row.partition(":")
        if kind not in SCHEDULED:
            raise ValueError("a scheduled follow-up")
        conditions = s.follow_up_conditions(kind)
        condition = conditions[situation] if name == "recorded" and situation else conditions[name]
        return s.follow_up_state(_project(scope), scope.as_of).filter(condition)

    return records


for _name, (_label, _definition) in FOLLOW_UP_FIGURES.items():
    figure(
        f"project.follow_up.{_name}",
        PROJECT,
        ENROLMENTS,
        _label,
        _definition,
        parts=WOMEN if _name == "recorded" else (),
        row="follow_up",
    )(_follow_up(_name))


@figure(
    "project.spent",
    PROJECT,
    EXPENDITURES,
    _("Spent so far"),
    _("The project's expenditure documents dated by the report's date."),
    total="amount",
)
def _project_spent(scope: Scope) -> QuerySet[Expenditure]:
    return Expenditure.objects.filter(project=_project(scope), date__lte=scope.as_of)


@figure(
    "project.planned",
    PROJECT,
    BUDGET_LINES,
    _("Planned"),
    _("The project's budget lines, all years."),
    total="planned_amount",
)
def _project_planned(scope: Scope) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(project=_project(scope))


# --- the report to the voivode (art. 18a(6)) ------------------------------------------------
# Its definitions are those of reports.selectors.statutory_definitions, said per figure.


@figure(
    "statutory.funding",
    STATUTORY,
    EXPENDITURES,
    _("Spent in the year"),
    _("Expenditure documents dated in the year up to the report's date, of the row's source."),
    total="amount",
    row="source",
)
def _funding(scope: Scope) -> QuerySet[Expenditure]:
    return _rows_of(s.year_expenditures(_year(scope)), scope, "source")


STAFF_OF = _(
    "Staff members working in the club in the year (by their dates in the staff records), "
    "of the row's legal basis of employment (all but volunteers without a row)."
)


def _staff(scope: Scope) -> QuerySet[StaffMember]:
    members = s.statutory_staff_members(_year(scope))
    volunteer = StaffMember.Employment.VOLUNTEER
    if scope.row:
        return members.filter(employment_type=scope.row)
    return members.exclude(employment_type=volunteer)


figure(
    "statutory.staff",
    STATUTORY,
    STAFF,
    _("Staff"),
    STAFF_OF,
    parts=("women", "men", "unknown"),
    row="employment",
)(_staff)
figure(
    "statutory.staff_hours",
    STATUTORY,
    STAFF,
    _("Staff hours per week"),
    STAFF_OF,
    total="hours_per_week",
    row="employment",
)(_staff)


@figure(
    "statutory.started",
    STATUTORY,
    PEOPLE,
    _("Participants who started in the year"),
    _(
        "An enrolment started in the year by a person who was not already taking part on "
        "1 January; of the row's group of art. 1(2) as recorded on the person, or in none."
    ),
    parts=BY_SEX,
    row="group",
)
def _started(scope: Scope) -> QuerySet[Participant]:
    year = _year(scope)
    if not scope.row:
        return s.statutory_started(year)
    if scope.row == s.OTHER_GROUP:
        return s.statutory_started_other(year)
    return s.statutory_started_in_group(year, scope.row_int() or 0)


@figure(
    "statutory.participants",
    STATUTORY,
    PEOPLE,
    _("Participants of the year"),
    _(
        "People who took part in one of the club's projects or its own programme at some "
        "time in the year (active on 1 January, started in the year, or came back from a "
        "job); each person once."
    ),
    parts=BY_SEX,
)
def _participants(scope: Scope) -> QuerySet[Participant]:
    return s.statutory_participants(_year(scope))


@figure(
    "statutory.finished",
    STATUTORY,
    PEOPLE,
    _("Participants who finished"),
    _(
        "Completed a project or left it for a job in the year and not taking part in any "
        "project on the report's date; by the situation recorded with the last such exit."
    ),
    parts=BY_SEX,
    row="situation",
)
def _finished(scope: Scope) -> QuerySet[Participant]:
    year = _year(scope)
    return s.statutory_finished_in(year, scope.row) if scope.row else s.statutory_finished(year)


@figure(
    "statutory.finished_working",
    STATUTORY,
    PEOPLE,
    _("Finished and found work"),
    _("Of those who finished: employment, own business or a social cooperative."),
)
def _finished_working(scope: Scope) -> QuerySet[Participant]:
    return s.statutory_finished_working(_year(scope))


@figure(
    "statutory.dropped_out",
    STATUTORY,
    PEOPLE,
    _("Dropped out"),
    _("Dropped out in the year, did not finish, and not taking part on the report's date."),
)
def _statutory_dropped(scope: Scope) -> QuerySet[Participant]:
    return s.statutory_dropped_out(_year(scope))


COVERED = _(
    "Present at least once in the year at a session of an activity of the row's support "
    "form (or of any form of that reintegration), or, for internships and socially useful "
    "work, a placement running in the year; each person once."
)


def _covered(reintegration: str) -> Callable[[Scope], QuerySet[Participant]]:
    def records(scope: Scope) -> QuerySet[Participant]:
        forms = SupportForm.objects.filter(reintegration=reintegration)
        if scope.row:
            forms = forms.filter(pk=scope.row_int() or 0)
        return s.form_people(_year(scope), forms)

    return records


for _name, _reintegration, _label in (
    ("social", SupportForm.Reintegration.SOCIAL, _("Covered by social reintegration")),
    ("vocational", SupportForm.Reintegration.VOCATIONAL, _("Covered by vocational reintegration")),
):
    figure(
        f"statutory.{_name}",
        STATUTORY,
        PEOPLE,
        _label,
        COVERED,
        parts=BY_SEX,
        row="support_form",
    )(_covered(_reintegration))


STATUTORY_HELD = _(
    "Sessions held in the year up to the report's date (past, or with the roll call taken) "
    "of the row's support form, or of all forms; hours are their lengths added up."
)


def _statutory_sessions(scope: Scope) -> QuerySet[Session]:
    sessions = s.held_sessions(_year(scope))
    return sessions.filter(activity__support_form=scope.row_int() or 0) if scope.row else sessions


figure(
    "statutory.sessions",
    STATUTORY,
    SESSIONS,
    _("Sessions held"),
    STATUTORY_HELD,
    row="support_form",
)(_statutory_sessions)
figure(
    "statutory.hours",
    STATUTORY,
    SESSIONS,
    _("Hours held"),
    STATUTORY_HELD,
    total="duration_hours",
    row="support_form",
)(_statutory_sessions)


@figure(
    "statutory.completions",
    STATUTORY,
    ASSIGNMENTS,
    _("Activities completed"),
    _("Completions of activities (certificates) dated in the year up to the report's date."),
)
def _completions(scope: Scope) -> QuerySet[ActivityParticipant]:
    return s.statutory_completions(_year(scope))


GRANTS = _(
    "For the row's project (or every project running in the year): its budget lines of the "
    "year, or its expenditure documents of the year up to the report's date."
)


@figure(
    "statutory.grant_planned",
    STATUTORY,
    BUDGET_LINES,
    _("Planned for the year"),
    GRANTS,
    total="planned_amount",
    row="project",
)
def _grant_planned(scope: Scope) -> QuerySet[BudgetLine]:
    year = _year(scope)
    lines = s.year_budget_lines(year).filter(project__in=s.projects_in_year(year))
    return _rows_of(lines, scope, "project")


@figure(
    "statutory.grant_spent",
    STATUTORY,
    EXPENDITURES,
    _("Spent in the year"),
    GRANTS,
    total="amount",
    row="project",
)
def _grant_spent(scope: Scope) -> QuerySet[Expenditure]:
    year = _year(scope)
    spending = s.year_expenditures(year).filter(project__in=s.projects_in_year(year))
    return _rows_of(spending, scope, "project")


# One-off help: in the annual summary and the report to the voivode (the year's short
# contacts), and in the project report (those recorded under the project, up to today).
CONTACTS_OF = _(
    "Short contacts (one-off help: a single counselling session, consultation or "
    "information) of the row's form, or of all forms, up to the report's date."
)


def _contacts(scope: Scope) -> QuerySet[ShortContact]:
    if scope.year:
        contacts = s.year_contacts(scope.year)
    else:
        contacts = ShortContact.objects.filter(project=_project(scope), date__lte=scope.as_of)
    return contacts.filter(kind=scope.row) if scope.row else contacts


def _contact_people(scope: Scope) -> QuerySet[Participant]:
    return s.contact_people(_contacts(scope))


for _report in (ANNUAL, PROJECT, STATUTORY):
    figure(
        f"{_report}.contacts",
        _report,
        CONTACTS,
        _("Short contacts"),
        CONTACTS_OF,
        row="contact_kind",
    )(_contacts)
    figure(
        f"{_report}.contact_people",
        _report,
        PEOPLE,
        _("People given one-off help"),
        CONTACTS_OF,
        parts=WOMEN,
        row="contact_kind",
    )(_contact_people)
    figure(
        f"{_report}.contact_hours",
        _report,
        CONTACTS,
        _("Hours of one-off help"),
        CONTACTS_OF,
        total="duration_hours",
        row="contact_kind",
    )(_contacts)


def scope_from(params: dict[str, str], project: Project | None) -> Scope:
    """A scope from the list's query string (the project already looked up)."""
    year = params.get("year", "")
    return Scope(
        year=int(year) if year.isdigit() else None,
        project=project,
        row=params.get("row", ""),
        part=params.get("part", ""),
    )


def _named(model: type[Model], field_name: str = "name") -> Callable[[str], str]:
    def label(row: str) -> str:
        found = (
            model._default_manager.filter(pk=int(row)).values_list(field_name, flat=True).first()
        )
        return str(found or "")

    return label


def _chosen(choices: list[tuple[str, Any]]) -> Callable[[str], str]:
    return lambda row: str(dict(choices).get(row, row))


# What a row of a figure is, in words (the heading of its list).
ROW_LABELS: dict[str, Callable[[str], str]] = {
    "placement_kind": _chosen(Placement.Kind.choices),
    "contact_kind": _chosen(ShortContact.Kind.choices),
    "source": _chosen(Expenditure.Source.choices),
    "reason": lambda row: row or str(_("no reason given")),
    "support_form": lambda row: _named(SupportForm)(row),
    "event": lambda row: _named(CommunityEvent)(row),
    "category": lambda row: _named(BudgetCategory)(row),
    "project": lambda row: _named(Project, "title")(row),
    "activity": lambda row: _named(Activity)(row),
    "employment": _chosen(StaffMember.Employment.choices),
    "group": lambda row: (
        str(_("other participants (none of these groups)"))
        if row == s.OTHER_GROUP
        else _named(ExclusionGroup)(row)
    ),
    "situation": lambda row: (
        str(_("situation not recorded"))
        if row == s.NOT_RECORDED
        else str(dict(ExitSituation.choices).get(row, row))
    ),
    "indicator": lambda row: _named(Indicator)(row),
    "follow_up": lambda row: " – ".join(
        str(dict(choices).get(part, part))
        for part, choices in zip(
            row.split(":"), (FollowUpKind.choices, Situation.choices), strict=False
        )
    ),
}


def figure_label(figure: Figure, scope: Scope) -> str:
    """The figure's name with its row and part: "People in supported employment:
    internship (women)"."""
    label = str(figure.label)
    row_label = ""
    if figure.row and (scope.row or figure.row == "reason"):
        try:
            row_label = ROW_LABELS[figure.row](scope.row)
        except ValueError:
            row_label = scope.row
    if row_label:
        label = f"{label}: {row_label}"
    if scope.part:
        label = f"{label} ({PARTS[scope.part]})"
    return label
