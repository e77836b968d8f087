"""Writes of support: activities, their participants and sessions, the roll call (with
the dependants left at the care point), completion, one-off help (short contacts),
social contracts, placements and community events; each checks the user's
permission (None: the application itself) and the people's restriction or
anonymisation, validates, writes atomically and is the one place its rule lives."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kis.lib.dates import add_months, public_holidays
from kis.lib.services import Actor, changed_fields, delete_checked, permission_check
from participants.models import (
    Activity,
    ActivityParticipant,
    Attendance,
    Certificate,
    CommunityEvent,
    Enrolment,
    Participant,
    Placement,
    Session,
    ShortContact,
    SocialContract,
    SupportForm,
)
from participants.models.support import MAX_DEPENDANTS, SAME_CONTACT_TWICE
from participants.selectors.support import timelines
from participants.services.people import (
    ProcessingRestricted,
    people_of_record,
    processing_check,
    processing_refusal,
    untouchable,
)
from projects.models import Project, StaffMember


@transaction.atomic
def activity_participants_add(
    *, activity: Activity, participants: list[Participant], user: Actor = None
) -> int:
    """Assign people to an activity. Only people enrolled in its project may be
    assigned, and only people whose data may be processed; anyone else makes the whole
    call fail. Returns how many were added."""
    permission_check(user, "participants.add_activityparticipant")
    processing_check(participants, field="participants")
    enrolled = set(
        Enrolment.objects.filter(
            project_id=activity.project_id, participant__in=participants
        ).values_list("participant_id", flat=True)
    )
    outsiders = [p for p in participants if p.pk not in enrolled]
    if outsiders:
        raise ValidationError(
            _("Not enrolled in the project %(project)s: %(names)s.")
            % {"project": activity.project, "names": ", ".join(p.full_name for p in outsiders)}
        )
    existing = set(activity.assignments.values_list("participant_id", flat=True))
    new = [
        ActivityParticipant(activity=activity, participant=p)
        for p in participants
        if p.pk not in existing
    ]
    ActivityParticipant.objects.bulk_create(new)
    return len(new)


def session_save(*, session: Session, staff: Iterable[StaffMember], user: Actor = None) -> Session:
    """Add a session to its activity, or save an edited one, with its staff.

    An activity has one session at a given date and time. The form cannot check that
    (the activity is not one of its fields), so it is checked here, and a session saved
    by somebody else between that check and the insert is reported the same way."""
    permission_check(
        user, "participants.change_session" if session.pk else "participants.add_session"
    )
    taken = ValidationError(
        {
            "start_time": _(
                "This activity already has a session on %(date)s at %(time)s: open that "
                "one, or choose another time."
            )
            % {
                "date": session.date.strftime("%d.%m.%Y") if session.date else "",
                "time": session.start_time.strftime("%H:%M") if session.start_time else "",
            }
        }
    )
    same_time = Session.objects.filter(
        activity_id=session.activity_id, date=session.date, start_time=session.start_time
    ).exclude(pk=session.pk)
    if same_time.exists():
        raise taken
    session.full_clean()
    try:
        with transaction.atomic():
            session.save()
            session.staff.set(staff)
    except IntegrityError:
        raise taken from None
    return session


class Repeat(models.TextChoices):
    """How often a series of sessions repeats."""

    WEEKLY = "weekly", gettext_lazy("every week")
    FORTNIGHTLY = "fortnightly", gettext_lazy("every two weeks")
    MONTHLY = "monthly", gettext_lazy("once a month")


def series_dates(
    *, first_date: date, weekdays: Iterable[int], repetitions: int, repeat: str = Repeat.WEEKLY
) -> list[date]:
    """The dates of a series, public holidays included.

    Weekly and fortnightly: the chosen weekdays of every (second) week from the week of
    `first_date`, none before it, for `repetitions` weeks (fortnights). Monthly: each
    chosen weekday in the same week of the month as its first occurrence from
    `first_date` (a first Friday stays the first Friday; a fifth becomes the fourth,
    which every month has), for `repetitions` months."""
    days = sorted(set(weekdays))
    if repeat == Repeat.MONTHLY:
        dates = []
        for day in days:
            first = first_date + timedelta(days=(day - first_date.weekday()) % 7)
            nth = min((first.day - 1) // 7, 3)
            for month in range(repetitions):
                start = add_months(first.replace(day=1), month)
                dates.append(start + timedelta(days=(day - start.weekday()) % 7 + 7 * nth))
        return sorted(dates)
    step = 2 if repeat == Repeat.FORTNIGHTLY else 1
    monday = first_date - timedelta(days=first_date.weekday())
    return sorted(
        d
        for week in range(repetitions)
        for day in days
        if (d := monday + timedelta(weeks=week * step, days=day)) >= first_date
    )


@dataclass
class SessionSeries:
    sessions: list[Session]
    # Public holidays left out of the series: date → the holiday's name.
    skipped: dict[date, str]


@transaction.atomic
def session_series_create(
    *,
    activity: Activity,
    first_date: date,
    weekdays: list[int],
    start_time: time,
    duration_hours: Decimal,
    weeks: int,
    repeat: str = Repeat.WEEKLY,
    topic: str = "",
    user: Actor = None,
) -> SessionSeries:
    """A series of sessions in one step, e.g. Tuesdays and Thursdays at 16:00, 3.5 h,
    for 12 weeks; or every two weeks, or once a month (`repeat`). `weekdays` are 0
    (Monday) to 6 (Sunday); `weeks` is the number of repetitions: weeks, fortnights or
    months. Polish public holidays are skipped and listed in the result. All or
    nothing; sessions the activity already has at that date and time are kept."""
    permission_check(user, "participants.add_session")
    errors = {}
    if duration_hours is None or not duration_hours.is_finite() or duration_hours <= 0:
        errors["duration_hours"] = _("The duration must be greater than zero.")
    if not weekdays:
        errors["weekdays"] = _("Choose at least one day of the week.")
    if not 1 <= weeks <= 52:
        errors["weeks"] = _("Between 1 and 52 repetitions.")
    if repeat not in Repeat.values:
        errors["repeat"] = _("Choose how often the sessions repeat.")
    if errors:
        raise ValidationError(errors)
    dates = series_dates(first_date=first_date, weekdays=weekdays, repetitions=weeks, repeat=repeat)
    holidays = public_holidays(dates[0], dates[-1]) if dates else {}
    skipped = {d: holidays[d] for d in dates if d in holidays}
    dates = [d for d in dates if d not in holidays]
    outside = [d for d in dates if not activity.start_date <= d <= activity.end_date]
    if outside:
        raise ValidationError(
            {
                "weeks": _(
                    "%(count)s of the sessions would fall outside the activity "
                    "(%(start)s – %(end)s), e.g. %(date)s. Shorten the series or change the "
                    "activity's dates."
                )
                % {
                    "count": len(outside),
                    "start": activity.start_date.strftime("%d.%m.%Y"),
                    "end": activity.end_date.strftime("%d.%m.%Y"),
                    "date": outside[0].strftime("%d.%m.%Y"),
                }
            }
        )
    taken = set(
        activity.sessions.filter(date__in=dates, start_time=start_time).values_list(
            "date", flat=True
        )
    )
    sessions = [
        Session(
            activity=activity,
            date=d,
            start_time=start_time,
            duration_hours=duration_hours,
            topic=topic,
        )
        for d in dates
        if d not in taken
    ]
    Session.objects.bulk_create(sessions)
    staff = list(activity.staff.all())
    if staff:
        created = Session.objects.filter(
            activity=activity, date__in=[s.date for s in sessions], start_time=start_time
        )
        Session.staff.through.objects.bulk_create(
            [
                Session.staff.through(session_id=s.pk, staffmember_id=m.pk)
                for s in created
                for m in staff
            ]
        )
    return SessionSeries(sessions=sessions, skipped=skipped)


@dataclass
class RollCallConflict:
    participant: Participant
    yours: str
    theirs: str


def is_care_point(session: Session) -> bool:
    return session.activity.support_form.code == SupportForm.CARE_POINT


def _dependants_check(
    session: Session,
    marks: dict[int, str],
    dependants: dict[int, int | None] | None,
    names: dict[int, str],
) -> dict[int, int]:
    """The dependants each person left in care, for the marks to save: at a care-point
    session every adult marked present left from 1 to MAX_DEPENDANTS of them (that is
    what being present at the care point means); nobody else has any."""
    dependants = dependants or {}
    if not is_care_point(session):
        if any(dependants.values()):
            raise ValidationError(_("Dependants are recorded only at the care point's sessions."))
        return {}
    counts: dict[int, int] = {}
    missing: list[str] = []
    for participant_id, status in marks.items():
        if status != Attendance.Status.PRESENT:
            counts[participant_id] = 0
            continue
        count = dependants.get(participant_id)
        if count is None or not 1 <= count <= MAX_DEPENDANTS:
            missing.append(names[participant_id])
        counts[participant_id] = count or 0
    if missing:
        raise ValidationError(
            _(
                "Give how many dependants each person present left in the care point's "
                "care (from 1 to %(max)s): %(names)s."
            )
            % {"max": MAX_DEPENDANTS, "names": ", ".join(sorted(missing))}
        )
    return counts


@transaction.atomic
def roll_call_save(
    *,
    session: Session,
    marks: dict[int, str],
    seen: dict[int, str],
    recorded_by: User | None,
    dependants: dict[int, int | None] | None = None,
) -> list[RollCallConflict]:
    """Save a session's attendance in one transaction and a fixed number of queries.

    `marks` maps participant id → present / absent / excused; `seen` maps participant id
    → the mark shown when the page was opened ("" for none). If somebody else changed a
    person's mark in the meantime to something other than what is submitted now, that
    person's mark is kept and returned as a conflict: nobody's work is silently erased.
    Marks for people not assigned to the activity or not on the session's list (not
    taking part in the project that day, `Timeline.on_list`), for people whose
    processing is restricted or who are anonymised, or for a session in the future, are
    refused and nothing is saved.

    At a session of the care point, `dependants` maps the id of each person marked
    present → how many dependants he or she left in its care (1 or more, None for a
    count not given: see `_dependants_check`); at any other session it is left out."""
    permission_check(recorded_by, "participants.add_attendance")
    # The session's row only: locking its activity and support form too would make
    # every roll call of that form wait for this one.
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("activity__support_form")
        .get(pk=session.pk)
    )
    if session.date > timezone.localdate():
        raise ValidationError(_("The roll call of a future session cannot be taken yet."))
    valid = set(Attendance.Status.values)
    if any(status not in valid for status in marks.values()):
        raise ValidationError(_("Unknown attendance mark."))
    assigned = {
        a.participant_id: a.participant
        for a in ActivityParticipant.objects.filter(activity_id=session.activity_id).select_related(
            "participant"
        )
    }
    if set(marks) - set(assigned):
        raise ValidationError(
            _("Attendance can only be recorded for people assigned to the activity.")
        )
    # Only the people on the session's list (taking part in the project that day).
    lines = timelines(session.activity, marks)
    off_list = sorted(
        assigned[pid].full_name
        for pid in marks
        if not (lines.get(pid) and lines[pid].on_list(session.date))
    )
    if off_list:
        raise ValidationError(
            _(
                "Attendance can only be recorded for people taking part in the project on "
                "the session's date (%(date)s); not for: %(names)s."
            )
            % {"date": f"{session.date:%d.%m.%Y}", "names": ", ".join(off_list)}
        )
    # Nobody whose processing is restricted or who is anonymised gets a new mark.
    if refused := untouchable(assigned[pid] for pid in marks):
        raise processing_refusal(sorted(refused, key=lambda p: (p.last_name, p.first_name, p.pk)))

    counts = _dependants_check(
        session, marks, dependants, {pid: assigned[pid].full_name for pid in marks}
    )

    current = {a.participant_id: a for a in Attendance.objects.filter(session=session)}
    to_create, to_update, conflicts = [], [], []
    previous: dict[int, Attendance] = {}
    for participant_id, status in marks.items():
        existing = current.get(participant_id)
        now = existing.status if existing else ""
        count = counts.get(participant_id, 0)
        if now == status:
            if existing is None or existing.dependants == count:
                continue
            # The same mark with another number of dependants: a correction, saved.
        elif now != seen.get(participant_id, ""):
            conflicts.append(RollCallConflict(assigned[participant_id], status, now))
            continue
        if existing:
            previous[participant_id] = Attendance(
                status=existing.status, dependants=existing.dependants
            )
            existing.status, existing.dependants = status, count
            existing.recorded_by = recorded_by
            existing.updated_at = timezone.now()  # bulk_update skips auto_now
            to_update.append(existing)
        else:
            to_create.append(
                Attendance(
                    session=session,
                    participant_id=participant_id,
                    status=status,
                    dependants=count,
                    recorded_by=recorded_by,
                )
            )
    Attendance.objects.bulk_create(to_create)
    if to_update:
        Attendance.objects.bulk_update(
            to_update, ["status", "dependants", "recorded_by", "updated_at"]
        )
    _audit_attendance(to_create, to_update, previous, recorded_by)
    session.roll_call_at, session.roll_call_by = timezone.now(), recorded_by
    session.save(update_fields=["roll_call_at", "roll_call_by", "updated_at"])
    return conflicts


@transaction.atomic
def community_event_save(
    *, event: CommunityEvent, participants: list[Participant], user: Actor = None
) -> CommunityEvent:
    """Save a community event with the people from the register who took part (the whole
    list). Adding or removing a person whose processing is restricted (art. 18 GDPR) or
    who is anonymised is processing of his or her data: refused, nothing saved. With
    `user`, the people on the list he or she may not see stay on it, and only people he
    or she may see can be added."""
    from participants.access import participants_for

    permission_check(
        user,
        "participants.change_communityevent" if event.pk else "participants.add_communityevent",
    )
    before = set(event.participants.all()) if event.pk else set()
    if user is not None:
        asked = before | set(participants)
        visible = set(
            participants_for(user).filter(pk__in=[p.pk for p in asked]).values_list("pk", flat=True)
        )
        if any(p.pk not in visible for p in set(participants) - before):
            raise ValidationError(
                {"participants": _("Only people whose cards you can open can be added.")}
            )
        participants = [
            *participants,
            *(p for p in before - set(participants) if p.pk not in visible),
        ]
    changed = before.symmetric_difference(participants)
    refused = sorted(untouchable(changed), key=lambda p: (p.last_name, p.first_name, p.pk))
    if refused:
        raise ProcessingRestricted(
            {
                "participants": _(
                    "Processing of the data is restricted (art. 18 GDPR) or the data are "
                    "anonymised for: %(names)s. Their participation in the event cannot be "
                    "added or removed."
                )
                % {"names": ", ".join(p.full_name for p in refused)}
            },
            refused,
        )
    event.full_clean()
    event.save()
    event.participants.set(participants)
    return event


@transaction.atomic
def activity_completion_set(
    *, assignment: ActivityParticipant, completed_on: date | None, user: Actor = None
) -> None:
    """Mark that a person completed an activity (a certificate can be printed), or undo."""
    permission_check(user, "participants.change_activityparticipant")
    processing_check([assignment.participant_id], field="completed_on")
    activity = assignment.activity
    if completed_on and not activity.start_date <= completed_on <= activity.end_date:
        raise ValidationError(
            {
                "completed_on": _("The date must lie within the activity: %(start)s – %(end)s.")
                % {
                    "start": activity.start_date.strftime("%d.%m.%Y"),
                    "end": activity.end_date.strftime("%d.%m.%Y"),
                }
            }
        )
    certificate = Certificate.objects.filter(assignment=assignment).first()
    if completed_on is None and certificate is not None:
        raise ValidationError(
            {
                "completed_on": _(
                    "Certificate no. %(number)s has been issued for this completion: it "
                    "stays in the register, so the completion cannot be undone."
                )
                % {"number": certificate.number}
            }
        )
    assignment.completed_on = completed_on
    assignment.save(update_fields=["completed_on", "updated_at"])


@dataclass
class BulkCompletion:
    """What a bulk completion did: who was marked, who already had a completion (kept
    as it was) and who was left out because his or her data may not be processed."""

    marked: list[Participant]
    already: list[Participant]
    refused: list[Participant]


@transaction.atomic
def activity_completion_bulk(
    *,
    activity: Activity,
    completed_on: date,
    user: Actor = None,
    assignment_ids: Iterable[int] | None = None,
    at_threshold: bool = False,
) -> BulkCompletion:
    """Mark completion of the activity on one day for several people at once: those
    chosen (`assignment_ids`, of this activity only) and/or, with `at_threshold`,
    everybody whose attendance is at or above the threshold (the activity's grid, the one
    definition of attendance %). A completion already recorded is kept (its date and any
    certificate issued stay); people whose processing is restricted or who are
    anonymised are left out and named. One transaction; each change is audited."""
    from participants.selectors.support import activity_grid

    permission_check(user, "participants.change_activityparticipant")
    if not activity.start_date <= completed_on <= activity.end_date:
        raise ValidationError(
            {
                "completed_on": _("The date must lie within the activity: %(start)s – %(end)s.")
                % {
                    "start": activity.start_date.strftime("%d.%m.%Y"),
                    "end": activity.end_date.strftime("%d.%m.%Y"),
                }
            }
        )
    chosen = set(assignment_ids or ())
    if at_threshold:
        grid = activity_grid(activity)
        chosen |= {
            row.assignment.pk
            for row in grid.rows
            if row.percent is not None and row.percent >= grid.threshold
        }
    assignments = list(
        ActivityParticipant.objects.filter(activity=activity, pk__in=chosen)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    result = BulkCompletion([], [], [])
    for assignment in assignments:
        person = assignment.participant
        if person.processing_restricted or person.anonymised_at is not None:
            result.refused.append(person)
        elif assignment.completed_on is not None:
            result.already.append(person)
        else:
            assignment.completed_on = completed_on
            assignment.full_clean()
            assignment.save(update_fields=["completed_on", "updated_at"])
            result.marked.append(person)
    return result


def _mark_changes(mark: Attendance, before: Attendance | None) -> dict[str, list[str]]:
    """What a saved mark changed, as auditlog writes it: the status, and the dependants
    when a care point's count is new or changed."""
    changes = {}
    if before is None or before.status != mark.status:
        changes["status"] = [before.status if before else "None", mark.status]
    if (before.dependants if before else 0) != mark.dependants:
        changes["dependants"] = [str(before.dependants) if before else "None", str(mark.dependants)]
    return changes


