"""Writes of an import: applying a checked batch (through the participants' own
services: validation, the audit trail, the user's permissions and record-level access)
and undoing it. participants/importing.py reads and checks the rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kis.lib.models import model_field
from kis.lib.services import Actor, permission_check
from participants.importing import RowPlan, layout_signature, plan_rows, summary_of
from participants.models import (
    Activity,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    ImportBatch,
    ImportChange,
    ImportLayout,
    Participant,
)
from participants.services.people import (
    enrolment_create,
    participant_create,
    participant_update,
    processing_check,
)
from projects.models import Project

Progress = Callable[[int, int], None]
# Empty lists and dicts are valid states of a batch's JSON (full_clean calls them blank).
JSON_FIELDS = ["headers", "rows", "mapping", "value_mapping", "options", "report", "summary"]


def _owner_check(batch: ImportBatch, user: Actor) -> None:
    permission_check(
        user,
        "participants.add_attendance"
        if batch.kind == ImportBatch.Kind.ATTENDANCE
        else "participants.add_participant",
    )
    if user is not None and batch.owner_id != user.pk:
        raise PermissionDenied


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def import_batch_create(
    *,
    user: User,
    kind: str,
    file_name: str,
    headers: list[str],
    rows: list[list[Any]],
    options: dict[str, Any],
    mapping: dict[str, str] | None = None,
    value_mapping: dict[str, Any] | None = None,
    layout: ImportLayout | None = None,
    project: Project | None = None,
    activity: Activity | None = None,
) -> ImportBatch:
    """An uploaded file, kept as a batch of the user's own until it is checked, applied
    or discarded (nothing about people is written yet)."""
    permission_check(
        user,
        "participants.add_attendance"
        if kind == ImportBatch.Kind.ATTENDANCE
        else "participants.add_participant",
    )
    batch = ImportBatch(
        kind=kind,
        owner=user,
        file_name=file_name[:255],
        layout=layout,
        headers=headers,
        rows=rows,
        mapping=mapping or {},
        value_mapping=value_mapping or {},
        project=project,
        activity=activity,
        options=options,
    )
    batch.full_clean(exclude=JSON_FIELDS)
    with transaction.atomic():
        batch.save()
    return batch


def import_batch_map(
    *,
    batch: ImportBatch,
    user: Actor,
    mapping: dict[str, str] | None = None,
    value_mapping: dict[str, Any] | None = None,
    project: Project | None = None,
    options: dict[str, Any] | None = None,
) -> ImportBatch:
    """The user's choices of columns (step 2) or of values (step 3) for a batch not yet
    applied; values chosen also become the layout's, reused for the next file."""
    _owner_check(batch, user)
    if batch.status not in (ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKED):
        raise ValidationError(_("This import has already been applied or discarded."))
    with transaction.atomic():
        if mapping is not None:
            batch.mapping = mapping
            batch.project = project
        if options is not None:
            batch.options = {**batch.options, **options}
        if value_mapping is not None:
            batch.value_mapping = {**batch.value_mapping, **value_mapping}
            batch.layout, _created = ImportLayout.objects.update_or_create(
                signature=batch.options.get("signature") or layout_signature(batch.headers),
                defaults={
                    "headers": batch.headers,
                    "mapping": batch.mapping,
                    "value_mapping": batch.value_mapping,
                },
            )
        batch.full_clean(exclude=JSON_FIELDS)
        batch.save()
    return batch


def import_check_save(
    *, batch: ImportBatch, user: Actor, progress: Progress | None = None
) -> ImportBatch:
    """The dry run: every row's plan, kept as the batch's report (nothing else written).
    Not one transaction: it only reads, and its progress must show while it runs."""
    _owner_check(batch, user)
    if batch.status not in (ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKED):
        raise ValidationError(_("This import has already been applied or discarded."))
    if batch.kind == ImportBatch.Kind.ATTENDANCE:
        return _attendance_check(batch, user)
    plans = plan_rows(batch, user=user, progress=progress)
    batch.report = [plan.report() for plan in plans]
    batch.summary = summary_of(plans)
    batch.status = ImportBatch.Status.CHECKED
    batch.checked_at = timezone.now()
    with transaction.atomic():
        batch.save(update_fields=["report", "summary", "status", "checked_at", "updated_at"])
    return batch


@transaction.atomic
def import_apply(
    *, batch: ImportBatch, user: User | None, progress: Progress | None = None
) -> ImportBatch:
    """Apply a checked batch in one transaction: the rows are checked again against the
    register as it is now, and every row without an error is written through the
    participants' services; rows with errors are left out (the report says so). What
    was created and the before-image of what was changed are kept for undo. Afterwards
    the batch keeps no copy of the file (its rows) and no names in its report."""
    _owner_check(batch, user)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.CHECKED:
        raise ValidationError(_("Only a checked import that was not applied can be applied."))
    if batch.kind == ImportBatch.Kind.ATTENDANCE:
        return _attendance_apply(batch, user)
    plans = plan_rows(batch, user=user)
    total = len(plans)
    changes: list[ImportChange] = []
    for index, plan in enumerate(plans, 1):
        if plan.action in ("create", "update"):
            changes += _apply_row(batch, plan, user)
        if progress is not None:
            progress(index, total)
    ImportChange.objects.bulk_create(changes)
    batch.report = [{**plan.report(), "name": ""} for plan in plans]
    batch.summary = summary_of(plans)
    batch.rows = []
    batch.status = ImportBatch.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.save()
    return batch


