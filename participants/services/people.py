"""Writes of participants and their records: enrolments and their history, family
links, jobs, diagnoses and action plans. Each function checks the user's permission
(None: the application itself) and the people's restriction or anonymisation,
validates (model rules and database constraints), writes atomically and is the one
place its rule lives."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kis.lib.services import Actor, delete_checked, permission_check
from participants.models import (
    Diagnosis,
    DropoutReason,
    Employment,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    ExitSituation,
    FamilyLink,
    Goal,
    Participant,
)
from participants.selectors.people import (
    can_see_sensitive,
    is_sensitive_change,
    sensitive_group_names,
)
from projects.models import Project

Kind = EnrolmentEvent.Kind
Status = Enrolment.Status

# Which event may follow which status, and the status it leads to.
TRANSITIONS: dict[str, dict[str, str]] = {
    Status.ACTIVE: {
        Kind.DROPPED_OUT: Status.DROPPED_OUT,
        Kind.LEFT_FOR_JOB: Status.LEFT_FOR_JOB,
        Kind.COMPLETED: Status.COMPLETED,
    },
    Status.LEFT_FOR_JOB: {Kind.RETURNED: Status.ACTIVE},
    Status.DROPPED_OUT: {},
    Status.COMPLETED: {},
}


@transaction.atomic
def participant_create(
    *, registered_by: User | None, groups: list[ExclusionGroup] | None = None, **fields: Any
) -> Participant:
    permission_check(registered_by, "participants.add_participant")
    participant = Participant(registered_by=registered_by, **fields)
    participant.full_clean()
    _save_unique_pesel(participant)
    participant.groups.set(groups or [])
    return participant


def _save_unique_pesel(participant: Participant) -> None:
    """Save; a PESEL registered by somebody else since full_clean() checked it (two
    people registering the same person at once) is a form error, not a server error."""
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        others = Participant.objects.filter(pesel=participant.pesel).exclude(pk=participant.pk)
        if participant.pesel and others.exists():
            raise ValidationError(
                {"pesel": _("A participant with this PESEL is already registered.")}
            ) from None
        raise


class EditConflict(ValidationError):
    """Somebody else saved the record since the form was opened (optimistic locking)."""


class ProcessingRestricted(ValidationError):
    """The write would touch people whose processing is restricted (art. 18 GDPR) or
    who are anonymised; `people` are they (the caller logs the refusal)."""

    def __init__(self, message: Any, people: list[Participant]) -> None:
        super().__init__(message)
        self.people = people


def people_of_record(obj: Any) -> list[int]:
    """The person an (edited) record belongs to, and the one it belonged to when it was
    saved, if another: moving a record touches both people's data."""
    people = [obj.participant_id]
    if obj.pk is not None:
        people += type(obj).objects.filter(pk=obj.pk).values_list("participant_id", flat=True)
    return people


def untouchable(people: Iterable[Participant]) -> list[Participant]:
    """Those of `people` whose data may not be processed any more: restricted (art. 18
    GDPR) or anonymised."""
    return [p for p in people if p.processing_restricted or p.anonymised_at is not None]


def processing_check(
    people: Iterable[Participant | int | None], *, field: str | None = None
) -> None:
    """Refuse (ProcessingRestricted) a write touching the data of people whose
    processing is restricted (art. 18 GDPR) or who are anonymised. Anonymisation cannot
    be undone: an anonymised person and his or her records stay as they are for good,
    so that nobody is identified again and past reports keep their figures. Read from
    the database, not from the instances (a form may already have changed them)."""
    ids = {p.pk if isinstance(p, Participant) else p for p in people if p is not None} - {None}
    refused = list(
        Participant.objects.filter(pk__in=ids)
        .filter(Q(processing_restricted=True) | Q(anonymised_at__isnull=False))
        .order_by("last_name", "first_name", "pk")
    )
    if refused:
        raise processing_refusal(refused, field=field)


