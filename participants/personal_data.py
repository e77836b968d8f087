"""The registry of personal data: every model that holds data about a person, how it
reaches the participant, and what becomes of each of its fields.

It is the one list that the audit trail (participants/apps.py), the audit search by
person (kis/audit_search.py), anonymisation (participants/services/anonymise.py) and the
subject-access export (participants/selectors/rodo.py) are derived from; merging
duplicates and importing must follow it too. A model with a foreign key or a
many-to-many link to Participant, or to a model of the registry, is in the registry or
in NOT_PERSONAL with the reason (system check participants.E001); every field of a
registered model is exported or left out with a reason (participants.E002).

Each exported field is either kept when the person is anonymised (KEEP: sex, birth year,
groups, dates and kinds of everything the reports count) or replaced (Erase): names,
identifiers, contacts, health data and every free text written about the person.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core import checks
from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kis.models import AccessLog
from participants.models import (
    ActivityParticipant,
    Attendance,
    AttendanceScan,
    Certificate,
    CommunityEvent,
    Diagnosis,
    Employment,
    Enrolment,
    EnrolmentEvent,
    FamilyLink,
    FollowUp,
    Goal,
    ImportChange,
    Participant,
    Placement,
    QuestionnaireAnswer,
    QuestionnaireResponse,
    ShortContact,
    SocialContract,
)

# Written in place of what was removed. Data, not interface text: stored, never translated.
ANONYMOUS_FIRST_NAME = "Anonim"
REMOVED = "—"


class Keep:
    """Kept when the person is anonymised: a category, a date or a count the reports use,
    which does not name the person."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


@dataclass(frozen=True)
class Erase:
    """Written in place of the value when the person is anonymised: a constant, an
    expression (rows are updated in bulk) or, for the participant's own row only, a
    function of the participant."""

    value: object


def _removed_if_given(name: str) -> Erase:
    """Removed, but an empty value stays empty (a reason that must be there when a status
    says so, e.g. contract_termination_has_reason)."""
    return Erase(Case(When(**{name: ""}, then=Value("")), default=Value(REMOVED)))


@dataclass(frozen=True)
class Shown:
    """A related value shown with each exported row so that it reads on its own, e.g.
    the project of an enrolment's event."""

    path: str
    label: Promise


@dataclass(frozen=True)
class PersonalData:
    """One model that holds data about a person."""

    model: type[models.Model]
    # The fields that lead to the person: foreign keys to Participant or to a model
    # earlier in the registry, or (for a record shared by several people) the
    # many-to-many link to Participant. Not exported unless also in `fields`.
    links: tuple[str, ...]
    # The key of the record's section in the subject-access export.
    section: str
    # The exported fields, with what anonymisation does to each.
    fields: dict[str, Keep | Erase]
    # Fields left out of the export, with the reason (besides TECHNICAL and the links).
    not_exported: dict[str, str] = field(default_factory=dict)
    shown: dict[str, Shown] = field(default_factory=dict)
    order_by: tuple[str, ...] = ()
    title: Promise | None = None
    # Anonymisation deletes the rows (family links: they tie two people together).
    delete_on_anonymise: bool = False
    # About several people (a community event, a signed attendance list): its audit
    # entries are masked name by name; what it erases is erased for all of them.
    shared: bool = False
    # For a record that reaches the person through a model outside the registry (the
    # scan of a session's signed list, through the session's attendance marks): the
    # paths from the model to the participant's id, instead of `links`.
    paths: tuple[str, ...] = ()

    @property
    def section_title(self) -> str:
        return capfirst(str(self.title or self.model._meta.verbose_name_plural))

    def lookups(self) -> list[str]:
        """Paths from the model to the participant's id, e.g. "diagnosis__participant"."""
        if self.paths:
            return list(self.paths)
        paths = []
        for link in self.links:
            parent = self.model._meta.get_field(link).related_model
            assert isinstance(parent, type)  # a link is a foreign key to a model
            if parent is Participant:
                paths.append(link)
            else:
                paths += [f"{link}__{path}" for path in entry_of(parent).lookups()]
        return paths or ["pk"]

    def rows(self, participant_pk: int) -> QuerySet:
        """The person's rows of this model."""
        condition = Q(pk__in=[])
        for path in self.lookups():
            condition |= Q(**{path: participant_pk})
        return self.model._default_manager.filter(condition)

    def erased(self) -> dict[str, object]:
        return {name: rule.value for name, rule in self.fields.items() if isinstance(rule, Erase)}