def _apply_row(batch: ImportBatch, plan: RowPlan, user: User | None) -> list[ImportChange]:
    made: list[ImportChange] = []
    person = plan.participant
    if plan.action == "create" or person is None:
        person = participant_create(registered_by=user, groups=plan.groups_added, **plan.fields)
        plan.participant = person
        made.append(
            ImportChange(
                batch=batch,
                row=plan.row,
                participant=person,
                model="participant",
                object_id=person.pk,
                action=ImportChange.Action.CREATED,
                version_after=person.version,
            )
        )
    elif plan.fields or plan.groups_added:
        current = Participant.objects.get(pk=person.pk)
        before = {name: _json(getattr(current, name)) for name in plan.fields}
        groups_before = sorted(current.groups.values_list("pk", flat=True))
        groups = None
        if plan.groups_added:
            groups = list(ExclusionGroup.objects.filter(pk__in=groups_before)) + plan.groups_added
            before["groups"] = groups_before
        person = participant_update(current, groups=groups, editor=user, **plan.fields)
        after = {name: _json(getattr(person, name)) for name in plan.fields}
        if groups is not None:
            after["groups"] = sorted(g.pk for g in groups)
        made.append(
            ImportChange(
                batch=batch,
                row=plan.row,
                participant=person,
                model="participant",
                object_id=person.pk,
                action=ImportChange.Action.UPDATED,
                before=before,
                after=after,
                version_after=person.version,
            )
        )
    if plan.enrol_in is not None and plan.enrol_start is not None:
        enrolment = enrolment_create(
            participant=person,
            project=plan.enrol_in,
            start_date=plan.enrol_start,
            recorded_by=user,
            labour_status_at_start=plan.labour_status_at_start,
        )
        made.append(
            ImportChange(
                batch=batch,
                row=plan.row,
                participant=person,
                model="enrolment",
                object_id=enrolment.pk,
                action=ImportChange.Action.CREATED,
                version_after=enrolment.version,
            )
        )
    return made


def _what_else(obj: Participant | Enrolment, own: set[tuple[str, int]]) -> list[str]:
    """What deleting `obj` would take with it besides what the batch made (`own`:
    (model label, pk)) and the records that only hang on them (its started event, the
    person's groups): the records made since, which undo must not delete."""
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect([obj])
    found: dict[str, int] = {}
    everything = [(type(i), i) for i in collector.protected] + [
        (model, instance) for model, instances in collector.data.items() for instance in instances
    ]
    for model, instance in everything:
        if True:
            label = model._meta.label
            if (label, instance.pk) in own or label in IGNORED_WITH_RECORD:
                continue
            if isinstance(instance, EnrolmentEvent) and (
                instance.kind == EnrolmentEvent.Kind.STARTED
                and ("participants.Enrolment", instance.enrolment_id) in own
            ):
                continue
            name = str(model._meta.verbose_name_plural)
            found[name] = found.get(name, 0) + 1
    return [f"{name} ({count})" for name, count in sorted(found.items())]


# Rows that go with a record and are the batch's own when the record is: the person's
# exclusion groups (the many-to-many's rows) and the import's own change records.
IGNORED_WITH_RECORD = {"participants.Participant_groups", "participants.ImportChange"}


def undo_conflicts(batch: ImportBatch) -> list[str]:
    """Why the batch cannot be undone: the records changed since, one line each."""
    conflicts = []
    changes = list(batch.changes.select_related("participant"))
    own = {
        (
            "participants.Participant" if c.model == "participant" else "participants.Enrolment",
            c.object_id,
        )
        for c in changes
        if c.action == ImportChange.Action.CREATED
    }
    for change in changes:
        person = change.participant
        if person.anonymised_at is not None or person.processing_restricted:
            conflicts.append(
                _("Row %(row)s, %(name)s: processing is restricted or the data are anonymised.")
                % {"row": change.row, "name": person.full_name}
            )
            continue
        if change.model == "participant":
            if person.version != change.version_after:
                conflicts.append(
                    _("Row %(row)s, %(name)s: the person's data were changed after the import.")
                    % {"row": change.row, "name": person.full_name}
                )
            elif change.action == ImportChange.Action.CREATED and (
                others := _what_else(person, own)
            ):
                conflicts.append(
                    _("Row %(row)s, %(name)s: recorded for him or her since: %(records)s.")
                    % {"row": change.row, "name": person.full_name, "records": ", ".join(others)}
                )
        else:
            enrolment = Enrolment.objects.filter(pk=change.object_id).first()
            if enrolment is None:
                continue  # deleted since (with its person, by this undo's check above)
            if (
                enrolment.version != change.version_after
                or enrolment.status != Enrolment.Status.ACTIVE
            ):
                conflicts.append(
                    _("Row %(row)s, %(name)s: the enrolment was changed after the import.")
                    % {"row": change.row, "name": person.full_name}
                )
            elif others := _what_else(enrolment, own):
                conflicts.append(
                    _("Row %(row)s, %(name)s: recorded for the enrolment since: %(records)s.")
                    % {"row": change.row, "name": person.full_name, "records": ", ".join(others)}
                )
    return conflicts


