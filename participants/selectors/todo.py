"""The to-do list ("Do zrobienia") of the dashboard: what is waiting for the user, one
selector per kind of reminder. A caseworker's list holds only his or her people and
activities (record-level access, participants.access; the roll calls of the sessions he
or she runs); whoever sees everybody (a manager) gets the centre-wide list. Each kind
counts its items in SQL and returns at most TODO_SHOWN of them, most urgent first; each
item links to the page where it is dealt with, and it leaves the list as soon as it is
dealt with there:

- roll calls not taken: any session dated before today with no roll call (no roll call
  saved and no marks) – until its roll call is taken;
- social contracts in force whose review date or end falls within 14 days (or has
  passed) – until the contract is reviewed (a later review date, or none), ended
  (fulfilled, terminated) or prolonged;
- goals of action plans past their target date and not assessed (achieved: yes or no
  not given) – until assessed or given a new date;
- follow-ups after leaving that are due or overdue – `follow_ups_due`, the one
  selector of them – until recorded;
- people below the attendance threshold in an activity still running, not completed,
  still taking part in its project – until their attendance is back at the threshold,
  the activity is completed or over, or the person has left the project. Attendance %
  here = hours present ÷ hours of the activity's sessions dated up to today at which the
  person has a mark (the roll call marks everybody on the session's list, so these are
  the grid's sessions with a roll call taken while the person was on the list);
- participants of a running EU-funded project lacking data its monitoring requires –
  the EU monitoring check itself (`reports.eu_monitoring.eu_export`) – until entered.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from kis.lib.numbers import percentage
from kis.lib.services import Viewer
from participants.access import activities_for, participants_for, sees_everybody, sessions_for
from participants.models import (
    ActivityParticipant,
    Attendance,
    Enrolment,
    Goal,
    Session,
    SocialContract,
)
from participants.selectors.outcomes import FollowUpRow, follow_ups_due
from participants.selectors.support import attendance_threshold

# Each kind shows at most this many items (the most urgent) and says how many there are.
TODO_SHOWN = 10
# Contracts to review or ending within this many days.
CONTRACT_NOTICE = timedelta(days=14)

HOURS: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=10, decimal_places=2)


@dataclass
class TodoKind:
    """One kind of reminder: the items shown and how many there are in all."""

    items: list[Any] = field(default_factory=list)
    total: int = 0


def _kind(queryset: QuerySet, shown: int = TODO_SHOWN) -> TodoKind:
    return TodoKind(list(queryset[:shown]), queryset.count())


def _visible(user: Viewer) -> QuerySet:
    """The people whose reminders the user gets: those he or she may see, whose data may
    still be processed (nothing can be done for the others)."""
    return participants_for(user).filter(processing_restricted=False, anonymised_at__isnull=True)


def todo_roll_calls(user: Viewer, today: date) -> TodoKind:
    """Sessions before today without a roll call: those the user runs (as the activity's
    or the session's staff) when he or she is a staff member, all he or she may open
    otherwise; the whole centre's for whoever sees everybody. Newest first."""
    sessions = sessions_for(user).filter(date__lt=today, roll_call_at__isnull=True)
    sessions = sessions.exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
    staff_member = getattr(user, "staff_member", None)
    if staff_member is not None and not sees_everybody(user):
        own = Session.objects.filter(Q(activity__staff=staff_member) | Q(staff=staff_member))
        sessions = sessions.filter(pk__in=own.values("pk"))
    return _kind(
        sessions.select_related("activity__project").order_by("-date", "-start_time", "pk")
    )


def todo_contracts(user: Viewer, today: date) -> TodoKind:
    """Social contracts in force to be reviewed or ending within 14 days (or past it)."""
    soon = today + CONTRACT_NOTICE
    contracts = SocialContract.objects.filter(
        Q(review_date__lte=soon) | Q(end_date__lte=soon),
        status=SocialContract.Status.IN_FORCE,
        participant__in=_visible(user),
    )
    return _kind(
        contracts.select_related("participant").order_by(
            Least(Coalesce("review_date", "end_date"), "end_date").asc(), "pk"
        )
    )


def todo_goals(user: Viewer, today: date) -> TodoKind:
    """Goals of action plans whose target date has passed, not assessed yet."""
    goals = Goal.objects.filter(
        target_date__lt=today,
        achieved__isnull=True,
        diagnosis__participant__in=_visible(user),
    )
    return _kind(goals.select_related("diagnosis__participant").order_by("target_date", "pk"))


def todo_follow_ups(user: Viewer, today: date) -> TodoKind:
    """The follow-ups after leaving due or overdue (`follow_ups_due`)."""
    rows: list[FollowUpRow] = follow_ups_due(user, today=today)
    return TodoKind(rows[:TODO_SHOWN], len(rows))


def todo_low_attendance(user: Viewer, today: date) -> TodoKind:
    """People below the attendance threshold in activities still running (see the
    module's docstring), the lowest first; each item has `present_hours`,
    `marked_hours` and `percent`."""
    threshold = attendance_threshold()
    marks = Attendance.objects.filter(
        participant=OuterRef("participant"),
        session__activity=OuterRef("activity"),
        session__date__lte=today,
    )

    def hours(queryset: QuerySet) -> Coalesce:
        total = (
            queryset.values("participant").annotate(n=Sum("session__duration_hours")).values("n")
        )
        return Coalesce(
            Subquery(total, output_field=HOURS), Value(Decimal("0")), output_field=HOURS
        )

    taking_part = Enrolment.objects.filter(
        project=OuterRef("activity__project"),
        participant=OuterRef("participant"),
        status=Enrolment.Status.ACTIVE,
    )
    assignments = (
        ActivityParticipant.objects.filter(
            activity__in=activities_for(user),
            participant__in=_visible(user),
            completed_on__isnull=True,
            activity__end_date__gte=today,
            activity__start_date__lte=today,
        )
        .filter(Exists(taking_part))
        .annotate(
            present_hours=hours(marks.filter(status=Attendance.Status.PRESENT)),
            marked_hours=hours(marks),
        )
        .filter(marked_hours__gt=0)
        .filter(present_hours__lt=F("marked_hours") * threshold / 100)
    )
    kind = _kind(
        assignments.select_related("participant", "activity").order_by(
            (F("present_hours") / F("marked_hours")).asc(), "pk"
        )
    )
    for item in kind.items:
        item.percent = percentage(item.present_hours, item.marked_hours)
    return kind


def todo_missing_data(user: Viewer, today: date) -> TodoKind:
    """Participants of the running EU-funded projects lacking data required by the
    project's monitoring, as the EU monitoring check finds them (four queries per such
    project: a centre runs a few)."""
    from projects.models import FundingProgramme, Project
    from reports.eu_monitoring import eu_export

    projects = Project.objects.filter(
        status=Project.Status.ACTIVE,
        programme__kind=FundingProgramme.Kind.EU,
        start_date__lte=today,
        enrolments__participant__in=_visible(user),
    ).distinct()
    rows = []
    for project in projects.order_by("start_date", "pk"):
        rows.extend(eu_export(project, _visible(user)).incomplete)
    return TodoKind(rows[:TODO_SHOWN], len(rows))


@dataclass
class TodoList:
    """The kinds of reminders the user's permissions allow (None: not for this user)."""

    roll_calls: TodoKind | None = None
    contracts: TodoKind | None = None
    goals: TodoKind | None = None
    follow_ups: TodoKind | None = None
    low_attendance: TodoKind | None = None
    missing_data: TodoKind | None = None
    centre_wide: bool = False

    @property
    def kinds(self) -> list[TodoKind]:
        return [
            k
            for k in (
                self.roll_calls,
                self.contracts,
                self.goals,
                self.follow_ups,
                self.low_attendance,
                self.missing_data,
            )
            if k is not None
        ]

    @property
    def total(self) -> int:
        return sum(k.total for k in self.kinds)


def todo_list(user: Viewer, today: date | None = None) -> TodoList:
    """The user's to-do list: each kind his or her permissions allow."""
    today = today or timezone.localdate()
    todo = TodoList(centre_wide=sees_everybody(user))
    if user.has_perm("participants.add_attendance"):
        todo.roll_calls = todo_roll_calls(user, today)
    if user.has_perm("participants.view_socialcontract"):
        todo.contracts = todo_contracts(user, today)
    if user.has_perm("participants.view_goal"):
        todo.goals = todo_goals(user, today)
    if user.has_perm("participants.view_followup"):
        todo.follow_ups = todo_follow_ups(user, today)
    if user.has_perm("participants.view_activity"):
        todo.low_attendance = todo_low_attendance(user, today)
    if user.has_perm("participants.change_participant"):
        todo.missing_data = todo_missing_data(user, today)
    return todo