def _audit_attendance(
    created: list[Attendance],
    updated: list[Attendance],
    previous: dict[int, Attendance],
    user: User | None,
) -> None:
    """Bulk writes bypass the audit signals: record the marks in one insert."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Attendance)
    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=str(mark.pk),
            object_id=mark.pk,
            object_repr=f"{Attendance._meta.verbose_name} #{mark.pk}",
            action=LogEntry.Action.CREATE if mark in created else LogEntry.Action.UPDATE,
            changes=_mark_changes(mark, previous.get(mark.participant_id)),
            changes_text="",
            actor=user if getattr(user, "is_authenticated", False) else None,
            additional_data={"participant": mark.participant_id, "session": mark.session_id},
        )
        for mark in [*created, *updated]
    ]
    LogEntry.objects.bulk_create(entries)


# --- activities, sessions, contracts, placements and events: saved and deleted --------


@transaction.atomic
def activity_save(
    *, activity: Activity, staff: list[StaffMember] | None = None, user: Actor = None
) -> Activity:
    """Create or change an activity with its staff (None: unchanged). A support form no
    longer in use, or staff no longer active, cannot be newly chosen. Dates that would
    leave sessions outside the activity are refused, and so is moving it to a project
    in which somebody assigned to it is not enrolled."""
    from projects.services import staff_active_check

    permission_check(
        user, "participants.change_activity" if activity.pk else "participants.add_activity"
    )
    changed = changed_fields(activity, ["support_form", "project"])
    form = activity.support_form if activity.support_form_id is not None else None
    if "support_form" in changed and form is not None and not form.is_active:
        raise ValidationError({"support_form": _("This support form is no longer in use.")})
    if staff is not None:
        staff_active_check(chosen=staff, before=activity.staff.all() if activity.pk else [])
    activity.full_clean()
    if activity.pk is not None:
        errors = {}
        for field, outside in (
            ("start_date", activity.sessions.filter(date__lt=activity.start_date)),
            ("end_date", activity.sessions.filter(date__gt=activity.end_date)),
        ):
            first = outside.order_by("date").first()
            if first is not None:
                errors[field] = _(
                    "Sessions outside the new dates: %(count)s (e.g. %(date)s). Move or "
                    "delete them first, or choose dates that cover them."
                ) % {"count": outside.count(), "date": first.date.strftime("%d.%m.%Y")}
        if "project" in changed:
            outsiders = Participant.objects.filter(activity_assignments__activity=activity).exclude(
                enrolments__project_id=activity.project_id
            )
            if outsiders.exists():
                errors["project"] = _("Not enrolled in the project %(project)s: %(names)s.") % {
                    "project": activity.project,
                    "names": ", ".join(p.full_name for p in outsiders.order_by("last_name")),
                }
        if errors:
            raise ValidationError(errors)
    activity.save()
    if staff is not None:
        activity.staff.set(staff)
    return activity


def _people_in_activity(activity_ids: Iterable[int]) -> list[int]:
    assigned = ActivityParticipant.objects.filter(activity_id__in=activity_ids)
    marked = Attendance.objects.filter(session__activity_id__in=activity_ids)
    return [
        *assigned.values_list("participant_id", flat=True),
        *marked.values_list("participant_id", flat=True),
    ]


@transaction.atomic
def activity_delete(*, activity: Activity, user: Actor = None) -> None:
    """Delete an activity with its sessions, assignments and attendance (administrators).
    Refused while it holds records of people whose data may not be processed."""
    permission_check(user, "participants.delete_activity")
    processing_check(_people_in_activity([activity.pk]))
    delete_checked(activity)  # issued certificates keep it (the register)


@transaction.atomic
def activity_participant_remove(*, assignment: ActivityParticipant, user: Actor = None) -> None:
    """Take a person assigned by mistake off an activity. Someone with attendance marks
    in it stays: the marks are part of the record and of the reports."""
    permission_check(user, "participants.delete_activityparticipant")
    processing_check([assignment.participant_id])
    if Attendance.objects.filter(
        session__activity_id=assignment.activity_id, participant_id=assignment.participant_id
    ).exists():
        raise ValidationError(
            _(
                "%(name)s already has attendance marks in this activity, so the assignment "
                "cannot be removed."
            )
            % {"name": assignment.participant.full_name}
        )
    assignment.delete()


@dataclass
class GroupsLeft:
    """What taking a person out of his or her groups did: the activities he or she was
    taken off, and those kept for the attendance already marked there (the lists leave
    him or her out from the day after leaving anyway: `Timeline.on_list`)."""

    removed: list[Activity]
    kept: list[Activity]


def groups_with_future_sessions(
    participant: Participant, project: Project, after: date
) -> "models.QuerySet[Activity]":
    """The person's activities in the project with sessions after `after`, by name."""
    return (
        Activity.objects.filter(
            project=project,
            assignments__participant=participant,
            sessions__date__gt=after,
        )
        .distinct()
        .order_by("name", "pk")
    )