@transaction.atomic
def import_undo(*, batch: ImportBatch, user: User | None) -> ImportBatch:
    """Undo an applied batch: delete the people and enrolments it created and put back
    the values it changed, all or nothing; refused (ValidationError listing them) while
    any of those records was changed since. Every deletion and change is in the audit
    trail like any other."""
    _owner_check(batch, user)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.APPLIED:
        raise ValidationError(_("Only an applied import can be undone."))
    if batch.kind == ImportBatch.Kind.ATTENDANCE:
        raise ValidationError(
            _("An import of attendance is not undone as a whole: correct the roll calls.")
        )
    conflicts = undo_conflicts(batch)
    if conflicts:
        raise ValidationError(
            [_("The import cannot be undone: these records were changed after it.")] + conflicts
        )
    changes = list(batch.changes.order_by("-pk"))
    processing_check([c.participant_id for c in changes])
    for change in changes:
        if change.model == "enrolment":
            Enrolment.objects.filter(pk=change.object_id).delete()
        elif change.action == ImportChange.Action.CREATED:
            Participant.objects.filter(pk=change.object_id).delete()
        else:
            person = Participant.objects.get(pk=change.object_id)
            fields = {}
            for name, value in change.before.items():
                if name == "groups":
                    continue
                fields[name] = model_field(Participant, name).to_python(value)
            groups = None
            if "groups" in change.before:
                groups = list(ExclusionGroup.objects.filter(pk__in=change.before["groups"]))
            participant_update(person, groups=groups, editor=user, **fields)
    batch.status = ImportBatch.Status.UNDONE
    batch.undone_at = timezone.now()
    batch.save(update_fields=["status", "undone_at", "updated_at"])
    return batch


@transaction.atomic
def import_discard(*, batch: ImportBatch, user: User | None) -> ImportBatch:
    """Drop a batch that was not applied, with its copy of the file."""
    _owner_check(batch, user)
    if batch.status not in (ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKED):
        raise ValidationError(_("Only an import that was not applied can be discarded."))
    batch.rows, batch.report = [], []
    batch.status = ImportBatch.Status.DISCARDED
    batch.save(update_fields=["rows", "report", "status", "updated_at"])
    return batch


# --- attendance of past sessions (participants/attendance_import.py) ---------------------


def _activity_check(batch: ImportBatch, user: Actor) -> None:
    from participants.access import activities_for

    permission_check(user, "participants.add_attendance")
    if batch.activity_id is None:
        raise ValidationError(_("Choose the activity."))
    if user is not None and not activities_for(user).filter(pk=batch.activity_id).exists():
        raise PermissionDenied


def _attendance_check(batch: ImportBatch, user: Actor) -> ImportBatch:
    from participants.attendance_import import plan_grid

    _activity_check(batch, user)
    assert batch.activity is not None
    plan = plan_grid(
        batch.activity, batch.headers, batch.rows, int(batch.options.get("first_row", 2))
    )
    batch.report = plan.report
    batch.summary = plan.summary
    batch.options = {**batch.options, "column_errors": plan.column_errors}
    batch.status = ImportBatch.Status.CHECKED
    batch.checked_at = timezone.now()
    batch.save()
    return batch


def _attendance_apply(batch: ImportBatch, user: User | None) -> ImportBatch:
    """The grid's marks, session by session, through the roll call's service (its rules,
    its audit entries), in the caller's transaction: all or nothing."""
    from participants.attendance_import import plan_grid
    from participants.models import Session
    from participants.services.support import roll_call_save

    _activity_check(batch, user)
    assert batch.activity is not None
    plan = plan_grid(
        batch.activity, batch.headers, batch.rows, int(batch.options.get("first_row", 2))
    )
    by_session: dict[int, dict[int, str]] = {}
    for (session_id, participant_id), status in plan.marks.items():
        by_session.setdefault(session_id, {})[participant_id] = status
    for session_id, marks in by_session.items():
        seen = {pid: plan.before[(session_id, pid)] for pid in marks}
        conflicts = roll_call_save(
            session=Session.objects.get(pk=session_id), marks=marks, seen=seen, recorded_by=user
        )
        if conflicts:  # pragma: no cover - the plan was made in this transaction
            raise ValidationError(_("Somebody changed these marks meanwhile: check again."))
    batch.report = [{**row, "name": ""} for row in plan.report]
    batch.summary = plan.summary
    batch.rows = []
    batch.status = ImportBatch.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.save()
    return batch
