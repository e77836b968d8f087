"""Merging two records of one person (a duplicate registered twice).

Everything about the person is found through the registry of personal data
(participants/personal_data.py), not listed here: every model with a foreign key to
Participant is moved to the kept record, the records below them (an enrolment's history,
a diagnosis's goals, an assignment's certificates) follow their parents, and a record
shared by several people (a community event) gets the kept person instead of the other.
A model added to the registry is merged without a change here.

Where both records have the same thing (database uniqueness: assigned twice to one
activity, two marks at one session, one short contact recorded for both), the kept
person's record stays, what hangs below the other one moves to it, a blank of the kept
record is filled from the other, and the other is deleted; each such case is said in the
result. A mark of presence wins over one of absence (the person was there, whichever
record the trainer ticked). Two enrolments in one project are refused: their histories
cannot be joined into one (remove the wrong enrolment first).

The merged-away record is deleted. Its identity stays in the audit trail only: the
deletion's entry (every field's value, django-auditlog) and the merge's entry on the
kept person (`additional_data["merged_from"]`), by which the audit search by person and
anonymisation find the merged-away history too (personal_data.merged_ids).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kis.lib.models import model_field
from kis.lib.services import Actor, permission_check
from participants.models import (
    Attendance,
    Enrolment,
    EnrolmentEvent,
    Participant,
    QuestionnaireAnswer,
)
from participants.personal_data import REGISTRY, entry_of
from participants.selectors.people import SENSITIVE_FIELDS, can_see_sensitive
from participants.services.people import processing_check

# The participant's own fields that a merge chooses one by one: those of the registry
# the person's data consist of, without the system's own (anonymisation, the
# restriction, which the merge refuses anyway, and the timestamps).
SYSTEM_FIELDS = ("processing_restricted", "restriction_reason", "anonymised_at", "created_at")
MERGE_FIELDS: tuple[str, ...] = tuple(
    name
    for name in entry_of(Participant).fields
    if name not in SYSTEM_FIELDS and name != "updated_at"
)
SENSITIVE_MERGE_FIELDS = frozenset({*SENSITIVE_FIELDS, "groups"})


@dataclass
class MergeResult:
    kept: Participant
    merged_pk: int
    # verbose_name_plural → how many records moved to the kept person.
    moved: Counter[str] = field(default_factory=Counter)
    # What was the same on both records and kept once, in words.
    notes: list[str] = field(default_factory=list)


# Below a record both people had, these go with the deleted one rather than move to the
# kept one: an enrolment's history (two histories of one enrolment in one project would
# give it two starts; the kept enrolment's status stands, the other's events stay in the
# audit trail), and a questionnaire's answers (a questionnaire is filled as a whole).
DELETED_WITH_PARENT = (EnrolmentEvent, QuestionnaireAnswer)


def _person_links(model: type[models.Model]) -> list[str]:
    """The model's foreign keys to Participant."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Participant
    ]