def processing_refusal(
    refused: list[Participant], *, field: str | None = None
) -> ProcessingRestricted:
    """The refusal of a write touching these people (restricted or anonymised), saying
    why for each, to raise."""
    anonymised = [p.full_name for p in refused if p.anonymised_at is not None]
    restricted = [p.full_name for p in refused if p.anonymised_at is None]
    errors = []
    if anonymised:
        errors.append(
            _(
                "%(names)s: the data are anonymised and can no longer be changed; nothing "
                "can be added to them or removed from them."
            )
            % {"names": ", ".join(anonymised)}
        )
    if restricted:
        errors.append(
            _(
                "%(names)s: processing of the data is restricted (art. 18 GDPR); nothing "
                "can be changed, added or removed until the restriction is lifted."
            )
            % {"names": ", ".join(restricted)}
        )
    return ProcessingRestricted({field: errors} if field else errors, refused)


@transaction.atomic
def family_link_create(
    *, participant: Participant, relative: Participant, relation: str, user: Actor = None
) -> FamilyLink:
    """Link a family member who is supported too. Linking is processing of both people's
    data: refused if either one's processing is restricted or he or she is anonymised."""
    permission_check(user, "participants.add_familylink")
    refused = untouchable([participant, relative])
    if refused:
        raise ProcessingRestricted(
            {
                "relative": _(
                    "Processing of the data is restricted (art. 18 GDPR) or the data are "
                    "anonymised for: %(names)s. The family link cannot be recorded."
                )
                % {"names": ", ".join(p.full_name for p in refused)}
            },
            refused,
        )
    if FamilyLink.objects.filter(participant=participant, relative=relative).exists():
        raise ValidationError({"relative": _("This person is already linked.")})
    link = FamilyLink(participant=participant, relative=relative, relation=relation)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def family_link_update(*, link: FamilyLink, relation: str, user: Actor = None) -> FamilyLink:
    """Change how two linked people are related."""
    permission_check(user, "participants.change_familylink")
    processing_check([link.participant_id, link.relative_id], field="relation")
    link.relation = relation
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def family_link_delete(*, link: FamilyLink, user: Actor = None) -> None:
    """Remove a family link: processing of both people's data, refused like linking."""
    permission_check(user, "participants.delete_familylink")
    processing_check([link.participant_id, link.relative_id])
    link.delete()


@transaction.atomic
def participant_delete(*, participant: Participant, user: Actor = None) -> None:
    """Delete a person registered by mistake, with everything recorded about him or her
    (administrators). A person whose processing is restricted keeps the data (art. 18
    GDPR: only storage); an anonymised one stays, so that past reports keep their
    figures."""
    permission_check(user, "participants.delete_participant")
    processing_check([participant])
    delete_checked(participant)


@transaction.atomic
def employment_save(*, employment: Employment, user: Actor = None) -> Employment:
    """Record a job taken, or change one. A job linked to an enrolment is the one the
    person left that project for: it must be one of his or her own enrolments."""
    permission_check(
        user, "participants.change_employment" if employment.pk else "participants.add_employment"
    )
    processing_check(people_of_record(employment))
    if employment.enrolment_id is not None and (
        Enrolment.objects.filter(pk=employment.enrolment_id)
        .exclude(participant_id=employment.participant_id)
        .exists()
    ):
        raise ValidationError({"enrolment": _("This is an enrolment of another person.")})
    employment.full_clean()
    employment.save()
    return employment


@transaction.atomic
def employment_delete(*, employment: Employment, user: Actor = None) -> None:
    permission_check(user, "participants.delete_employment")
    processing_check([employment.participant_id])
    employment.delete()