@transaction.atomic
def activity_groups_leave(
    *, participant: Participant, project: Project, after: date, user: Actor = None
) -> GroupsLeft:
    """Take a person who left a project (a drop-out) out of all future sessions of his
    or her groups in it: off each activity with sessions after `after` where he or she
    has no attendance marks (`activity_participant_remove`, audited); an activity where
    he or she was marked keeps the assignment (the marks are the record), and its lists
    leave him or her out after leaving."""
    result = GroupsLeft([], [])
    for activity in groups_with_future_sessions(participant, project, after):
        assignment = ActivityParticipant.objects.select_related("participant").get(
            activity=activity, participant=participant
        )
        if Attendance.objects.filter(session__activity=activity, participant=participant).exists():
            result.kept.append(activity)
        else:
            activity_participant_remove(assignment=assignment, user=user)
            result.removed.append(activity)
    return result


@transaction.atomic
def session_delete(*, session: Session, user: Actor = None) -> None:
    """Delete a session with its attendance; refused while it holds marks of people whose
    data may not be processed."""
    permission_check(user, "participants.delete_session")
    processing_check(
        Attendance.objects.filter(session=session).values_list("participant_id", flat=True)
    )
    session.delete()


@transaction.atomic
def social_contract_save(*, contract: SocialContract, user: Actor = None) -> SocialContract:
    """Sign a social contract or change one. The caseworker, when newly chosen, must be
    a staff member still active."""
    from projects.services import staff_active_check

    permission_check(
        user,
        "participants.change_socialcontract" if contract.pk else "participants.add_socialcontract",
    )
    processing_check(people_of_record(contract))
    if contract.caseworker_id is not None:
        before = SocialContract.objects.filter(pk=contract.pk).values_list("caseworker", flat=True)
        if contract.caseworker_id not in before:
            staff_active_check(chosen=[contract.caseworker], field="caseworker")
    contract.full_clean()
    contract.save()
    return contract