# Fields that hold no data about the person: never exported.
TECHNICAL = {
    "id": "the record's number in the database",
    "created_at": "when the record was made (the audit trail has it)",
    "updated_at": "when the record was last changed (the audit trail has it)",
    "version": "a counter for edit conflicts",
    "search_text": "a folded copy of the name and PESEL for searching, recomputed on save",
}
STAFF_ACCOUNT = "a staff member's user account: the audit trail tells who did what"

# In the order in which a row's parent comes before the row.
REGISTRY: list[PersonalData] = [
    PersonalData(
        Participant,
        links=(),
        section="person",
        title=_("Personal data"),
        fields={
            "first_name": Erase(ANONYMOUS_FIRST_NAME),
            "last_name": Erase(lambda person: f"#{person.pk}"),
            "pesel": Erase(""),
            # "aged 50+" and the like are computed from the year only.
            "birth_date": Erase(lambda person: date(person.birth_date.year, 1, 1)),
            "sex": KEEP,
            "street": Erase(""),
            "postal_code": Erase(""),
            "city": Erase(""),
            # No report counts by municipality, and in a small gmina it narrows the person
            # down together with sex and birth year.
            "municipality": Erase(""),
            # Where the person lives and comes from, as EU monitoring asks: no report
            # counts them, and together they narrow the person down.
            "country": Erase(""),
            "voivodeship": Erase(""),
            "county": Erase(""),
            "municipality_code": Erase(""),
            "degurba": Erase(""),
            "citizenship": Erase(""),
            "phone": Erase(""),
            "email": Erase(""),
            "education": KEEP,
            "labour_status": KEEP,
            # Health data no figure uses; the disability group is kept.
            "disability": Erase(Participant.Disability.NONE),
            "health_notes": Erase(""),
            "groups": KEEP,
            # EU monitoring's disadvantages: ethnic origin is special-category data, and
            # no figure of KIS's own reports uses them.
            "foreign_origin": Erase(""),
            "minority": Erase(""),
            "housing_exclusion": Erase(""),
            "legal_basis": KEEP,
            "legal_basis_date": KEEP,
            "legal_basis_document": Erase(""),
            "processing_restricted": KEEP,
            "restriction_reason": Erase(""),
            "anonymised_at": KEEP,
            "created_at": KEEP,
            "updated_at": KEEP,
        },
        not_exported={
            "registered_by": STAFF_ACCOUNT,
            "family": "exported as the family links (FamilyLink), with the relation",
        },
    ),
    PersonalData(
        FamilyLink,
        links=("participant", "relative"),
        section="family",
        # The other person of the link is shown; the person exported is not repeated.
        fields={"participant": KEEP, "relative": KEEP, "relation": KEEP},
        delete_on_anonymise=True,
    ),
    PersonalData(
        Enrolment,
        links=("participant",),
        section="enrolments",
        fields={
            "project": KEEP,
            "start_date": KEEP,
            "referred_from": KEEP,
            "referral_note": Erase(""),
            "labour_status_at_start": KEEP,  # like the person's labour-market status
            "status": KEEP,
            "status_date": KEEP,
            "end_date": KEEP,
        },
    ),
    PersonalData(
        EnrolmentEvent,
        links=("enrolment",),
        section="enrolment_history",
        # The situation on leaving is a category the report to the voivode counts.
        fields={
            "date": KEEP,
            "kind": KEEP,
            "reason": KEEP,
            "note": Erase(""),
            "situation": KEEP,
        },
        not_exported={"enrolment": "shown as its project", "recorded_by": STAFF_ACCOUNT},
        shown={"project": Shown("enrolment__project__title", _("project"))},
    ),
    PersonalData(
        Diagnosis,
        links=("participant",),
        section="diagnoses",
        fields={"date": KEEP, "staff": KEEP, "needs": Erase(""), "has_action_plan": KEEP},
        not_exported={"enrolment": "shown as its project"},
        shown={"project": Shown("enrolment__project__title", _("project"))},
    ),
    PersonalData(
        Goal,
        links=("diagnosis",),
        section="goals",
        fields={
            "diagnosis": KEEP,
            "description": Erase(REMOVED),
            "target_date": KEEP,
            "achieved": KEEP,
            "achieved_date": KEEP,
        },
    ),
    PersonalData(
        Employment,
        links=("participant",),
        section="jobs",
        fields={
            "start_date": KEEP,
            "end_date": KEEP,
            "employer": Erase(REMOVED),
            "contract": KEEP,
            "is_long_term": KEEP,
            "after_internship": KEEP,
            "after_socially_useful_work": KEEP,
        },
        not_exported={"enrolment": "shown as its project"},
        shown={"project": Shown("enrolment__project__title", _("project"))},
    ),
    PersonalData(
        ActivityParticipant,
        links=("participant",),
        section="activities",
        title=_("Support received"),
        fields={"activity": KEEP, "completed_on": KEEP},
        shown={
            "support_form": Shown("activity__support_form__name", _("support form")),
            "project": Shown("activity__project__title", _("project")),
        },
    ),
    PersonalData(
        Attendance,
        links=("participant",),
        section="attendance",
        # At the care point: how many dependants the person left in its care (a count
        # the report uses; the dependants themselves are not in the register).
        fields={"status": KEEP, "dependants": KEEP},
        not_exported={
            "session": "shown as its date, activity and hours",
            "recorded_by": STAFF_ACCOUNT,
        },
        shown={
            "date": Shown("session__date", _("date")),
            "activity": Shown("session__activity__name", _("activity")),
            "hours": Shown("session__duration_hours", _("hours")),
        },
        order_by=("session__date", "session__start_time"),
    ),
    PersonalData(
        Certificate,
        links=("assignment",),
        section="certificates",
        fields={"year": KEEP, "sequence": KEEP, "issued_on": KEEP},
        not_exported={"issued_by": STAFF_ACCOUNT},
        shown={"activity": Shown("assignment__activity__name", _("activity"))},
        order_by=("year", "sequence"),
    ),
    PersonalData(
        ShortContact,
        links=("participant",),
        section="short_contacts",
        title=_("One-off help"),
        fields={
            "date": KEEP,
            "kind": KEEP,
            "staff": KEEP,
            "duration_hours": KEEP,
            "project": KEEP,
            "note": Erase(""),
        },
        order_by=("date", "pk"),
    ),
    PersonalData(
        SocialContract,
        links=("participant",),
        section="social_contracts",
        fields={
            "number": KEEP,  # the centre's reference, not the person's
            "signed_on": KEEP,
            "start_date": KEEP,
            "end_date": KEEP,
            "goals": Erase(""),
            "participant_obligations": Erase(""),
            "centre_obligations": Erase(""),
            "caseworker": KEEP,
            "status": KEEP,
            "termination_reason": _removed_if_given("termination_reason"),
            "review_date": KEEP,
        },
    ),
    PersonalData(
        Placement,
        links=("participant",),
        section="placements",
        fields={
            "kind": KEEP,
            "employer_name": Erase(REMOVED),
            "employer_nip": Erase(""),
            "referral_number": Erase(""),
            "start_date": KEEP,
            "end_date": KEEP,
            "hours_per_month": KEEP,
            "hiring_declared": KEEP,
            "outcome": KEEP,
            "employment": KEEP,
        },
    ),
    # Questionnaires: the answers are the soft-result figures (the project report compares
    # the points at exit with those at entry), so the points, the questions, the moment
    # and the date stay; a note written about the person goes.
    PersonalData(
        QuestionnaireResponse,
        links=("enrolment",),
        section="questionnaires",
        fields={"questionnaire": KEEP, "moment": KEEP, "date": KEEP, "note": Erase("")},
        not_exported={"enrolment": "shown as its project", "filled_by": STAFF_ACCOUNT},
        shown={"project": Shown("enrolment__project__title", _("project"))},
    ),
    PersonalData(
        QuestionnaireAnswer,
        links=("response",),
        section="questionnaire_answers",
        fields={"response": KEEP, "question": KEEP, "value": KEEP},
        order_by=("response", "question__order", "question"),
    ),
    # Follow-ups after leaving: the situation, its source and the dates are result
    # figures (the project report and its indicators count them); the note goes.
    PersonalData(
        FollowUp,
        links=("enrolment",),
        section="follow_ups",
        fields={
            "exit_date": KEEP,
            "kind": KEEP,
            "date": KEEP,
            "situation": KEEP,
            "source": KEEP,
            "note": Erase(""),
        },
        not_exported={"enrolment": "shown as its project", "recorded_by": STAFF_ACCOUNT},
        shown={"project": Shown("enrolment__project__title", _("project"))},
    ),
    PersonalData(
        CommunityEvent,
        links=("participants",),
        section="community_events",
        fields={"name": KEEP, "date": KEEP, "end_date": KEEP, "place": KEEP, "project": KEEP},
        not_exported={
            "outside_count": "a number of other people",
            "description": "about the event, not about the person",
        },
        shared=True,
    ),
    # The scan shows the names and signatures of everybody on the session's list: the
    # people with a mark at the session (the list it must match). A picture cannot be
    # cut person by person, so when one of them is anonymised the scan's file is
    # deleted (after the commit) and the record stays, saying when and by whom it was
    # uploaded. By then the session's project is past its retention period, which the
    # person's own retention (the latest of his or her projects') is never before.
    PersonalData(
        AttendanceScan,
        links=(),
        paths=("session__attendance__participant",),
        section="signed_lists",
        fields={
            "file": Erase(""),
            "content_type": KEEP,
            "size": KEEP,
            "matches_attendance": KEEP,
            "uploaded_at": KEEP,
        },
        not_exported={
            "session": "shown as its date and activity",
            "uploaded_by": STAFF_ACCOUNT,
        },
        shown={
            "date": Shown("session__date", _("date")),
            "activity": Shown("session__activity__name", _("activity")),
        },
        order_by=("session__date", "session__start_time"),
        shared=True,
    ),
]

