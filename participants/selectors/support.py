"""Reads of support: the activity list, the attendance grid, a participant's support,
the caseworker's week. Hours and counts are SQL aggregates; the grid's cells are laid
out in Python from one query of marks."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from kis.lib.collation import polish
from kis.lib.numbers import percentage
from kis.lib.services import Viewer
from participants.access import sessions_for
from participants.models import (
    Activity,
    ActivityParticipant,
    Attendance,
    EnrolmentEvent,
    Participant,
    Session,
    SocialContract,
)
from participants.templatetags.participant_words import event_for

HOURS: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=8, decimal_places=2)
PRESENT = Attendance.Status.PRESENT


def attendance_threshold() -> Decimal:
    """Below this attendance % a person is marked in the grid (KIS_ATTENDANCE_THRESHOLD)."""
    return Decimal(str(settings.KIS_ATTENDANCE_THRESHOLD))


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    return percentage(part, whole)


def _sum_subquery(queryset: QuerySet, field_name: str, group_field: str) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.values(group_field).annotate(total=Sum(field_name)).values("total"),
            output_field=HOURS,
        ),
        Value(Decimal("0")),
        output_field=HOURS,
    )


def _count_subquery(queryset: QuerySet, group_field: str) -> Coalesce:
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


ACTIVE_KINDS = (EnrolmentEvent.Kind.STARTED, EnrolmentEvent.Kind.RETURNED)


# --- Who is on the list of a session ------------------------------------------------
# THE rule for the roll call, the attendance lists, the grid and the roll-call service:
# a person assigned to an activity is on the list of its session of day D when his or
# her enrolment in the activity's project is running at some moment of D, i.e. active
# at the start of D (the last event before D started or resumed it) or at its end (the
# last event on or before D did). So a person who starts on D, or drops out, completes
# or leaves for a job on D, is on D's list; somebody who dropped out on 27.11 is not on
# the 01.12 list, and somebody enrolled on 29.11 is not on the 13.10 list.


@dataclass(frozen=True)
class Timeline:
    """One person's enrolment events in one project, oldest first."""

    events: tuple[EnrolmentEvent, ...] = ()

    def _last(self, day: date, *, inclusive: bool) -> EnrolmentEvent | None:
        last = None
        for event in self.events:
            if event.date < day or (inclusive and event.date == day):
                last = event
            else:
                break
        return last

    def on_list(self, day: date) -> bool:
        before, until = self._last(day, inclusive=False), self._last(day, inclusive=True)
        return any(event is not None and event.kind in ACTIVE_KINDS for event in (before, until))

    def reason(self, day: date, participant: Participant) -> str:
        """Why the person is not on the list of day `day` (in Polish, in his or her
        grammatical gender)."""
        last = self._last(day, inclusive=True)
        if last is None:
            if not self.events:
                return str(_("not enrolled in the project"))
            return str(
                _("in the project from %(date)s") % {"date": f"{self.events[0].date:%d.%m.%Y}"}
            )
        return str(
            _("%(what)s %(date)s")
            % {"what": event_for(last, participant), "date": f"{last.date:%d.%m.%Y}"}
        )


def timelines(activity: Activity, participant_ids: Iterable[int]) -> dict[int, Timeline]:
    """Enrolment timelines in the activity's project of the given people: one query."""
    events: dict[int, list[EnrolmentEvent]] = {}
    for event in (
        EnrolmentEvent.objects.filter(
            enrolment__project_id=activity.project_id,
            enrolment__participant_id__in=list(participant_ids),
        )
        .select_related("enrolment")
        .only("date", "kind", "enrolment__participant_id")
        .order_by("date", "pk")
    ):
        events.setdefault(event.enrolment.participant_id, []).append(event)
    return {pid: Timeline(tuple(evs)) for pid, evs in events.items()}


@dataclass
class RosterEntry:
    assignment: ActivityParticipant
    on_list: bool
    reason: str = ""  # why not, when not

    @property
    def participant(self) -> Participant:
        return self.assignment.participant


def assignments_of(activity: Activity) -> list[ActivityParticipant]:
    """The people assigned to an activity, in Polish alphabetical order."""
    return list(
        activity.assignments.select_related("participant").order_by(
            polish("participant__last_name").asc(), polish("participant__first_name").asc(), "pk"
        )
    )


