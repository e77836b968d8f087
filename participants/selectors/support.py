"""Reads of support: the activity list, the attendance grid, a participant's support,
the caseworker's week. Hours and counts are SQL aggregates; the grid's cells are laid
out in Python from one query of marks."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from kis.lib.collation import polish
from participants.access import activities_for
from participants.models import Activity, ActivityParticipant, Attendance, Session

HOURS = DecimalField(max_digits=8, decimal_places=2)
PRESENT = Attendance.Status.PRESENT


def attendance_threshold() -> Decimal:
    """Below this attendance % a person is marked in the grid (KIS_ATTENDANCE_THRESHOLD)."""
    return Decimal(str(settings.KIS_ATTENDANCE_THRESHOLD))


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / whole).quantize(Decimal("0.01"))


def _sum_subquery(queryset, field_name: str, group_field: str):
    return Coalesce(
        Subquery(
            queryset.values(group_field).annotate(total=Sum(field_name)).values("total"),
            output_field=HOURS,
        ),
        Value(Decimal("0")),
        output_field=HOURS,
    )


def _count_subquery(queryset, group_field: str):
    return Coalesce(
        Subquery(
            queryset.values(group_field).annotate(total=Count("pk")).values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def activity_list() -> QuerySet[Activity]:
    """Activities with their numbers: assigned people, sessions, hours delivered so far."""
    today = timezone.localdate()
    return (
        Activity.objects.select_related("project", "support_form")
        .annotate(
            participant_count=_count_subquery(
                ActivityParticipant.objects.filter(activity=OuterRef("pk")), "activity"
            ),
            session_count=_count_subquery(
                Session.objects.filter(activity=OuterRef("pk")), "activity"
            ),
            delivered_hours=_sum_subquery(
                Session.objects.filter(activity=OuterRef("pk"), date__lte=today),
                "duration_hours",
                "activity",
            ),
        )
        .order_by("-start_date", "name")
    )


@dataclass
class GridRow:
    assignment: ActivityParticipant
    cells: list[str | None]
    hours: Decimal
    present: int
    excused: int
    percent: Decimal | None
    below_threshold: bool

    @property
    def participant(self):
        return self.assignment.participant


@dataclass
class ActivityGrid:
    activity: Activity
    sessions: list[Session]
    rows: list[GridRow] = field(default_factory=list)
    held_hours: Decimal = Decimal("0")
    held_sessions: int = 0
    threshold: Decimal = Decimal("80")


def activity_grid(activity: Activity, today: date | None = None) -> ActivityGrid:
    """Participants × sessions with each person's hours and attendance %.

    Attendance % = hours present / hours of the sessions held so far (dated today or
    earlier); an excused absence counts as an absence. Five queries whatever the size."""
    today = today or timezone.localdate()
    sessions = list(activity.sessions.order_by("date", "start_time"))
    assignments = list(
        activity.assignments.select_related("participant").order_by(
            polish("participant__last_name").asc(), polish("participant__first_name").asc(), "pk"
        )
    )
    marks = {
        (participant_id, session_id): status
        for participant_id, session_id, status in Attendance.objects.filter(
            session__activity=activity
        ).values_list("participant_id", "session_id", "status")
    }
    stats = {
        row["participant_id"]: row
        for row in Attendance.objects.filter(session__activity=activity)
        .values("participant_id")
        .annotate(
            hours=Coalesce(
                Sum("session__duration_hours", filter=Q(status=PRESENT)),
                Value(Decimal("0")),
                output_field=HOURS,
            ),
            present=Count("pk", filter=Q(status=PRESENT)),
            excused=Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
        )
    }
    held = activity.sessions.filter(date__lte=today).aggregate(
        hours=Coalesce(Sum("duration_hours"), Value(Decimal("0")), output_field=HOURS),
        count=Count("pk"),
    )
    threshold = attendance_threshold()
    grid = ActivityGrid(
        activity,
        sessions,
        held_hours=held["hours"],
        held_sessions=held["count"],
        threshold=threshold,
    )
    for assignment in assignments:
        stat = stats.get(assignment.participant_id, {})
        hours = stat.get("hours", Decimal("0"))
        share = percent(hours, held["hours"])
        grid.rows.append(
            GridRow(
                assignment=assignment,
                cells=[marks.get((assignment.participant_id, s.pk)) for s in sessions],
                hours=hours,
                present=stat.get("present", 0),
                excused=stat.get("excused", 0),
                percent=share,
                below_threshold=share is not None and share < threshold,
            )
        )
    return grid


def participant_activities(participant) -> QuerySet[ActivityParticipant]:
    """A person's activities with hours attended, hours held so far and attendance %
    (one query)."""
    today = timezone.localdate()
    attended = Attendance.objects.filter(
        participant=participant, status=PRESENT, session__activity=OuterRef("activity")
    )
    held = Session.objects.filter(activity=OuterRef("activity"), date__lte=today)
    return (
        ActivityParticipant.objects.filter(participant=participant)
        .select_related("activity__project", "activity__support_form")
        .annotate(
            hours_attended=_sum_subquery(attended, "session__duration_hours", "participant"),
            hours_held=_sum_subquery(held, "duration_hours", "activity"),
        )
        .order_by("-activity__start_date")
    )


def week_sessions(user, today: date | None = None) -> tuple[list[Session], bool]:
    """This week's sessions (Monday to Sunday) of the user's activities, those still
    without a roll call first; only of activities the user may open
    (participants.access.activities_for), as each links to its roll call. Returns
    (sessions, only_own): a user not linked to a staff member gets every such session
    of the week."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    sessions = Session.objects.filter(
        date__range=(monday, monday + timedelta(days=6)),
        activity__in=activities_for(user),
    )
    staff_member = getattr(user, "staff_member", None)
    if staff_member is not None:
        sessions = sessions.filter(
            Q(activity__staff=staff_member) | Q(staff=staff_member)
        ).distinct()
    sessions = sessions.select_related("activity__project").annotate(
        assigned=_count_subquery(
            ActivityParticipant.objects.filter(activity=OuterRef("activity")), "activity"
        ),
    )

    def waiting_for_roll_call(session) -> bool:
        return session.roll_call_at is None and session.date <= today

    ordered = sorted(sessions, key=lambda s: (not waiting_for_roll_call(s), s.date, s.start_time))
    return ordered, staff_member is not None