def _unique_keys(model: type[models.Model], link: str) -> list[tuple[list[str], Any]]:
    """The model's unique field sets that include `link`, with their condition."""
    keys: list[tuple[list[str], Any]] = [
        (list(fields), None) for fields in model._meta.unique_together if link in fields
    ]
    if model_field(model, link).unique:  # a one-to-one link
        keys.append(([link], None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and link in constraint.fields:
            keys.append((list(constraint.fields), constraint.condition))
    return keys


def _twin(
    model: type[models.Model], row: models.Model, link: str, new_pk: int
) -> models.Model | None:
    """The record of the kept side that `row` would duplicate once moved, if any."""
    manager = model._default_manager
    for fields, condition in _unique_keys(model, link):
        lookup = {
            model_field(model, name).attname: getattr(row, model_field(model, name).attname)
            for name in fields
            if name != link
        }
        lookup[model_field(model, link).attname] = new_pk
        twins = manager.filter(**lookup).exclude(pk=row.pk)
        if condition is not None:
            if not manager.filter(condition, pk=row.pk).exists():
                continue
            twins = twins.filter(condition)
        if twin := twins.order_by("pk").first():
            return twin
    return None


def _fill_blanks(twin: models.Model, row: models.Model) -> list[str]:
    """Fill the kept record's empty fields from the other's; a presence wins."""
    changed = []
    if (
        isinstance(twin, Attendance)
        and isinstance(row, Attendance)
        and row.status == Attendance.Status.PRESENT
        and twin.status != row.status
    ):
        twin.status, twin.dependants = row.status, row.dependants
        changed += ["status", "dependants"]
    for f in twin._meta.concrete_fields:
        if f.primary_key or f.is_relation or f.name in ("created_at", "updated_at"):
            continue
        if getattr(twin, f.attname) in (None, "") and getattr(row, f.attname) not in (None, ""):
            setattr(twin, f.attname, getattr(row, f.attname))
            changed.append(f.name)
    return changed


class _Merge:
    def __init__(self, kept: Participant, merged: Participant, user: Actor) -> None:
        self.kept, self.merged, self.user = kept, merged, user
        self.result = MergeResult(kept=kept, merged_pk=merged.pk)
        self.audit: list[LogEntry] = []

    def move(self, model: type[models.Model], link: str, old_pk: int, new_pk: int) -> None:
        """Re-point `model`'s records whose `link` is `old_pk` to `new_pk`; a record the
        new side already has is joined with it (`join`)."""
        attname = model_field(model, link).attname
        to_person = model_field(model, link).related_model is Participant
        others = [name for name in _person_links(model) if name != link] if to_person else []
        moved = []
        for row in model._default_manager.filter(**{attname: old_pk}).order_by("pk"):
            if any(getattr(row, model_field(model, o).attname) == new_pk for o in others):
                # A link between the two records (a family link): it would tie the person
                # to him- or herself.
                self.result.notes.append(
                    _("The %(what)s between the two records is removed.")
                    % {"what": model._meta.verbose_name}
                )
                row.delete()
                continue
            twin = _twin(model, row, link, new_pk)
            if twin is None:
                moved.append(row)
            else:
                self.join(row, twin)
        if moved:
            model._default_manager.filter(pk__in=[r.pk for r in moved]).update(**{attname: new_pk})
            if to_person:
                self.result.moved[str(model._meta.verbose_name_plural)] += len(moved)
            self.audit += [self._moved_entry(model, row.pk, link, old_pk, new_pk) for row in moved]

    def join(self, row: models.Model, twin: models.Model) -> None:
        """Both people have the record: keep the kept side's, move what points at the
        other to it (but DELETED_WITH_PARENT), fill its blanks and delete the other."""
        model = type(row)
        for relation in model._meta.related_objects:
            child = relation.related_model
            if relation.many_to_many or child in DELETED_WITH_PARENT:
                continue
            assert isinstance(child, type)  # a model's reverse relation
            self.move(child, relation.field.name, row.pk, twin.pk)
        if changed := _fill_blanks(twin, row):
            twin.save(update_fields=[*changed, "updated_at"])
        if isinstance(twin, Enrolment):
            note = _(
                "Both records were enrolled in the project “%(project)s”: the kept "
                "record's enrolment stays with its history and status (check them on "
                "the card); the other one's history is in the audit trail, its "
                "diagnoses, jobs, questionnaires and follow-ups moved to the kept one."
            ) % {"project": twin.project}
        else:
            note = _("Both records had the same %(what)s “%(record)s”: it is kept once.") % {
                "what": model._meta.verbose_name,
                "record": _described(twin),
            }
        self.result.notes.append(note)
        row.delete()

    def move_shared(self, model: type[models.Model], link: str) -> None:
        """A record about several people (a community event): the kept person is on it
        instead of the other (recorded by the audit trail as the event's change)."""
        for record in model._default_manager.filter(**{link: self.merged.pk}):
            people = getattr(record, link)
            if people.filter(pk=self.kept.pk).exists():
                self.result.notes.append(
                    _("Both records had the same %(what)s “%(record)s”: it is kept once.")
                    % {"what": model._meta.verbose_name, "record": record}
                )
            else:
                self.result.moved[str(model._meta.verbose_name_plural)] += 1
            people.remove(self.merged)
            people.add(self.kept)

    def _moved_entry(
        self, model: type[models.Model], pk: int, link: str, old_pk: int, new_pk: int
    ) -> LogEntry:
        # A bulk update has no signals: the move is recorded like a change of the link
        # (which the audit search by person follows).
        return LogEntry(
            content_type=ContentType.objects.get_for_model(model),
            object_pk=str(pk),
            object_id=pk,
            object_repr=f"{model._meta.verbose_name} #{pk}",
            action=LogEntry.Action.UPDATE,
            changes={link: [str(old_pk), str(new_pk)]},
            changes_text="",
            actor=self.user if getattr(self.user, "is_authenticated", False) else None,
            additional_data={"merge": {"merged_from": self.merged.pk, "kept": self.kept.pk}},
        )


def _described(obj: models.Model) -> str:
    """A record without the person's name (the notes go on the kept person's card)."""
    if isinstance(obj, Attendance):
        return str(obj.session)
    for name in ("activity", "project", "session"):
        if hasattr(obj, f"{name}_id"):
            return str(getattr(obj, name))
    if date := getattr(obj, "date", None):
        return date.strftime("%d.%m.%Y")
    return f"#{obj.pk}"


def _identity(person: Participant) -> dict[str, str]:
    return {
        "id": str(person.pk),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "pesel": person.pesel,
        "birth_date": person.birth_date.isoformat(),
    }


@transaction.atomic
def participant_merge(
    *,
    kept: Participant,
    merged: Participant,
    take_from_merged: Iterable[str] = (),
    user: Actor,
) -> MergeResult:
    """Merge `merged` into `kept`: every record about the person moves to `kept`, the
    fields named in `take_from_merged` take the other record's value, and `merged` is
    deleted. Managers only (participants.merge_participants); refused for people who are
    anonymised or whose processing is restricted; the user needs the sensitive-data
    permission to take sensitive fields (health, disability, exclusion groups)."""
    permission_check(user, "participants.merge_participants")
    if kept.pk == merged.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    take = set(take_from_merged)
    if unknown := take - set(MERGE_FIELDS):
        raise ValidationError(
            _("These fields cannot be merged: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if take & SENSITIVE_MERGE_FIELDS and not can_see_sensitive(user):
        raise PermissionDenied
    people = {
        p.pk: p for p in Participant.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])
    }
    if len(people) != 2:
        raise ValidationError(_("One of the two records no longer exists."))
    processing_check([kept.pk, merged.pk])
    keeper, other = people[kept.pk], people[merged.pk]
    merged_pk, identity = other.pk, _identity(other)
    values = {name: getattr(other, name) for name in take if name != "groups"}
    groups = list(other.groups.all()) if "groups" in take else None
    job = _Merge(keeper, other, user)
    for entry in REGISTRY:
        if entry.model is Participant or entry.paths:
            continue  # the person; a record reached through others (a scan) moves with them
        for link in entry.links:
            link_field = model_field(entry.model, link)
            if link_field.related_model is not Participant:
                continue  # moves with its parent
            if link_field.many_to_many:
                job.move_shared(entry.model, link)
            else:
                job.move(entry.model, link, other.pk, keeper.pk)
    leftovers = [e.section for e in REGISTRY[1:] if e.rows(other.pk).exists()]
    if leftovers:  # a model whose link the loop above cannot move
        raise ValidationError(
            _("The merge could not move: %(sections)s.") % {"sections": ", ".join(leftovers)}
        )
    LogEntry.objects.bulk_create(job.audit)
    other.delete()  # the audit trail records every field of the merged-away record
    for name, value in values.items():
        setattr(keeper, name, value)
    keeper.version += 1  # a form opened on either record cannot write old data back
    keeper.full_clean()
    keeper.save()
    if groups is not None:
        keeper.groups.set(groups)
    result = job.result
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Participant),
        object_pk=str(keeper.pk),
        object_id=keeper.pk,
        object_repr=str(keeper),
        action=LogEntry.Action.UPDATE,
        changes={},
        changes_text="",
        actor=user if getattr(user, "is_authenticated", False) else None,
        additional_data={
            "merged_from": merged_pk,
            "merged_identity": identity,
            "fields_taken": sorted(take),
            "moved": dict(result.moved),
            "notes": result.notes,
        },
    )
    return result
