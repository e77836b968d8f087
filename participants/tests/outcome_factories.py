"""Questionnaires and follow-ups for tests: built as an administrator and a caseworker
would, through the services."""

from datetime import date

from participants.models import (
    Enrolment,
    FollowUp,
    Question,
    Questionnaire,
    QuestionnaireResponse,
    ScalePoint,
)
from participants.services.outcomes import follow_up_save, questionnaire_fill

LABELS = (
    "zdecydowanie się nie zgadzam",
    "raczej się nie zgadzam",
    "trudno powiedzieć",
    "raczej się zgadzam",
    "zdecydowanie się zgadzam",
)


def make_questionnaire(
    name: str = "Ankieta kompetencji społecznych",
    questions: tuple[tuple[str, str, bool], ...] = (
        ("Łatwo nawiązuję kontakt z nowymi osobami.", "umiejętności społeczne", False),
        ("Często czuję się bezradny(-a) wobec urzędów.", "umiejętności społeczne", True),
        ("Chcę podjąć pracę w ciągu pół roku.", "motywacja", False),
    ),
    projects=(),
) -> Questionnaire:
    """A questionnaire on the 1–5 scale with the given (text, area, counted in reverse)."""
    questionnaire = Questionnaire.objects.create(name=name)
    questionnaire.projects.set(projects)
    for value, label in enumerate(LABELS, start=1):
        ScalePoint.objects.create(questionnaire=questionnaire, value=value, label=label)
    for order, (text, area, reverse) in enumerate(questions, start=1):
        Question.objects.create(
            questionnaire=questionnaire, order=order, text=text, area=area, reverse=reverse
        )
    return questionnaire


def fill(
    enrolment: Enrolment,
    questionnaire: Questionnaire,
    moment: str,
    day: date,
    values: list[int],
    note: str = "",
) -> QuestionnaireResponse:
    """Fill the questionnaire with `values`, one per question in their order."""
    questions = list(questionnaire.questions.all())
    return questionnaire_fill(
        enrolment=enrolment,
        questionnaire=questionnaire,
        moment=moment,
        date=day,
        answers={q.pk: v for q, v in zip(questions, values, strict=True)},
        note=note,
    )


def follow_up(
    enrolment: Enrolment,
    kind: str,
    day: date,
    situation: str,
    source: str = FollowUp.Source.PHONE,
    note: str = "",
) -> FollowUp:
    return follow_up_save(
        follow_up=FollowUp(
            enrolment=enrolment, kind=kind, date=day, situation=situation, source=source, note=note
        )
    )