# Models that point at a person but hold no data about him or her.
NOT_PERSONAL: dict[type[models.Model], str] = {
    ImportChange: (
        "an import's record for undo (the values a record had before the import): not "
        "exported; deleted on anonymisation (participants/services/anonymise.py)"
    ),
    AccessLog: (
        "the record of who read or exported the data: exported in a section of its own, "
        "kept on anonymisation (it holds nothing about the person beyond the link)"
    ),
}


def entry_of(model: type[models.Model]) -> PersonalData:
    for entry in REGISTRY:
        if entry.model is model:
            return entry
    raise LookupError(f"{model.__name__} is not in the registry of personal data")


def row_ids(participant_pk: int) -> dict[type[models.Model], set[int]]:
    """The ids of the person's rows, model by model, with the rows deleted since: found by
    the parent that their audit entries recorded (in the changes of a creation or a
    deletion, or in additional_data of entries written by the services themselves, like
    the roll call's). Two queries a model."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    ids: dict[type[models.Model], set[int]] = {}
    for entry in REGISTRY:
        if not entry.links and not entry.paths:
            ids[entry.model] = {participant_pk, *merged_ids(participant_pk)}
            continue
        found = set(entry.rows(participant_pk).values_list("pk", flat=True))
        if not entry.shared:  # a shared record's entries name people, not ids
            recorded = Q(pk__in=[])
            for link in entry.links:
                parent = entry.model._meta.get_field(link).related_model
                assert isinstance(parent, type)  # a link is a foreign key to a model
                parents = sorted(ids[parent])
                texts = [str(pk) for pk in parents]
                recorded |= Q(**{f"changes__{link}__0__in": texts})
                recorded |= Q(**{f"changes__{link}__1__in": texts})
                recorded |= Q(**{f"additional_data__{link}__in": parents})
            found |= {
                int(pk)
                for pk in LogEntry.objects.filter(
                    recorded, content_type=ContentType.objects.get_for_model(entry.model)
                ).values_list("object_pk", flat=True)
            }
        ids[entry.model] = found
    return ids


def merged_ids(participant_pk: int) -> set[int]:
    """The records merged into this person (participants.services.merge), and those
    merged into them: found by the merge's audit entries on the kept record. One query a
    generation of merges."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Participant)
    found: set[int] = set()
    latest = {participant_pk}
    while latest:
        merged = LogEntry.objects.filter(
            content_type=content_type,
            object_pk__in=[str(pk) for pk in latest],
            additional_data__has_key="merged_from",
        ).values_list("additional_data__merged_from", flat=True)
        latest = {int(pk) for pk in merged if pk is not None} - found - {participant_pk}
        found |= latest
    return found


