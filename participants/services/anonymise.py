"""Anonymisation of participants whose retention period is over (art. 5(1)(e) GDPR).

Who is past retention is decided by `participants_past_retention`; `participant_anonymise`
removes a person's identifiers irreversibly while keeping every figure the reports count
(sex, birth year, exclusion groups, enrolments and their history, attendance, contracts,
placements, jobs, community events), and scrubs the old values from the audit trail.

Kept, and why:
- sex, the birth year (the date becomes 1 January of the same year: "aged 50+" is computed
  from the year only), exclusion groups, education and labour-market status (coarse
  categories of the annual, statutory and project reports and of EU monitoring);
- the legal basis and its date, the processing restriction flag, who registered the person;
- every enrolment, event, diagnosis (with "action plan drawn up"), goal (achieved or not),
  attendance, activity completion, contract, placement and job with their dates and kinds.

Blanked: name (becomes "Anonim #<id>"), PESEL, address, municipality (no report counts by
municipality, and in a small gmina it narrows the person down together with sex and birth
year), phone, e-mail, disability degree (health data no figure uses; the disability group
is kept), health notes, the documents and reasons, and every free text written about the
person (contract goals and obligations, needs, goals, notes, referrals, employers, labour
office referral numbers). Family links are deleted: they tie two people together.
"""

import json
from collections.abc import Iterable
from datetime import date, datetime

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from kis.audit import access_log
from kis.models import AccessLog
from participants.models import (
    ActivityParticipant,
    Attendance,
    CommunityEvent,
    Diagnosis,
    Employment,
    Enrolment,
    EnrolmentEvent,
    FamilyLink,
    Goal,
    Participant,
    Placement,
    SocialContract,
)
from projects.models import Project

# Written in place of what was removed. Data, not interface text: stored, never translated.
ANONYMOUS_FIRST_NAME = "Anonim"
REMOVED = "—"
MASK = "***"
SCRUBBED_REPR = "anonymised"
WITHOUT_PROGRAMME_YEARS = 5

# The person's own rows, reached from the participant (or from a parent row): the model,
# the foreign keys that point at the parent, and the parent model.
_OWN_ROWS: list[tuple[type[models.Model], tuple[str, ...], type[models.Model]]] = [
    (FamilyLink, ("participant", "relative"), Participant),
    (Enrolment, ("participant",), Participant),
    (Diagnosis, ("participant",), Participant),
    (Employment, ("participant",), Participant),
    (ActivityParticipant, ("participant",), Participant),
    (SocialContract, ("participant",), Participant),
    (Placement, ("participant",), Participant),
    (Attendance, ("participant",), Participant),
    (EnrolmentEvent, ("enrolment",), Enrolment),
    (Goal, ("diagnosis",), Diagnosis),
]


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
       ending, no community event (first or last day), no job started after
       `activity_cutoff(today)` = 31 December of (today.year − 6). These have no
       programme, so they get the 5 years of a project without one, counted from the
       end of the year of the latest such activity;
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
    recent = [
        SocialContract.objects.filter(participant=person, end_date__gt=cutoff),
        Placement.objects.filter(participant=person, end_date__gt=cutoff),
        Employment.objects.filter(participant=person, start_date__gt=cutoff),
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


def _ids(values: Iterable) -> set[str]:
    return {str(value) for value in values if value is not None}


def _entries(model: type[models.Model], ids: Iterable[str]) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk__in=list(ids)
    )


def _own_row_ids(participant: Participant) -> dict[type[models.Model], set[str]]:
    """The ids of the person's rows, model by model, including rows deleted earlier whose
    audit entries still hold their values (found by the foreign key recorded in them)."""
    ids: dict[type[models.Model], set[str]] = {Participant: {str(participant.pk)}}
    for model, keys, parent in _OWN_ROWS:
        parents = sorted(ids[parent])
        rows = Q()
        recorded = Q()
        for key in keys:
            rows |= Q(**{f"{key}_id__in": parents})
            for side in (0, 1):  # changes hold [old, new]
                recorded |= Q(**{f"changes__{key}__{side}__in": parents})
        found = _ids(model.objects.filter(rows).values_list("pk", flat=True))
        found |= _ids(
            LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
            .filter(recorded)
            .values_list("object_pk", flat=True)
        )
        ids[model] = found
    return ids


def _name_history(participant: Participant) -> set[str]:
    """Every full name the person had: the current one and those in the audit trail."""
    first_names, last_names = {participant.first_name}, {participant.last_name}
    for changes in _entries(Participant, [str(participant.pk)]).values_list("changes", flat=True):
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
    """Community events are shared with other people: in their audit entries only the
    person's name in the lists of added or removed participants is masked."""
    folded = {name.casefold() for name in names}
    entries = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(CommunityEvent))
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


def _scrub_admin_log(ids: dict[type[models.Model], set[str]], names: set[str]) -> None:
    """Django admin's history holds the objects' names ("Jan Kowalski", "Jan Kowalski –
    Anna Kowalska (child)") in object_repr and in the change messages of inlines."""
    own = Q(pk__in=[])
    for model, pks in ids.items():
        own |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks))
    terms = _search_terms(names)
    AdminLogEntry.objects.filter(
        own | _mentioning("object_repr", terms) | _mentioning("change_message", terms)
    ).update(object_repr=SCRUBBED_REPR, change_message="")


def _blank_free_texts(participant: Participant) -> None:
    """Free texts written about the person may name them, their family or their illness."""
    Enrolment.objects.filter(participant=participant).update(referral_note="")
    EnrolmentEvent.objects.filter(enrolment__participant=participant).update(note="")
    Diagnosis.objects.filter(participant=participant).update(needs="")
    Goal.objects.filter(diagnosis__participant=participant).update(description=REMOVED)
    Employment.objects.filter(participant=participant).update(employer=REMOVED)
    contracts = SocialContract.objects.filter(participant=participant)
    contracts.update(goals="", participant_obligations="", centre_obligations="")
    # A terminated contract must keep a reason (contract_termination_has_reason).
    contracts.exclude(termination_reason="").update(termination_reason=REMOVED)
    Placement.objects.filter(participant=participant).update(
        employer_name=REMOVED, employer_nip="", referral_number=""
    )


@transaction.atomic
def participant_anonymise(
    participant: Participant, *, by=None, reason: str = "retention period over"
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
    names = _name_history(person)
    ids = _own_row_ids(person)
    with disable_auditlog():
        FamilyLink.objects.filter(Q(participant=person) | Q(relative=person)).delete()
        _blank_free_texts(person)
        born = person.birth_date
        person.first_name = ANONYMOUS_FIRST_NAME
        person.last_name = f"#{person.pk}"
        person.pesel = ""
        person.birth_date = date(born.year, 1, 1)
        person.street = person.postal_code = person.city = person.municipality = ""
        person.phone = person.email = ""
        person.disability = Participant.Disability.NONE
        person.health_notes = person.legal_basis_document = person.restriction_reason = ""
        person.anonymised_at = timezone.now()
        person.version += 1  # a form opened before cannot write the old data back
        person.save()  # recomputes search_text
    for model, pks in ids.items():
        _scrub_entries(_entries(model, pks))
    _scrub_shared_entries(names)
    _scrub_admin_log(ids, names)
    access_log(None, AccessLog.Action.ANONYMISED, person, reason, user=by)
    participant.refresh_from_db()
