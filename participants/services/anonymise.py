"""Anonymisation of participants whose retention period is over (art. 5(1)(e) GDPR).

Who is past retention is decided by `participants_past_retention`; `participant_anonymise`
removes a person's identifiers irreversibly while keeping every figure the reports count
(sex, birth year, exclusion groups, enrolments and their history, attendance, contracts,
placements, jobs, community events, short contacts), and scrubs the old values from the
audit trail.

What is kept and what is blanked is said field by field in the registry of personal
data (participants/personal_data.py): sex, the birth year, exclusion groups, education
and labour-market status, the legal basis, every enrolment, event, diagnosis, goal,
attendance, completion, contract, placement and job with their dates and kinds, the
questionnaires' points and the follow-ups' situations stay; names, PESEL, address,
contacts, health data and every free text written about the person go. Family links
are deleted: they tie two people together. The scan of a signed attendance list the
person is on loses its file (a picture of everybody's signatures cannot be cut person
by person; see the registry's AttendanceScan entry).
"""

import json
from collections.abc import Iterable
from datetime import date, datetime
from functools import partial

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from kis.audit import access_log
from kis.models import AccessLog
from participants.models import (
    CommunityEvent,
    Employment,
    Enrolment,
    Participant,
    Placement,
    ShortContact,
    SocialContract,
)
from participants.personal_data import REGISTRY, row_ids
from projects.models import Project

MASK = "***"
SCRUBBED_REPR = "anonymised"
WITHOUT_PROGRAMME_YEARS = 5


# --- who is past retention ---------------------------------------------------------------


def activity_cutoff(today: date) -> date:
    """The last day whose activity no longer keeps a person's data on `today`.

    Like a project without a programme: an activity in year Y keeps the data until
    31 December of Y + 5, so on `today` only activity after 31 December of
    (today.year − 6) still counts."""
    return date(today.year - 1 - WITHOUT_PROGRAMME_YEARS, 12, 31)


def projects_past_retention(today: date) -> list[int]:
    """Ids of the projects whose retention date (Project.retention_until) is before
    `today`. Computed in Python, project by project: there are few projects."""
    return [
        project.pk
        for project in Project.objects.select_related("programme").only(
            "pk", "keep_until", "last_payment_date", "end_date", "programme__retention_years"
        )
        if project.retention_until < today
    ]


def participants_past_retention(today: date) -> QuerySet[Participant]:
    """People whose data may be anonymised on `today`.

    A person is past retention when all of these hold:
    1. the person is not anonymised yet;
    2. every project the person was enrolled in has `retention_until` before `today`
       (no enrolment in a project still within retention);
    3. nothing outside the projects keeps the data: no social contract or placement
       ending, no community event (first or last day), no job started, no short contact
       after `activity_cutoff(today)` = 31 December of (today.year − 6). These have no
       programme, so they get the 5 years of a project without one, counted from the
       end of the year of the latest such activity; and no short contact recorded under
       a project still within retention (it keeps the data as an enrolment would);
    4. a person with no enrolment at all, whose only anchor is the registration, must
       also have been registered (created_at) on or before that day.

    Everything is one SQL query with EXISTS subqueries, given the few ids of the projects
    past retention."""
    expired = projects_past_retention(today)
    cutoff = activity_cutoff(today)
    person = OuterRef("pk")
    kept_by_project = Enrolment.objects.filter(participant=person).exclude(project__in=expired)
    enrolled = Enrolment.objects.filter(participant=person)
    event_links = CommunityEvent.participants.through.objects.filter(participant=person)
    contacts = ShortContact.objects.filter(participant=person)
    recent = [
        SocialContract.objects.filter(participant=person, end_date__gt=cutoff),
        Placement.objects.filter(participant=person, end_date__gt=cutoff),
        Employment.objects.filter(participant=person, start_date__gt=cutoff),
        contacts.filter(date__gt=cutoff),
        contacts.filter(project__isnull=False).exclude(project__in=expired),
        event_links.filter(
            Q(communityevent__date__gt=cutoff) | Q(communityevent__end_date__gt=cutoff)
        ),
    ]
    registered_by_cutoff = timezone.make_aware(datetime(cutoff.year + 1, 1, 1))
    people = Participant.objects.filter(anonymised_at__isnull=True).filter(~Exists(kept_by_project))
    for activity in recent:
        people = people.filter(~Exists(activity))
    return people.filter(Q(Exists(enrolled)) | Q(created_at__lt=registered_by_cutoff))


# --- anonymisation -------------------------------------------------------------------------


def _entries(model: type[models.Model], ids: Iterable) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_pk__in=[str(pk) for pk in ids],
    )


def _name_history(participant: Participant, pks: Iterable[int]) -> set[str]:
    """Every full name the person had: the current one and those in the audit trail,
    of the record `pks` (with those merged into it)."""
    first_names, last_names = {participant.first_name}, {participant.last_name}
    for changes in _entries(Participant, pks).values_list("changes", flat=True):
        if not isinstance(changes, dict):
            continue
        for key, names in (("first_name", first_names), ("last_name", last_names)):
            values = changes.get(key)
            if isinstance(values, list):
                names.update(v for v in values if isinstance(v, str) and v not in ("", "None"))
    return {f"{first} {last}" for first in first_names for last in last_names}


def _search_terms(names: set[str]) -> set[str]:
    """The names as text and as JSON escapes them (SQLite keeps JSON ASCII-only)."""
    return names | {json.dumps(name)[1:-1] for name in names}