@transaction.atomic
def diagnosis_save(
    *,
    diagnosis: Diagnosis,
    staff: list | None = None,
    goals: Sequence[Goal] = (),
    deleted_goals: Sequence[Goal] = (),
    user: Actor = None,
) -> Diagnosis:
    """Save a diagnosis and its action plan: the staff who made it (None: unchanged)
    and the goals added or changed and removed, all or nothing. Its enrolment must be
    one of the person's own; staff newly named must still work at the centre."""
    from projects.services import staff_active_check

    permission_check(
        user, "participants.change_diagnosis" if diagnosis.pk else "participants.add_diagnosis"
    )
    processing_check(people_of_record(diagnosis))
    if diagnosis.enrolment_id is not None and (
        Enrolment.objects.filter(pk=diagnosis.enrolment_id)
        .exclude(participant_id=diagnosis.participant_id)
        .exists()
    ):
        raise ValidationError({"enrolment": _("This is an enrolment of another person.")})
    if staff is not None:
        before = diagnosis.staff.all() if diagnosis.pk else []
        staff_active_check(chosen=staff, before=before)
    diagnosis.full_clean()
    diagnosis.save()
    if staff is not None:
        diagnosis.staff.set(staff)
    diagnosis_goals_save(diagnosis=diagnosis, goals=goals, deleted=deleted_goals, user=user)
    return diagnosis


@transaction.atomic
def diagnosis_goals_save(
    *,
    diagnosis: Diagnosis,
    goals: Sequence[Goal] = (),
    deleted: Sequence[Goal] = (),
    user: Actor = None,
) -> None:
    """Add, change and remove goals of a diagnosis's action plan."""
    if not goals and not deleted:
        return
    processing_check([diagnosis.participant_id])
    for goal in deleted:
        permission_check(user, "participants.delete_goal")
        if goal.pk is not None:
            Goal.objects.get(pk=goal.pk, diagnosis=diagnosis).delete()
    for goal in goals:
        permission_check(user, "participants.change_goal" if goal.pk else "participants.add_goal")
        if (
            goal.pk is not None
            and not Goal.objects.filter(pk=goal.pk, diagnosis=diagnosis).exists()
        ):
            raise ValidationError(_("This goal belongs to another action plan."))
        goal.diagnosis = diagnosis
        goal.full_clean()
        goal.save()


@transaction.atomic
def diagnosis_delete(*, diagnosis: Diagnosis, user: Actor = None) -> None:
    permission_check(user, "participants.delete_diagnosis")
    processing_check([diagnosis.participant_id])
    diagnosis.delete()


@transaction.atomic
def enrolment_update(
    *,
    enrolment: Enrolment,
    start_date: date,
    referred_from: Project | None,
    referral_note: str,
    labour_status_at_start: str | None = None,
    expected_version: int | None = None,
    user: Actor = None,
) -> Enrolment:
    """Correct an enrolment's start, referral and labour-market status on joining
    (None: unchanged). Its status is not changed here: that is the history's, recorded
    as events (enrolment_event_record). The "started" event moves with the start, which
    cannot pass the first later change of status."""
    permission_check(user, "participants.change_enrolment")
    current = Enrolment.objects.select_for_update().select_related("project").get(pk=enrolment.pk)
    processing_check([current.participant_id])
    check_version(current, expected_version)
    if start_date != current.start_date:
        if start_date > timezone.localdate():
            raise ValidationError({"start_date": _("The date cannot be in the future.")})
        later = current.events.exclude(kind=Kind.STARTED).order_by("date", "pk").first()
        if later is not None and start_date > later.date:
            raise ValidationError(
                {
                    "start_date": _(
                        "The start cannot be after the first change of status (%(event)s)."
                    )
                    % {"event": later}
                }
            )
        for event in current.events.filter(kind=Kind.STARTED):
            event.date = start_date
            event.save(update_fields=["date", "updated_at"])
        if later is None:
            current.status_date = start_date
    current.start_date = start_date
    current.referred_from = referred_from
    current.referral_note = referral_note
    if labour_status_at_start is not None:
        current.labour_status_at_start = labour_status_at_start
    current.version += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def enrolment_delete(*, enrolment: Enrolment, user: Actor = None) -> None:
    """Delete an enrolment recorded by mistake, with its history (administrators)."""
    permission_check(user, "participants.delete_enrolment")
    processing_check([enrolment.participant_id])
    enrolment.delete()