# --- checks ------------------------------------------------------------------------------


def _forward_relations(model: type[models.Model]):
    return [
        f
        for f in model._meta.get_fields()
        if f.is_relation and not f.auto_created and (f.concrete or f.many_to_many)
    ]


def missing_models(
    registry: list[PersonalData], not_personal: dict[type[models.Model], str]
) -> list[str]:
    """Models pointing at a registered model (Participant first of all) that are neither
    registered nor declared not personal. A many-to-many link counts as covered when its
    own through model is registered (an activity's participants)."""
    from django.apps import apps

    registered = {entry.model for entry in registry}
    missing = []
    for model in apps.get_models():
        if model in registered or model in not_personal:
            continue
        for relation in _forward_relations(model):
            through = getattr(relation.remote_field, "through", None)
            if relation.related_model in registered and through not in registered:
                missing.append(f"{model._meta.label}.{relation.name}")
    return missing


def unclassified_fields(entry: PersonalData) -> list[str]:
    """Fields of a registered model that are neither exported nor left out with a reason,
    and names the entry gives that the model does not have."""
    names = {f.name for f in entry.model._meta.get_fields() if not f.auto_created or f.concrete}
    classified = {*entry.fields, *entry.not_exported, *entry.links}
    problems = [
        f"{entry.model._meta.label}.{name}" for name in sorted(names - classified - set(TECHNICAL))
    ]
    problems += [
        f"{entry.model._meta.label}.{name} (no such field)" for name in sorted(classified - names)
    ]
    problems += [
        f"{entry.model._meta.label}.{name} (both exported and not)"
        for name in sorted(set(entry.fields) & set(entry.not_exported))
    ]
    return problems


def check_registry(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = [
        checks.Error(
            f"{name} points at a person but is not in the registry of personal data.",
            hint="Add its model to participants.personal_data.REGISTRY (or NOT_PERSONAL "
            "with the reason).",
            id="participants.E001",
        )
        for name in missing_models(REGISTRY, NOT_PERSONAL)
    ]
    for entry in REGISTRY:
        errors += [
            checks.Error(
                f"{name}: say in the registry of personal data whether it is exported "
                "(and what anonymisation does to it) or why not.",
                id="participants.E002",
            )
            for name in unclassified_fields(entry)
        ]
    return errors
