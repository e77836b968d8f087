"""The figures of the reports, each from SQL aggregates. The number of queries of a
report does not depend on the number of participants, sessions or attendance marks.

Definitions used throughout (said in the reports too):
- a person *served* in a year had an enrolment running in the year, was present at a
  session, had a social contract in force, a placement running, or came to a community
  event in the year;
- *long-term cooperation* is an enrolment in the club's own programme running in the
  year, or a social contract in force during the year;
- for a project, *engaged* = enrolments active on 1 January plus those started in the
  year; *continuing* = enrolments active on 31 December. Then
  engaged − drop-outs − exits to a job − completions + returns = continuing.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear

from participants.models import (
    ActivityParticipant,
    Attendance,
    CommunityEvent,
    Diagnosis,
    Employment,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    Participant,
    Placement,
    Session,
    SocialContract,
    SupportForm,
)
from projects.models import BudgetLine, Expenditure, Indicator, Project, StaffMember
from projects.selectors import budget_execution, execution_percent

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=14, decimal_places=2)
HOURS = DecimalField(max_digits=10, decimal_places=2)
ACTIVE_KINDS = (EnrolmentEvent.Kind.STARTED, EnrolmentEvent.Kind.RETURNED)
FEMALE = Q(sex="F")


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _sum(field_name: str, output=MONEY, **filters):
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


def running_in(queryset, year: int, start: str = "start_date", end: str = "end_date"):
    """Rows whose period overlaps the year (an open end means still running)."""
    first, last = year_range(year)
    return queryset.filter(**{f"{start}__lte": last}).filter(
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


def served_ids(year: int) -> dict[str, QuerySet]:
    """Participant-id subqueries of every way of using the club in a year."""
    first, last = year_range(year)
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
    }


def served_people(year: int) -> QuerySet[Participant]:
    condition = Q()
    for ids in served_ids(year).values():
        condition |= Q(pk__in=ids)
    return Participant.objects.filter(condition)


def long_term_people(year: int) -> QuerySet[Participant]:
    club = running_in(Enrolment.objects.filter(project__is_club_programme=True), year)
    contracts = running_in(SocialContract.objects, year)
    return Participant.objects.filter(
        Q(pk__in=club.values("participant_id")) | Q(pk__in=contracts.values("participant_id"))
    )


# --- supported employment -------------------------------------------------------------------


@dataclass
class PlacementFigures:
    kind: str
    label: str
    people: People
    aged_50_plus: int
    single_parents: int


def placement_figures(year: int) -> list[PlacementFigures]:
    """People in socially useful work and internships, with women, 50+ and single
    parents (age reached during the year; single parents by the group's code)."""
    born_by = date(year - 50, 12, 31)
    single_parent = ExclusionGroup.objects.filter(
        code=ExclusionGroup.SINGLE_PARENT, participants=OuterRef("pk")
    )
    rows = []
    for kind, label in Placement.Kind.choices:
        ids = running_in(Placement.objects.filter(kind=kind), year).values("participant_id")
        counts = Participant.objects.filter(pk__in=ids).aggregate(
            total=Count("pk"),
            women=Count("pk", filter=FEMALE),
            aged_50_plus=Count("pk", filter=Q(birth_date__lte=born_by)),
            single_parents=Count("pk", filter=Q(Exists(single_parent))),
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


@dataclass
class ProjectYear:
    project: Project
    active_at_start: int = 0
    started: int = 0
    engaged_women: int = 0
    dropped_out: int = 0
    left_for_job: int = 0
    returned: int = 0
    completed: int = 0
    continuing: int = 0
    dropout_reasons: list[tuple[str, int]] = field(default_factory=list)
    support: list[SupportRow] = field(default_factory=list)

    @property
    def engaged(self) -> int:
        return self.active_at_start + self.started

    @property
    def support_hours(self) -> Decimal:
        return sum((row.hours for row in self.support), ZERO)

    @property
    def balance_ok(self) -> bool:
        return (
            self.engaged - self.dropped_out - self.left_for_job - self.completed + self.returned
            == self.continuing
        )


def _kind_on(day: date, strictly_before: bool):
    """The kind of an enrolment's last event on (or before) a day: its status then."""
    lookup = "date__lt" if strictly_before else "date__lte"
    return Subquery(
        EnrolmentEvent.objects.filter(enrolment=OuterRef("pk"), **{lookup: day})
        .order_by("-date", "-pk")
        .values("kind")[:1]
    )


def projects_in_year(year: int) -> QuerySet[Project]:
    first, last = year_range(year)
    return (
        Project.objects.filter(start_date__lte=last, end_date__gte=first)
        .select_related("programme")
        .order_by("start_date", "title")
    )


def project_years(year: int) -> list[ProjectYear]:
    """Section 4: each project active in the year with its flows of people (5 queries)."""
    first, last = year_range(year)
    projects = list(projects_in_year(year))
    rows = {p.pk: ProjectYear(p) for p in projects}
    if not rows:
        return []
    states = (
        Enrolment.objects.filter(project__in=rows)
        .annotate(before=_kind_on(first, True), after=_kind_on(last, False))
        .values("project")
        .annotate(
            active_at_start=Count("pk", filter=Q(before__in=ACTIVE_KINDS)),
            women_at_start=Count("pk", filter=Q(before__in=ACTIVE_KINDS, participant__sex="F")),
            continuing=Count("pk", filter=Q(after__in=ACTIVE_KINDS)),
        )
    )
    for state in states:
        row = rows[state["project"]]
        row.active_at_start, row.continuing = state["active_at_start"], state["continuing"]
        row.engaged_women += state["women_at_start"]
    events = EnrolmentEvent.objects.filter(enrolment__project__in=rows, date__range=(first, last))
    for flow in events.values("enrolment__project", "kind").annotate(
        n=Count("pk"), women=Count("pk", filter=Q(enrolment__participant__sex="F"))
    ):
        row = rows[flow["enrolment__project"]]
        setattr(row, flow["kind"], flow["n"])
        if flow["kind"] == EnrolmentEvent.Kind.STARTED:
            row.engaged_women += flow["women"]
    for reason in (
        events.filter(kind=EnrolmentEvent.Kind.DROPPED_OUT)
        .values("enrolment__project", "reason__name")
        .annotate(n=Count("pk"))
        .order_by("enrolment__project", "-n", "reason__name")
    ):
        rows[reason["enrolment__project"]].dropout_reasons.append(
            (reason["reason__name"], reason["n"])
        )
    for support in (
        Session.objects.filter(activity__project__in=rows, date__range=(first, last))
        .values(
            "activity__project", "activity__support_form__name", "activity__support_form__order"
        )
        .annotate(sessions=Count("pk"), hours=_sum("duration_hours", HOURS))
        .order_by("activity__project", "activity__support_form__order")
    ):
        rows[support["activity__project"]].support.append(
            SupportRow(
                support["activity__support_form__name"], support["sessions"], support["hours"]
            )
        )
    return [rows[p.pk] for p in projects]


# --- community -------------------------------------------------------------------------------


@dataclass
class CommunityFigures:
    events: list[CommunityEvent]
    registry_people: int
    outside_people: int
    care_point_sessions: int
    care_point_hours: Decimal
    care_point_people: int


def community_figures(year: int) -> CommunityFigures:
    first, last = year_range(year)
    events = CommunityEvent.objects.filter(date__range=(first, last))
    listed = list(events.annotate(registry=Count("participants")).order_by("date", "pk"))
    registry = Participant.objects.filter(events__in=events).distinct().count()
    outside = events.aggregate(n=Coalesce(Sum("outside_count"), Value(0)))["n"]
    care = Session.objects.filter(
        activity__support_form__code=SupportForm.CARE_POINT, date__range=(first, last)
    )
    care_totals = care.aggregate(sessions=Count("pk"), hours=_sum("duration_hours", HOURS))
    care_people = (
        Attendance.objects.filter(session__in=care, status=Attendance.Status.PRESENT)
        .values("participant")
        .distinct()
        .count()
    )
    return CommunityFigures(
        listed, registry, outside, care_totals["sessions"], care_totals["hours"], care_people
    )


# --- budget ---------------------------------------------------------------------------------


@dataclass
class BudgetRow:
    label: str
    planned: Decimal = ZERO
    spent: Decimal = ZERO

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


def year_budget(year: int) -> YearBudget:
    """Planned and spent in a year across projects, per category, source and project."""
    lines = BudgetLine.objects.filter(year=year)
    spending = Expenditure.objects.filter(date__year=year)
    planned = lines.aggregate(n=_sum("planned_amount"))["n"]
    spent = spending.aggregate(n=_sum("amount"))["n"]
    categories: dict[tuple, BudgetRow] = {}
    for cell in lines.values("category__order", "category__name").annotate(
        n=_sum("planned_amount")
    ):
        key = (cell["category__order"], cell["category__name"])
        categories[key] = BudgetRow(cell["category__name"], planned=cell["n"])
    for cell in spending.values("category__order", "category__name").annotate(n=_sum("amount")):
        key = (cell["category__order"], cell["category__name"])
        categories.setdefault(key, BudgetRow(cell["category__name"])).spent = cell["n"]
    labels = dict(Expenditure.Source.choices)
    order = list(labels)
    sources = [
        BudgetRow(str(labels[c["source"]]), spent=c["n"])
        for c in sorted(
            spending.values("source").annotate(n=_sum("amount")),
            key=lambda c: order.index(c["source"]),
        )
    ]
    projects: dict[str, BudgetRow] = {}
    for cell in lines.values("project__title").annotate(n=_sum("planned_amount")):
        projects[cell["project__title"]] = BudgetRow(cell["project__title"], planned=cell["n"])
    for cell in spending.values("project__title").annotate(n=_sum("amount")):
        projects.setdefault(cell["project__title"], BudgetRow(cell["project__title"])).spent = cell[
            "n"
        ]
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


def job_figures(year: int) -> JobFigures:
    jobs = Employment.objects.filter(start_date__year=year)
    kinds = jobs.aggregate(
        short=Count("pk", filter=Q(is_long_term=False)),
        long=Count("pk", filter=Q(is_long_term=True)),
    )
    people = _people(Participant.objects.filter(pk__in=jobs.values("participant_id")))
    return JobFigures(people, kinds["short"], kinds["long"])


@dataclass
class AnnualSummary:
    year: int
    served: People
    long_term: People
    contracts_concluded: int
    placements: list[PlacementFigures]
    projects: list[ProjectYear]
    community: CommunityFigures
    budget: YearBudget
    jobs: JobFigures

    @property
    def is_empty(self) -> bool:
        return not (
            self.served.total
            or self.projects
            or self.budget.planned
            or self.budget.spent
            or self.community.events
        )


def annual_summary(year: int) -> AnnualSummary:
    return AnnualSummary(
        year=year,
        served=_people(served_people(year)),
        long_term=_people(long_term_people(year)),
        contracts_concluded=SocialContract.objects.filter(signed_on__year=year).count(),
        placements=placement_figures(year),
        projects=project_years(year),
        community=community_figures(year),
        budget=year_budget(year),
        jobs=job_figures(year),
    )


def report_years() -> list[int]:
    """Years with any data, newest first (for the reports page): four small queries."""
    years = set(BudgetLine.objects.values_list("year", flat=True).distinct())
    for queryset, field_name in (
        (Enrolment.objects, "start_date"),
        (Session.objects, "date"),
        (Expenditure.objects, "date"),
        (CommunityEvent.objects, "date"),
    ):
        years.update(
            queryset.annotate(y=ExtractYear(field_name)).values_list("y", flat=True).distinct()
        )
    return sorted(years, reverse=True)


# --- the project report ----------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    total: Decimal | None
    women: Decimal | None
    men: Decimal | None

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

    @property
    def percent(self) -> Decimal | None:
        return execution_percent(self.delivered_hours, self.planned_hours)


@dataclass
class ProjectReport:
    project: Project
    people: People
    indicators: list[IndicatorRow]
    activities: list[ActivityRow]
    dropout_reasons: list[tuple[str, int]]
    execution: object
    status_counts: dict

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
        return (self.execution.spent / self.people.total).quantize(Decimal("0.01"))

    @property
    def cost_per_hour(self) -> Decimal | None:
        if not self.delivered_hours:
            return None
        return (self.execution.spent / self.delivered_hours).quantize(Decimal("0.01"))

    @property
    def cost_per_participant_hour(self) -> Decimal | None:
        if not self.participant_hours:
            return None
        return (self.execution.spent / self.participant_hours).quantize(Decimal("0.01"))


def _indicator_values(project: Project) -> dict[str, tuple]:
    """Achieved values of the automatic indicator measures: (total, women, men)."""
    enrolments = Enrolment.objects.filter(project=project)
    women, men = Q(participant__sex="F"), Q(participant__sex="M")
    with_plan = Exists(
        Diagnosis.objects.filter(participant=OuterRef("participant"), has_action_plan=True)
    )
    left = EnrolmentEvent.objects.filter(
        enrolment=OuterRef("pk"), kind=EnrolmentEvent.Kind.LEFT_FOR_JOB
    )
    contract = SocialContract.objects.filter(participant=OuterRef("participant"))
    c = enrolments.annotate(
        has_plan=with_plan, has_job=Exists(left), has_contract=Exists(contract)
    ).aggregate(
        all=Count("pk"),
        all_w=Count("pk", filter=women),
        all_m=Count("pk", filter=men),
        plan=Count("pk", filter=Q(has_plan=True)),
        plan_w=Count("pk", filter=Q(has_plan=True) & women),
        plan_m=Count("pk", filter=Q(has_plan=True) & men),
        done=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED)),
        done_w=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED) & women),
        done_m=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED) & men),
        job=Count("pk", filter=Q(has_job=True)),
        job_w=Count("pk", filter=Q(has_job=True) & women),
        job_m=Count("pk", filter=Q(has_job=True) & men),
        contract=Count("pk", filter=Q(has_contract=True)),
        contract_w=Count("pk", filter=Q(has_contract=True) & women),
        contract_m=Count("pk", filter=Q(has_contract=True) & men),
    )

    def share(part, whole):
        return execution_percent(Decimal(part), Decimal(whole)) if whole else None

    M = Indicator.Measure
    return {
        M.PARTICIPANTS: (Decimal(c["all"]), Decimal(c["all_w"]), Decimal(c["all_m"])),
        M.ACTION_PLAN: (
            share(c["plan"], c["all"]),
            share(c["plan_w"], c["all_w"]),
            share(c["plan_m"], c["all_m"]),
        ),
        M.COMPLETED: (
            share(c["done"], c["all"]),
            share(c["done_w"], c["all_w"]),
            share(c["done_m"], c["all_m"]),
        ),
        M.JOBS: (Decimal(c["job"]), Decimal(c["job_w"]), Decimal(c["job_m"])),
        M.CONTRACTS: (Decimal(c["contract"]), Decimal(c["contract_w"]), Decimal(c["contract_m"])),
    }


