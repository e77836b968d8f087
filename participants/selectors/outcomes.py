"""Reads of outcomes: the follow-ups due after people left their projects (one
selector, for the list, the dashboard and any to-do list), and the questionnaires and
follow-ups of a person's enrolments on the card."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from kis.lib.services import Viewer
from participants.access import participants_for
from participants.models import (
    SCHEDULED,
    Enrolment,
    FollowUp,
    FollowUpKind,
    Participant,
    Questionnaire,
    QuestionnaireResponse,
    follow_up_window,
    latest_exit_opened,
)
from participants.models.outcomes import WITHIN
from projects.models import Project

# --- follow-ups after leaving ------------------------------------------------------------


class StepState:
    DONE = "done"  # recorded for this exit
    UPCOMING = "upcoming"  # its day has not come yet
    OPEN = "open"  # to be made now, by its due date
    OVERDUE = "overdue"  # past its due date and not recorded


@dataclass
class FollowUpStep:
    """One scheduled follow-up of one exit."""

    kind: str
    opens: date
    due: date
    state: str
    done: FollowUp | None = None

    @property
    def label(self) -> str:
        return str(FollowUpKind(self.kind).label)

    @property
    def is_task(self) -> bool:
        return self.state in (StepState.OPEN, StepState.OVERDUE)


def follow_up_steps(
    exit_date: date, follow_ups: Iterable[FollowUp], today: date
) -> list[FollowUpStep]:
    """The scheduled follow-ups of one exit (4 weeks, 3 and 6 months), each recorded,
    not yet open, to be made now or overdue (`follow_up_window`). `follow_ups` are the
    enrolment's; only those recorded for this exit count."""
    recorded = {f.kind: f for f in follow_ups if f.exit_date == exit_date and f.kind in SCHEDULED}
    steps = []
    for kind in SCHEDULED:
        window = follow_up_window(kind, exit_date)
        if kind in recorded:
            state = StepState.DONE
        elif today < window.opens:
            state = StepState.UPCOMING
        elif today <= window.due:
            state = StepState.OPEN
        else:
            state = StepState.OVERDUE
        steps.append(FollowUpStep(kind, window.opens, window.due, state, recorded.get(kind)))
    return steps


@dataclass
class FollowUpRow:
    """A person whose enrolment ended (on `exit_date`), with the follow-ups of that
    exit."""

    enrolment: Enrolment
    exit_date: date
    steps: list[FollowUpStep] = field(default_factory=list)

    @property
    def participant(self) -> Participant:
        return self.enrolment.participant

    @property
    def tasks(self) -> list[FollowUpStep]:
        """The follow-ups to be made now or overdue (what a to-do list shows)."""
        return [step for step in self.steps if step.is_task]

    @property
    def overdue(self) -> bool:
        return any(step.state == StepState.OVERDUE for step in self.steps)

    @property
    def next_due(self) -> date:
        return min(step.due for step in self.tasks)


def _missing_opened_by(kind: str, day: date) -> Q:
    """The follow-up of `kind` of the enrolment's exit is not recorded and its window
    had opened by `day` (with the `missing_<kind>` annotation of `_with_tasks`)."""
    return Q(**{f"missing_{kind}": True, "end_date__lte": latest_exit_opened(kind, day)})


def _with_tasks(user: Viewer, today: date, project: Project | None = None) -> QuerySet[Enrolment]:
    """The enrolments of `follow_ups_due`: ended, in a project that follows its people
    up, a person the user may see and whose data may be processed, with a scheduled
    follow-up of the exit open or overdue and not recorded."""
    enrolments = Enrolment.objects.filter(
        end_date__isnull=False,
        project__follows_up=True,
        participant__in=participants_for(user),
        participant__anonymised_at__isnull=True,
        participant__processing_restricted=False,
    )
    if project is not None:
        enrolments = enrolments.filter(project=project)
    missing = {
        f"missing_{kind}": ~Exists(
            FollowUp.objects.filter(
                enrolment=OuterRef("pk"), exit_date=OuterRef("end_date"), kind=kind
            )
        )
        for kind in SCHEDULED
    }
    opened = Q(pk__in=[])
    for kind in SCHEDULED:
        opened |= _missing_opened_by(kind, today)
    return enrolments.annotate(**missing).filter(opened)


def follow_ups_due(
    user: Viewer, *, today: date | None = None, project: Project | None = None
) -> list[FollowUpRow]:
    """THE follow-ups to be made: people whose enrolment in a project that follows its
    participants up (Project.follows_up) has ended, with at least one scheduled
    follow-up of that exit open or overdue and not recorded; only people the user may see
    (participants.access), and not those whose data may not be processed (restricted or
    anonymised: nothing can be recorded for them). Most urgent first. Two queries."""
    today = today or timezone.localdate()
    enrolments = (
        _with_tasks(user, today, project)
        .select_related("participant", "project")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.filter(kind__in=SCHEDULED))
        )
    )
    rows = [
        FollowUpRow(e, e.end_date, follow_up_steps(e.end_date, e.follow_ups.all(), today))
        for e in enrolments
        if e.end_date is not None
    ]
    rows = [row for row in rows if row.tasks]
    rows.sort(key=lambda r: (r.next_due, r.participant.last_name, r.enrolment.pk))
    return rows


@dataclass
class DueCounts:
    people: int
    overdue: int


