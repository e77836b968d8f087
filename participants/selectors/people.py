"""Reads of participants: the list with its filters, the card, duplicates."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Model, Prefetch, Q, QuerySet

from kis.lib.collation import polish
from kis.lib.services import Viewer
from kis.lib.text import fold
from participants.access import participants_for
from participants.models import (
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    Participant,
    ShortContact,
)
from participants.selectors.outcomes import card_responses
from projects.models import Project

# A participant's special-category data (health, addiction, disability, and ethnic
# origin as EU monitoring asks it); exclusion groups marked sensitive (addiction, mental
# illness, disability, prison) are too.
SENSITIVE_FIELDS = ("disability", "health_notes", "foreign_origin", "minority")


def can_see_sensitive(user: "Viewer | None") -> bool:
    return user is not None and user.has_perm("participants.view_sensitive_data")


def sensitive_group_names() -> set[str]:
    return set(ExclusionGroup.objects.filter(is_sensitive=True).values_list("name", flat=True))


def is_sensitive_change(
    model: type[Model], field: str, change: object, group_names: set[str]
) -> bool:
    """Whether a recorded change (auditlog) reveals special-category data: a
    participant's disability or health notes, or a sensitive exclusion group added or
    removed (`group_names` from sensitive_group_names())."""
    if model is not Participant:
        return False
    if field in SENSITIVE_FIELDS:
        return True
    if field == "groups":
        if not isinstance(change, dict):  # not the m2m record auditlog writes: unknown
            return True
        return bool({str(name) for name in change.get("objects", [])} & group_names)
    return False


def visible_groups(user: "Viewer | None") -> QuerySet[ExclusionGroup]:
    """The exclusion groups a user may see (sensitive ones need the permission)."""
    groups = ExclusionGroup.objects.all()
    return groups if can_see_sensitive(user) else groups.filter(is_sensitive=False)


def participant_list() -> QuerySet[Participant]:
    """Participants with their enrolments and projects in two extra queries in all."""
    return Participant.objects.order_by(
        polish("last_name").asc(), polish("first_name").asc(), "pk"
    ).prefetch_related(
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.select_related("project").order_by("-start_date"),
        )
    )


def participant_search(queryset: QuerySet[Participant], text: str) -> QuerySet[Participant]:
    """Every word must occur in the name or PESEL, ignoring case and Polish letters."""
    for word in fold(text).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def participant_card(pk: int, user: Viewer) -> Participant:
    """One participant with everything the card shows, in a fixed number of queries."""
    return Participant.objects.prefetch_related(
        Prefetch("groups", queryset=visible_groups(user)),
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.select_related("project", "referred_from").prefetch_related(
                Prefetch("events", queryset=EnrolmentEvent.objects.select_related("reason")),
                card_responses(),
                "follow_ups",
            ),
        ),
        "diagnoses__staff",
        "diagnoses__goals",
        "employments__enrolment__project",
        "family_links__relative",
        "family_links_as_relative__participant",
        "contracts__caseworker",
        "placements",
        "events",
        Prefetch(
            "short_contacts",
            queryset=ShortContact.objects.select_related("staff", "project").order_by(
                "-date", "-pk"
            ),
        ),
    ).get(pk=pk)


@dataclass
class FamilyMember:
    person: Participant | None  # None: somebody the user may not see
    relation: str


def participant_family(participant: Participant, user: Viewer) -> list[FamilyMember]:
    """The family members on a card (from participant_card's prefetch): those the user
    may not see are there without their name or a link (one query)."""
    links = [(link.relative, link) for link in participant.family_links.all()] + [
        (link.participant, link) for link in participant.family_links_as_relative.all()
    ]
    visible = set(
        participants_for(user)
        .filter(pk__in=[person.pk for person, _link in links])
        .values_list("pk", flat=True)
    )
    return [
        FamilyMember(person if person.pk in visible else None, link.get_relation_display())
        for person, link in links
    ]


def same_name_and_birth_date(
    *, first_name: str, last_name: str, birth_date: date, exclude_pk: int | None = None
) -> QuerySet[Participant]:
    """Possible duplicates: the same name (ignoring case and Polish letters) and birth date."""
    folded = fold(f"{last_name} {first_name}")
    matches = Participant.objects.filter(birth_date=birth_date, search_text__startswith=folded)
    if exclude_pk:
        matches = matches.exclude(pk=exclude_pk)
    return matches


def project_enrolment_counts(project: Project) -> dict[str, int]:
    """How many people of a project are in each status (one aggregate query)."""
    counts = Enrolment.objects.filter(project=project).aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Enrolment.Status.values},
    )
    return counts