def project_report(project: Project) -> ProjectReport:
    values = _indicator_values(project)
    indicators = [
        IndicatorRow(i, *values.get(i.measure, (None, None, None)))
        for i in project.indicators.all()
    ]
    held_hours = (
        Session.objects.filter(activity=OuterRef("pk"))
        .values("activity")
        .annotate(n=Sum("duration_hours"))
        .values("n")
    )
    attended = (
        Attendance.objects.filter(
            session__activity=OuterRef("pk"), status=Attendance.Status.PRESENT
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
        ActivityRow(a.name, a.support_form.name, a.planned_hours, a.delivered, a.attended, a.people)
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
            enrolment__project=project, kind=EnrolmentEvent.Kind.DROPPED_OUT
        )
        .values_list("reason__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason__name")
    )
    statuses = Enrolment.objects.filter(project=project).aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in Enrolment.Status.values}
    )
    return ProjectReport(
        project=project,
        people=_people(Participant.objects.filter(enrolments__project=project)),
        indicators=indicators,
        activities=activities,
        dropout_reasons=reasons,
        execution=budget_execution(project),
        status_counts=statuses,
    )


# --- the statutory report (art. 18a(6) of the Social Employment Act) ---------------------------


@dataclass
class StaffRow:
    label: str
    people: int
    hours: Decimal