@transaction.atomic
def social_contract_delete(*, contract: SocialContract, user: Actor = None) -> None:
    permission_check(user, "participants.delete_socialcontract")
    processing_check([contract.participant_id])
    contract.delete()


@transaction.atomic
def placement_save(*, placement: Placement, user: Actor = None) -> Placement:
    """Record an internship or socially useful work, or change one. The job it led to
    must be one of the same person's jobs."""
    permission_check(
        user, "participants.change_placement" if placement.pk else "participants.add_placement"
    )
    processing_check(people_of_record(placement))
    if placement.employment is not None and placement.employment.participant_id != (
        placement.participant_id
    ):
        raise ValidationError({"employment": _("This is a job of another person.")})
    placement.full_clean()
    placement.save()
    return placement


@transaction.atomic
def placement_delete(*, placement: Placement, user: Actor = None) -> None:
    permission_check(user, "participants.delete_placement")
    processing_check([placement.participant_id])
    placement.delete()


@transaction.atomic
def community_event_delete(*, event: CommunityEvent, user: Actor = None) -> None:
    """Delete a community event; refused while people whose data may not be processed
    are on its list (removing them is processing of their data)."""
    permission_check(user, "participants.delete_communityevent")
    processing_check(event.participants.values_list("pk", flat=True))
    event.delete()