def _masked(changes: object) -> dict:
    """The changes with the field names kept (what was changed) and the values gone."""
    if not isinstance(changes, dict):
        return {}
    masked: dict = {}
    for key, value in changes.items():
        if isinstance(value, dict) and value.get("type") == "m2m":
            objects = value.get("objects") or []
            masked[key] = {**value, "objects": [MASK] * len(objects)}
        else:
            masked[key] = [MASK, MASK]
    return masked


def _scrub_entries(entries: QuerySet[LogEntry]) -> int:
    """Remove the values from audit entries, keeping who did what and when. A bulk update:
    no signals, so no audit entry of the scrubbing itself."""
    rows = list(entries.only("pk", "changes"))
    for entry in rows:
        entry.changes = _masked(entry.changes)
        entry.changes_text = ""
        entry.serialized_data = None
        entry.additional_data = None
        entry.object_repr = SCRUBBED_REPR
    LogEntry.objects.bulk_update(
        rows,
        ["changes", "changes_text", "serialized_data", "additional_data", "object_repr"],
        batch_size=500,
    )
    return len(rows)


def _mentioning(field: str, terms: set[str]) -> Q:
    condition = Q(pk__in=[])
    for term in terms:
        condition |= Q(**{f"{field}__icontains": term})
    return condition


def _scrub_shared_entries(names: set[str]) -> None:
    """Records shared with other people (community events): in their audit entries only
    the person's name in the lists of added or removed participants is masked."""
    folded = {name.casefold() for name in names}
    shared = [entry.model for entry in REGISTRY if entry.shared]
    entries = (
        LogEntry.objects.filter(
            content_type__in=ContentType.objects.get_for_models(*shared).values()
        )
        .annotate(changes_as_text=Cast("changes", models.TextField()))
        .filter(_mentioning("changes_as_text", _search_terms(names)))
    )
    changed = []
    for entry in entries.only("pk", "changes"):
        if not isinstance(entry.changes, dict):
            continue
        for value in entry.changes.values():
            if isinstance(value, dict) and value.get("type") == "m2m":
                value["objects"] = [
                    MASK if str(obj).casefold() in folded else obj
                    for obj in value.get("objects") or []
                ]
        changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["changes"], batch_size=500)


def _scrub_admin_log(ids: dict[type[models.Model], set[int]], names: set[str]) -> None:
    """Django admin's history holds the objects' names ("Jan Kowalski", "Jan Kowalski –
    Anna Kowalska (child)") in object_repr and in the change messages of inlines."""
    own = Q(pk__in=[])
    for model, pks in ids.items():
        own |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        )
    terms = _search_terms(names)
    AdminLogEntry.objects.filter(
        own | _mentioning("object_repr", terms) | _mentioning("change_message", terms)
    ).update(object_repr=SCRUBBED_REPR, change_message="")


def _erase(person: Participant) -> None:
    """Replace what the registry of personal data says is to be erased, in the person's
    own row and in every row about him or her; delete the family links and the
    before-images imports kept for undo (participants.models.imports)."""
    from participants.models import ImportChange

    ImportChange.objects.filter(participant=person).delete()
    for entry in REGISTRY:
        if entry.model is Participant:
            for name, value in entry.erased().items():
                setattr(person, name, value(person) if callable(value) else value)
        elif entry.delete_on_anonymise:
            entry.rows(person.pk).delete()
        elif erased := entry.erased():
            rows = entry.rows(person.pk)
            _delete_files_on_commit(rows, erased)
            rows.update(**erased)


def _delete_files_on_commit(rows: QuerySet, erased: dict) -> None:
    """An erased file field (the scan of a signed attendance list) loses its file too:
    deleted from storage once the anonymisation is committed, so that a rollback keeps
    it."""
    for name in erased:
        field = rows.model._meta.get_field(name)
        if not isinstance(field, models.FileField):
            continue
        storage = field.storage
        stored = [n for n in rows.exclude(**{name: ""}).values_list(name, flat=True) if n]
        for stored_name in stored:
            transaction.on_commit(partial(storage.delete, stored_name))


@transaction.atomic
def participant_anonymise(
    participant: Participant, *, by: User | None = None, reason: str = "retention period over"
) -> None:
    """Remove the person's identifiers irreversibly and scrub them from the audit trail.

    Does nothing for a person already anonymised. `by` is the user who asked for it
    (None for the nightly command); `reason` goes to the access log and must not hold
    personal data. The audit trail keeps its entries (who changed which fields of which
    record, and when) without the values; the access log gets one "anonymised" entry."""
    person = Participant.objects.select_for_update().get(pk=participant.pk)
    if person.anonymised_at is not None:
        participant.refresh_from_db()
        return
    shared = {entry.model for entry in REGISTRY if entry.shared}
    ids = {model: pks for model, pks in row_ids(person.pk).items() if model not in shared}
    names = _name_history(person, ids[Participant])
    with disable_auditlog():
        _erase(person)
        person.anonymised_at = timezone.now()
        person.version += 1  # a form opened before cannot write the old data back
        person.save()  # recomputes search_text
    for model, pks in ids.items():
        _scrub_entries(_entries(model, pks))
    _scrub_shared_entries(names)
    _scrub_admin_log(ids, names)
    access_log(None, AccessLog.Action.ANONYMISED, person, reason, user=by)
    participant.refresh_from_db()