def follow_ups_due_counts(user: Viewer, *, today: date | None = None) -> DueCounts:
    """How many people wait for a follow-up, and for how many it is overdue (the
    dashboard): from `follow_ups_due`."""
    today = today or timezone.localdate()
    # Overdue: a missing follow-up whose window closed before today (its due day, four
    # weeks after it opened, is past), as `follow_up_steps` says. Counted in SQL: the
    # dashboard never loads the people (at 100 000 in the register, 25 s of Python).
    late_by = today - WITHIN - timedelta(days=1)
    overdue = Q(pk__in=[])
    for kind in SCHEDULED:
        overdue |= _missing_opened_by(kind, late_by)
    counts = _with_tasks(user, today).aggregate(
        people=Count("pk"), overdue=Count("pk", filter=overdue)
    )
    return DueCounts(counts["people"], counts["overdue"])


# --- questionnaires on the card --------------------------------------------------------------


def scored(value: int, reverse: bool, lowest: int, highest: int) -> int:
    """An answer's points in the score: reversed for a question counted in reverse
    (on a 1–5 scale, 1 scores 5)."""
    return lowest + highest - value if reverse else value


def score_change(
    entry: QuestionnaireResponse, exit: QuestionnaireResponse, area: str = ""
) -> int | None:
    """Exit against entry over the questions answered both times (of one area, if
    given), each question counted in reverse with its difference reversed: above 0 the
    score improved. None when no question was answered both times. The project report
    counts the same in SQL (reports.selectors.questionnaire_improvement)."""
    before = {a.question_id: a for a in entry.answers.all() if not area or a.question.area == area}
    change, compared = 0, False
    for answer in exit.answers.all():
        if answer.question_id not in before:
            continue
        difference = answer.value - before[answer.question_id].value
        change += -difference if answer.question.reverse else difference
        compared = True
    return change if compared else None


@dataclass
class Score:
    points: int
    highest: int


def response_score(response: QuestionnaireResponse) -> Score | None:
    """The points of a filled questionnaire (questions counted in reverse reversed) out
    of the most it can score."""
    values = [p.value for p in response.questionnaire.points.all()]
    if not values:
        return None
    lowest, highest = min(values), max(values)
    answers = list(response.answers.all())
    return Score(
        sum(scored(a.value, a.question.reverse, lowest, highest) for a in answers),
        highest * len(answers),
    )


@dataclass
class QuestionnaireRow:
    questionnaire: Questionnaire
    entry: QuestionnaireResponse | None = None
    exit: QuestionnaireResponse | None = None
    offered: bool = True  # new answers may be entered

    @property
    def entry_score(self) -> Score | None:
        return response_score(self.entry) if self.entry else None

    @property
    def exit_score(self) -> Score | None:
        return response_score(self.exit) if self.exit else None

    @property
    def moments(self) -> list[tuple]:
        """(moment, response or None, its score) at entry and at exit."""
        Moment = QuestionnaireResponse.Moment
        return [
            (Moment.ENTRY, self.entry, self.entry_score),
            (Moment.EXIT, self.exit, self.exit_score),
        ]

    @property
    def change(self) -> int | None:
        if self.entry and self.exit:
            return score_change(self.entry, self.exit)
        return None


def card_responses() -> Prefetch:
    """What the card prefetches of an enrolment's questionnaires (for participant_card)."""
    return Prefetch(
        "questionnaire_responses",
        queryset=QuestionnaireResponse.objects.select_related("questionnaire").prefetch_related(
            "answers__question", "questionnaire__points"
        ),
    )


@dataclass
class EnrolmentOutcomes:
    """What the card shows of one enrolment's outcomes."""

    enrolment: Enrolment
    questionnaires: list[QuestionnaireRow] = field(default_factory=list)
    # The schedule of the last exit's follow-ups (where the project follows people up).
    follow_up_steps: list[FollowUpStep] = field(default_factory=list)
    # Every other contact: of an earlier exit, or of another kind.
    other_contacts: list[FollowUp] = field(default_factory=list)


def enrolment_outcomes(
    participant: Participant, today: date | None = None
) -> list[EnrolmentOutcomes]:
    """The card's enrolments (participant_card's prefetch), each with its questionnaires
    (those filled and those offered in its project) and, once it ended, the follow-ups
    of that exit and its other contacts. One query, whatever the number of enrolments."""
    today = today or timezone.localdate()
    offered = list(Questionnaire.objects.filter(is_active=True).prefetch_related("projects"))
    outcomes = []
    for enrolment in participant.enrolments.all():
        rows: dict[int, QuestionnaireRow] = {}
        for questionnaire in offered:
            if questionnaire.offered_in(enrolment.project_id):
                rows[questionnaire.pk] = QuestionnaireRow(questionnaire)
        for response in enrolment.questionnaire_responses.all():
            row = rows.setdefault(
                response.questionnaire_id, QuestionnaireRow(response.questionnaire, offered=False)
            )
            if response.moment == QuestionnaireResponse.Moment.ENTRY:
                row.entry = response
            else:
                row.exit = response
        follow_ups = list(enrolment.follow_ups.all())
        steps = (
            follow_up_steps(enrolment.end_date, follow_ups, today)
            if enrolment.end_date is not None and enrolment.project.follows_up
            else []
        )
        shown = {step.done.pk for step in steps if step.done is not None}
        outcomes.append(
            EnrolmentOutcomes(
                enrolment,
                sorted(rows.values(), key=lambda r: r.questionnaire.name),
                steps,
                [f for f in follow_ups if f.pk not in shown],
            )
        )
    return outcomes