def session_roster(session: Session) -> list[RosterEntry]:
    """Everybody assigned to the session's activity, each on the session's list or not
    (with the reason). Two queries."""
    assignments = assignments_of(session.activity)
    lines = timelines(session.activity, (a.participant_id for a in assignments))
    entries = []
    for assignment in assignments:
        line = lines.get(assignment.participant_id, Timeline())
        on_list = line.on_list(session.date)
        entries.append(
            RosterEntry(
                assignment,
                on_list,
                "" if on_list else line.reason(session.date, assignment.participant),
            )
        )
    return entries


OFF_LIST = "off"  # a grid cell of a session the person was not on the list of


@dataclass
class GridRow:
    assignment: ActivityParticipant
    cells: list[str | None]  # a mark, None (no mark) or OFF_LIST
    hours: Decimal
    present: int
    excused: int
    percent: Decimal | None
    below_threshold: bool
    recorded_hours: Decimal = Decimal("0")

    @property
    def participant(self) -> Participant:
        return self.assignment.participant


@dataclass
class ActivityGrid:
    activity: Activity
    sessions: list[Session]
    rows: list[GridRow] = field(default_factory=list)
    held_hours: Decimal = Decimal("0")
    held_sessions: int = 0
    recorded_sessions: int = 0
    threshold: Decimal = Decimal("80")


def activity_grid(activity: Activity, today: date | None = None) -> ActivityGrid:
    """Participants × sessions with each person's hours and attendance %.

    Attendance % = hours present ÷ hours of the sessions whose roll call was taken
    (up to today) while the person was on their list (see `Timeline.on_list`). A
    session nobody has taken the roll call of yet is not an absence: it is left out
    until its roll call is taken (the dashboard keeps asking for it). An excused absence
    counts as an absence. Cells of sessions the person was not on the list of are
    OFF_LIST. Held hours (`Session.objects.held`) are the activity's delivered hours.
    Five queries whatever the size."""
    today = today or timezone.localdate()
    sessions = list(activity.sessions.order_by("date", "start_time"))
    assignments = assignments_of(activity)
    lines = timelines(activity, (a.participant_id for a in assignments))
    marks = {
        (participant_id, session_id): status
        for participant_id, session_id, status in Attendance.objects.filter(
            session__activity=activity
        ).values_list("participant_id", "session_id", "status")
    }
    marked_sessions = {session_id for _, session_id in marks}
    recorded = [
        s
        for s in sessions
        if s.date <= today and (s.roll_call_at is not None or s.pk in marked_sessions)
    ]
    held = activity.sessions.held(as_of=today).aggregate(
        hours=Coalesce(Sum("duration_hours"), Value(Decimal("0")), output_field=HOURS),
        count=Count("pk"),
    )
    threshold = attendance_threshold()
    grid = ActivityGrid(
        activity,
        sessions,
        held_hours=held["hours"],
        held_sessions=held["count"],
        recorded_sessions=len(recorded),
        threshold=threshold,
    )
    for assignment in assignments:
        pid = assignment.participant_id
        line = lines.get(pid, Timeline())
        on_list = {s.pk for s in sessions if line.on_list(s.date)}
        cells = [marks.get((pid, s.pk)) if s.pk in on_list else OFF_LIST for s in sessions]
        counted = [s for s in recorded if s.pk in on_list]
        hours = sum(
            (s.duration_hours for s in counted if marks.get((pid, s.pk)) == PRESENT),
            Decimal("0"),
        )
        whole = sum((s.duration_hours for s in counted), Decimal("0"))
        share = percent(hours, whole)
        grid.rows.append(
            GridRow(
                assignment=assignment,
                cells=cells,
                hours=hours,
                present=sum(1 for s in counted if marks.get((pid, s.pk)) == PRESENT),
                excused=sum(
                    1 for s in counted if marks.get((pid, s.pk)) == Attendance.Status.EXCUSED
                ),
                percent=share,
                below_threshold=share is not None and share < threshold,
                recorded_hours=whole,
            )
        )
    return grid


def participant_activities(participant: Participant) -> QuerySet[ActivityParticipant]:
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


OVERDUE_SHOWN = 20