# --- one-off help (short contacts) ---------------------------------------------------


def _contact_check(contact: ShortContact, before: ShortContact | None) -> None:
    """The rules of a short contact beyond the model's: it happened (no future date);
    a staff member, or a project, newly chosen must still be in use: staff still
    working at the centre, a project not finished or settled (its figures are final)."""
    from projects.services import staff_active_check

    errors = {}
    if contact.date and contact.date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    project = contact.project
    if (
        project is not None
        and (before is None or before.project_id != project.pk)
        and not project.accepts_enrolments
    ):
        errors["project"] = _("The project is %(status)s: nothing new can be recorded in it.") % {
            "status": project.get_status_display()
        }
    if errors:
        raise ValidationError(errors)
    staff_active_check(
        chosen=[contact.staff],
        before=[before.staff] if before is not None else [],
        field="staff",
    )


def _contact_save(contact: ShortContact) -> ShortContact:
    """Validate and save; the same contact recorded twice (the same person, day, form
    and staff member: a form sent twice) is a form error, also when two saves race."""
    twice = ValidationError({"date": SAME_CONTACT_TWICE})
    same = ShortContact.objects.filter(
        participant_id=contact.participant_id,
        date=contact.date,
        kind=contact.kind,
        staff_id=contact.staff_id,
    ).exclude(pk=contact.pk)
    contact.full_clean(validate_constraints=False)
    if same.exists():
        raise twice
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        raise twice from None
    return contact