def _changes_since(obj: Model, since: datetime | None, editor: User | None = None) -> list[str]:
    """What others changed on a record after `since`, from the audit trail; the values
    of sensitive data only if `editor` may see them."""
    from auditlog.models import LogEntry

    from kis.audit_search import change_values

    if since is None:
        return []
    entries = (
        LogEntry.objects.get_for_object(obj).filter(timestamp__gt=since).select_related("actor")
    )
    shows_sensitive = can_see_sensitive(editor)
    group_names = set() if shows_sensitive else sensitive_group_names()
    lines = []
    for entry in entries.order_by("timestamp"):
        who = (entry.actor.get_full_name() or entry.actor.get_username()) if entry.actor else "?"
        for field, change in (entry.changes_dict or {}).items():
            try:
                label = getattr(obj._meta.get_field(field), "verbose_name", field)
            except Exception:
                label = field
            if not shows_sensitive and is_sensitive_change(type(obj), field, change, group_names):
                lines.append(
                    _("%(who)s changed %(field)s (sensitive data, not shown)")
                    % {"who": who, "field": label}
                )
                continue
            old, new = change_values(change)
            lines.append(
                _("%(who)s changed %(field)s: “%(old)s” → “%(new)s”")
                % {"who": who, "field": label, "old": old, "new": new}
            )
    return lines


def check_version(
    obj: Any, expected: int | None, since: datetime | None = None, editor: User | None = None
) -> None:
    """Refuse (EditConflict) a save over somebody else's: `obj` (read locked) is no
    longer at the version the form was opened with."""
    if expected is not None and obj.version != expected:
        changes = _changes_since(obj, since, editor)
        raise EditConflict(
            [
                _(
                    "Someone else saved this record after you opened the form; your changes were not saved. Check the current data and enter your changes again."
                )
            ]
            + changes
        )


@transaction.atomic
def participant_update(
    participant: Participant,
    *,
    groups: list[ExclusionGroup] | None = None,
    expected_version: int | None = None,
    opened_at: datetime | None = None,
    editor: User | None = None,
    **fields: Any,
) -> Participant:
    """Change a participant. `groups=None` leaves the groups as they are. With
    `expected_version` (every form carries it), refuse (EditConflict) if somebody saved
    it in the meantime, saying what changed since `opened_at` as far as `editor` (the
    user saving) may see it. Code that changes data on its own (commands, imports)
    leaves `expected_version` out."""
    permission_check(editor, "participants.change_participant")
    current = Participant.objects.select_for_update().get(pk=participant.pk)
    processing_check([current])
    check_version(current, expected_version, opened_at, editor)
    for name, value in fields.items():
        setattr(participant, name, value)
    participant.version = current.version + 1
    participant.full_clean()
    _save_unique_pesel(participant)
    if groups is not None:
        participant.groups.set(groups)
    return participant


def _check_event_date(enrolment: Enrolment, day: date, field: str = "date") -> None:
    project = enrolment.project
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not project.start_date <= day <= project.end_date:
        raise ValidationError(
            {
                field: _("The date must lie within the project: %(start)s – %(end)s.")
                % {
                    "start": project.start_date.strftime("%d.%m.%Y"),
                    "end": project.end_date.strftime("%d.%m.%Y"),
                }
            }
        )
    if day < enrolment.status_date:
        raise ValidationError(
            {
                field: _("The date cannot be before the last change of status (%(date)s).")
                % {"date": enrolment.status_date.strftime("%d.%m.%Y")}
            }
        )