def overdue_roll_calls(user: Viewer, today: date | None = None) -> tuple[list[Session], int]:
    """Sessions before this week whose roll call was never taken (no roll call saved and
    no marks), whose roll call the user may open, like `week_sessions`: the latest OVERDUE_SHOWN
    of them and how many there are in all. They stay until the roll call is taken."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    sessions = sessions_for(user).filter(date__lt=monday, roll_call_at__isnull=True)
    sessions = sessions.exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
    staff_member = getattr(user, "staff_member", None)
    if staff_member is not None:
        sessions = sessions.filter(
            Q(activity__staff=staff_member) | Q(staff=staff_member)
        ).distinct()
    total = sessions.count()
    shown = list(
        sessions.select_related("activity__project").order_by("-date", "-start_time")[
            :OVERDUE_SHOWN
        ]
    )
    return shown, total


def _week(user: Viewer, today: date) -> QuerySet[Session]:
    monday = today - timedelta(days=today.weekday())
    sessions = sessions_for(user).filter(date__range=(monday, monday + timedelta(days=6)))
    staff_member = getattr(user, "staff_member", None)
    if staff_member is not None:
        sessions = sessions.filter(
            Q(activity__staff=staff_member) | Q(staff=staff_member)
        ).distinct()
    return sessions


def week_sessions_queryset(user: Viewer, today: date | None = None) -> QuerySet[Session]:
    """This week's sessions (Monday to Sunday) of the user's activities, those still
    without a roll call first, then by date and hour; only those whose roll call the
    user may open (participants.access.sessions_for), as each links to it. A user not
    linked to a staff member gets every such session of the week (a manager: hundreds
    in a large centre, hence the dashboard's summary and the paginated list)."""
    today = today or timezone.localdate()
    return (
        _week(user, today)
        .select_related("activity__project")
        .annotate(
            assigned=_count_subquery(
                ActivityParticipant.objects.filter(activity=OuterRef("activity")), "activity"
            ),
            waiting=Case(
                When(_waiting(today), then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("waiting", "date", "start_time", "pk")
    )


def _waiting(today: date) -> Q:
    """A session waiting for its roll call: held (today or before) and none taken."""
    return Q(roll_call_at__isnull=True, date__lte=today)


# How many of the week's sessions the dashboard lists; the rest are one click away.
WEEK_SHOWN = 12


@dataclass
class WeekDay:
    day: date
    sessions: int
    waiting: int  # held and without a roll call


@dataclass
class Week:
    sessions: list[Session]  # the first WEEK_SHOWN, those waiting for the roll call first
    total: int
    days: list[WeekDay]  # the days with sessions, Monday first
    only_own: bool  # the user's own sessions (a staff member), not everybody's

    @property
    def more(self) -> bool:
        return self.total > len(self.sessions)


def week_sessions(user: Viewer, today: date | None = None) -> Week:
    """The dashboard's week: the first WEEK_SHOWN sessions of `week_sessions_queryset`,
    how many there are and how many per day (three queries, whatever the size of the
    centre)."""
    today = today or timezone.localdate()
    days = [
        WeekDay(day=row["date"], sessions=row["n"], waiting=row["waiting_n"])
        for row in _week(user, today)
        .order_by()
        .values("date")
        .annotate(
            n=Count("pk", distinct=True),
            waiting_n=Count("pk", distinct=True, filter=_waiting(today)),
        )
        .order_by("date")
    ]
    return Week(
        sessions=list(week_sessions_queryset(user, today)[:WEEK_SHOWN]),
        total=sum(day.sessions for day in days),
        days=days,
        only_own=getattr(user, "staff_member", None) is not None,
    )


def contract_number_proposed(year: int) -> str:
    """The next social contract number of `year` by the centre's pattern
    (Organisation.contract_number_pattern, KS/{n}/{rok} by default): one more than the
    highest {n} among that year's numbers written by the pattern."""
    from projects.selectors import organisation_get

    organisation = organisation_get()
    pattern = organisation.contract_number_pattern if organisation else "KS/{n}/{rok}"
    regex = re.escape(pattern).replace(r"\{n\}", r"(\d+)").replace(r"\{rok\}", str(year))
    numbers = SocialContract.objects.filter(number__regex=f"^{regex}$").values_list(
        "number", flat=True
    )
    found = [int(m.group(1)) for n in numbers if (m := re.fullmatch(regex, n))]
    return pattern.replace("{n}", str(max(found, default=0) + 1)).replace("{rok}", str(year))