@dataclass
class GroupRow:
    name: str
    people: People


@dataclass
class StatutoryReport:
    year: int
    staff: list[StaffRow]
    staff_total: StaffRow
    served: People
    groups: list[GroupRow]
    social_reintegration: People
    vocational_reintegration: People
    found_work: People
    activities: list[SupportRow]
    completions: int
    grants: list[BudgetRow]


def statutory_report(year: int) -> StatutoryReport:
    first, last = year_range(year)
    projects = projects_in_year(year)
    members = StaffMember.objects.filter(assignments__project__in=projects).distinct()
    labels = dict(StaffMember.Employment.choices)
    by_type = [
        StaffRow(str(labels[row["employment_type"]]), row["n"], row["hours"])
        for row in StaffMember.objects.filter(pk__in=members.values("pk"))
        .values("employment_type")
        .annotate(n=Count("pk"), hours=_sum("hours_per_week", HOURS))
        .order_by("employment_type")
    ]
    total = StaffMember.objects.filter(pk__in=members.values("pk")).aggregate(
        n=Count("pk"), hours=_sum("hours_per_week", HOURS)
    )
    served = served_people(year)
    groups = [
        GroupRow(row["name"], People(row["total"], row["women"]))
        for row in ExclusionGroup.objects.filter(is_statutory=True)
        .annotate(
            total=Count("participants", filter=Q(participants__in=served), distinct=True),
            women=Count(
                "participants",
                filter=Q(participants__in=served, participants__sex="F"),
                distinct=True,
            ),
        )
        .values("name", "total", "women", "order")
        .order_by("order", "name")
    ]
    completed = ActivityParticipant.objects.filter(completed_on__range=(first, last))
    social = completed.filter(
        activity__support_form__reintegration=SupportForm.Reintegration.SOCIAL
    )
    vocational = completed.filter(
        activity__support_form__reintegration=SupportForm.Reintegration.VOCATIONAL
    )
    jobs = Employment.objects.filter(start_date__range=(first, last))
    activities = [
        SupportRow(row["activity__support_form__name"], row["sessions"], row["hours"])
        for row in Session.objects.filter(date__range=(first, last))
        .values("activity__support_form__name", "activity__support_form__order")
        .annotate(sessions=Count("pk"), hours=_sum("duration_hours", HOURS))
        .order_by("activity__support_form__order")
    ]
    grants = year_budget(year).projects
    return StatutoryReport(
        year=year,
        staff=by_type,
        staff_total=StaffRow("", total["n"], total["hours"]),
        served=_people(served),
        groups=groups,
        social_reintegration=_people(
            Participant.objects.filter(pk__in=social.values("participant_id"))
        ),
        vocational_reintegration=_people(
            Participant.objects.filter(
                Q(pk__in=vocational.values("participant_id"))
                | Q(pk__in=jobs.values("participant_id"))
            )
        ),
        found_work=_people(Participant.objects.filter(pk__in=jobs.values("participant_id"))),
        activities=activities,
        completions=completed.count(),
        grants=grants,
    )


@dataclass
class YearGlance:
    year: int
    served: People
    active_enrolments: int
    jobs: People
    budget: YearBudget


def year_at_a_glance(year: int) -> YearGlance:
    """The manager's dashboard: the current year so far."""
    return YearGlance(
        year=year,
        served=_people(served_people(year)),
        active_enrolments=Enrolment.objects.filter(status=Enrolment.Status.ACTIVE).count(),
        jobs=job_figures(year).people,
        budget=year_budget(year),
    )