@transaction.atomic
def enrolment_create(
    *,
    participant: Participant,
    project: Project,
    start_date: date,
    recorded_by: User | None,
    referred_from: Project | None = None,
    referral_note: str = "",
    labour_status_at_start: str | None = None,
) -> Enrolment:
    """Enrol a participant in a project: the enrolment and its "started" event. A
    finished or settled project takes nobody new (its figures are final). The
    labour-market status on joining is the person's as recorded unless given."""
    permission_check(recorded_by, "participants.add_enrolment")
    processing_check([participant])
    if not project.accepts_enrolments:
        raise ValidationError(
            {
                "project": _("The project is %(status)s: nobody new can be enrolled in it.")
                % {"status": project.get_status_display()}
            }
        )
    if Enrolment.objects.filter(participant=participant, project=project).exists():
        raise ValidationError({"project": _("This person is already enrolled in this project.")})
    if start_date > timezone.localdate():
        raise ValidationError({"start_date": _("The date cannot be in the future.")})
    enrolment = Enrolment(
        participant=participant,
        project=project,
        start_date=start_date,
        status=Status.ACTIVE,
        status_date=start_date,
        referred_from=referred_from,
        referral_note=referral_note,
        labour_status_at_start=(
            participant.labour_status if labour_status_at_start is None else labour_status_at_start
        ),
    )
    enrolment.full_clean()
    enrolment.save()
    EnrolmentEvent.objects.create(
        enrolment=enrolment, kind=Kind.STARTED, date=start_date, recorded_by=recorded_by
    )
    return enrolment