@transaction.atomic
def contact_create(
    *,
    participant: Participant,
    date: date,
    kind: str,
    staff: StaffMember,
    duration_hours: Decimal,
    project: Project | None = None,
    note: str = "",
    user: Actor = None,
) -> ShortContact:
    """Record one-off help for a person in the register (enrolled or not): see
    ShortContact. It makes the person served in its year and nothing more."""
    permission_check(user, "participants.add_shortcontact")
    processing_check([participant], field="participant")
    contact = ShortContact(
        participant=participant,
        date=date,
        kind=kind,
        staff=staff,
        duration_hours=duration_hours,
        project=project,
        note=note,
    )
    _contact_check(contact, before=None)
    return _contact_save(contact)


@transaction.atomic
def contact_update(
    *,
    contact: ShortContact,
    date: date,
    kind: str,
    staff: StaffMember,
    duration_hours: Decimal,
    project: Project | None,
    note: str,
    user: Actor = None,
) -> ShortContact:
    """Correct a short contact. Its person stays: help recorded for the wrong person is
    deleted and recorded for the right one."""
    permission_check(user, "participants.change_shortcontact")
    # Only the contact's row is locked (its project may be none: an outer join).
    before = (
        ShortContact.objects.select_for_update(of=("self",))
        .select_related("staff", "project")
        .get(pk=contact.pk)
    )
    processing_check([before.participant_id])
    contact.participant_id = before.participant_id
    contact.date, contact.kind, contact.staff = date, kind, staff
    contact.duration_hours, contact.project, contact.note = duration_hours, project, note
    _contact_check(contact, before=before)
    return _contact_save(contact)


@transaction.atomic
def contact_delete(*, contact: ShortContact, user: Actor = None) -> None:
    """Delete a short contact recorded by mistake."""
    permission_check(user, "participants.delete_shortcontact")
    processing_check(
        ShortContact.objects.filter(pk=contact.pk).values_list("participant_id", flat=True)
    )
    contact.delete()