@transaction.atomic
def enrolments_create(
    *,
    participants: list[Participant],
    project: Project,
    start_date: date,
    recorded_by: User | None,
    referred_from: Project | None = None,
    referral_note: str = "",
) -> list[Enrolment]:
    """Enrol several people in a project at once, on one day (a group starting
    together): each through `enrolment_create` and its rules, all or nothing. A refusal
    names the person it is about and nobody is enrolled."""
    enrolments = []
    for participant in participants:
        try:
            enrolments.append(
                enrolment_create(
                    participant=participant,
                    project=project,
                    start_date=start_date,
                    recorded_by=recorded_by,
                    referred_from=referred_from,
                    referral_note=referral_note,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s: %(reason)s Nobody has been enrolled.")
                % {"name": participant.full_name, "reason": " ".join(error.messages)}
            ) from error
    return enrolments


@transaction.atomic
def enrolment_event_record(
    *,
    enrolment: Enrolment,
    kind: str,
    date: date,
    recorded_by: User | None,
    reason: DropoutReason | None = None,
    note: str = "",
    situation: str = "",
    expected_version: int | None = None,
) -> EnrolmentEvent:
    """Record a drop-out, an exit to a job, a return after a job or completion, with
    the person's situation on leaving if known (see exit_situation_set).

    The history is appended to, never overwritten; the enrolment's status follows.
    With `expected_version`, refuse (EditConflict) if the enrolment changed since the
    form was opened, saying what happened meanwhile."""
    permission_check(recorded_by, "participants.add_enrolmentevent")
    enrolment = Enrolment.objects.select_for_update().select_related("project").get(pk=enrolment.pk)
    processing_check([enrolment.participant])
    if expected_version is not None and enrolment.version != expected_version:
        last = enrolment.events.order_by("-date", "-pk").first()
        raise EditConflict(
            _(
                "Someone else changed this enrolment after you opened the form: it is now "
                "“%(status)s” since %(date)s (%(event)s). Nothing was saved."
            )
            % {
                "status": enrolment.get_status_display(),
                "date": enrolment.status_date.strftime("%d.%m.%Y"),
                "event": last.get_kind_display() if last else "",
            }
        )
    allowed = TRANSITIONS[enrolment.status]
    if kind not in allowed:
        raise ValidationError(
            _("“%(event)s” cannot be recorded for an enrolment that is “%(status)s”.")
            % {"event": Kind(kind).label, "status": enrolment.get_status_display()}
        )
    if kind == Kind.DROPPED_OUT and reason is None:
        raise ValidationError({"reason": _("Choose the reason for dropping out.")})
    if kind != Kind.DROPPED_OUT:
        reason = None
    if kind not in EnrolmentEvent.EXITS:
        situation = ""
    _check_event_date(enrolment, date)
    event = EnrolmentEvent(
        enrolment=enrolment,
        kind=kind,
        date=date,
        reason=reason,
        note=note,
        situation=situation,
        recorded_by=recorded_by,
    )
    event.full_clean(exclude=["enrolment", "reason", "recorded_by"])
    event.save()
    enrolment.status = allowed[kind]
    enrolment.status_date = date
    enrolment.end_date = None if enrolment.status == Status.ACTIVE else date
    enrolment.version += 1
    enrolment.save(update_fields=["status", "status_date", "end_date", "version", "updated_at"])
    return event


# The situation on leaving of a person who left for a job, by the kind of the job.
JOB_SITUATIONS: dict[str, str] = {
    Employment.Contract.SELF_EMPLOYMENT: ExitSituation.SELF_EMPLOYED,
    Employment.Contract.SOCIAL_COOPERATIVE: ExitSituation.COOPERATIVE,
}


@transaction.atomic
def exit_situation_set(
    *, enrolment: Enrolment, situation: str, user: Actor = None
) -> EnrolmentEvent:
    """Record (or correct) where the person went on leaving the project: the situation
    of the event he or she left with. It is often known only later (EU monitoring
    collects it within four weeks of leaving), so it is the one thing of the history
    that may be changed afterwards; an enrolment still running has none."""
    permission_check(user, "participants.change_enrolment")
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    processing_check([enrolment.participant_id], field="situation")
    last = enrolment.events.order_by("-date", "-pk").first()
    if last is None or last.kind not in EnrolmentEvent.EXITS:
        raise ValidationError({"situation": _("The person is still taking part in the project.")})
    if situation not in ExitSituation.values:
        raise ValidationError({"situation": _("Choose the situation on leaving.")})
    last.situation = situation
    last.save(update_fields=["situation", "updated_at"])
    return last


# How much later than the exit a job may start and still be what the person left for:
# after a weekend, on the first of next month. Four weeks is the EU's "in employment upon
# leaving" (ESF+ result data are collected within four weeks of leaving).
JOB_START_AFTER_EXIT = timedelta(weeks=4)


def _check_job_dates(enrolment: Enrolment, employment: Employment, exit_date: date) -> None:
    """The job a person leaves a project for starts on the day of leaving or within four
    weeks after it; or earlier, if the person worked while still in the project (a
    part-time job, a trial period), but not before joining the project, and it is still
    going on when he or she leaves."""
    errors = {}
    if employment.start_date < enrolment.start_date:
        errors["start_date"] = _(
            "The job started before the person joined the project (%(date)s), so it is not "
            "what he or she left the project for. Record it as a job taken on the card."
        ) % {"date": enrolment.start_date.strftime("%d.%m.%Y")}
    elif employment.start_date > exit_date + JOB_START_AFTER_EXIT:
        errors["start_date"] = _(
            "The job starts more than four weeks after leaving the project (%(date)s): that "
            "is not an exit to a job. Record a drop-out, and the job when it starts."
        ) % {"date": exit_date.strftime("%d.%m.%Y")}
    if employment.end_date and employment.end_date < exit_date:
        errors["end_date"] = _(
            "The job ended before the person left the project (%(date)s), so it is not what "
            "he or she left the project for."
        ) % {"date": exit_date.strftime("%d.%m.%Y")}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def enrolment_leave_for_job(
    *,
    enrolment: Enrolment,
    recorded_by: User | None,
    exit_date: date | None = None,
    note: str = "",
    expected_version: int | None = None,
    **employment_fields: Any,
) -> Employment:
    """The person leaves the project for a job: the event and the job in one step.

    `exit_date` is the day he or she left the project, the job's start when not given.
    The job may start later (up to four weeks) or earlier (the person worked while still
    in the project): see `_check_job_dates`."""
    permission_check(recorded_by, "participants.add_employment")
    employment = Employment(
        participant=enrolment.participant, enrolment=enrolment, **employment_fields
    )
    employment.full_clean()
    exit_date = exit_date or employment.start_date
    enrolment_event_record(
        enrolment=enrolment,
        kind=Kind.LEFT_FOR_JOB,
        date=exit_date,
        recorded_by=recorded_by,
        note=note,
        situation=JOB_SITUATIONS.get(employment.contract, ExitSituation.EMPLOYED),
        expected_version=expected_version,
    )
    _check_job_dates(enrolment, employment, exit_date)
    employment.save()
    return employment
