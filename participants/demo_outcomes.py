"""Demo outcomes: the entry and exit questionnaire of the EU project (its four soft
results, as in the Więcbork presentation), filled for part of the people; indicators
measured from it, from follow-ups and by hand (with a few values entered); follow-ups
after leaving, some made and some still due or overdue.

Deterministic (seeds from the enrolment) and safe to re-run: the questionnaire is keyed
by its name, questions by their order, indicators by project and name, values by
indicator and date, follow-ups by enrolment, exit and kind; everything is written
through the services.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kis.lib.services import keyed_instance
from participants.demo_support import DEMO_TODAY
from participants.models import (
    SCHEDULED,
    Enrolment,
    FollowUp,
    Question,
    Questionnaire,
    QuestionnaireResponse,
    ScalePoint,
    Situation,
    follow_up_window,
)
from participants.services.outcomes import (
    follow_up_save,
    question_save,
    questionnaire_fill,
    questionnaire_save,
    scale_point_save,
)
from projects.models import Indicator, IndicatorValue, Project
from projects.services import indicator_save, indicator_value_save

D = Decimal
Moment = QuestionnaireResponse.Moment
NAME = "Ankieta kompetencji społecznych i motywacji"
SOCIAL = "umiejętności społeczne"
MOTIVATION = "motywacja do poszukiwania pracy"
JOB_SEARCH = "aktywne poszukiwanie pracy"
ACTIVITY = "aktywność zawodowa"
SCALE = (
    "zdecydowanie się nie zgadzam",
    "raczej się nie zgadzam",
    "trudno powiedzieć",
    "raczej się zgadzam",
    "zdecydowanie się zgadzam",
)
# (area, question, counted in reverse)
QUESTIONS = (
    (SOCIAL, "Łatwo nawiązuję rozmowę z osobami, których nie znam.", False),
    (SOCIAL, "Często unikam spotkań z innymi ludźmi.", True),
    (MOTIVATION, "Chcę podjąć pracę w ciągu najbliższych sześciu miesięcy.", False),
    (MOTIVATION, "Uważam, że szukanie pracy nie ma sensu.", True),
    (JOB_SEARCH, "Potrafię sam(a) przygotować CV i list motywacyjny.", False),
    (JOB_SEARCH, "Wiem, gdzie szukać ofert pracy w mojej okolicy.", False),
    (ACTIVITY, "W ostatnim miesiącu sam(a) zgłosiłem(-am) się do pracodawcy.", False),
    (ACTIVITY, "Mam plan dnia i się go trzymam.", False),
)


@transaction.atomic
def demo_outcomes_create(projects: list[Project]) -> None:
    rpo = projects[0]
    cutoff = min(timezone.localdate(), DEMO_TODAY)
    user = get_user_model().objects.filter(username="pracownik").first()
    questionnaire = _questionnaire(rpo)
    _indicators(rpo, questionnaire, cutoff)
    enrolments = list(
        Enrolment.objects.filter(project=rpo).select_related("participant").order_by("pk")
    )
    for n, enrolment in enumerate(enrolments):
        _questionnaires(n, enrolment, questionnaire, user, cutoff)
        _follow_ups(n, enrolment, user, cutoff)


def _questionnaire(rpo: Project) -> Questionnaire:
    questionnaire = keyed_instance(
        Questionnaire,
        {"name": NAME},
        {
            "instructions": "Przeczytaj każde zdanie i zaznacz, na ile się z nim zgadzasz. "
            "Nie ma dobrych ani złych odpowiedzi. Tę samą ankietę wypełnia się na początku "
            "udziału w projekcie i na jego zakończenie.",
            "is_active": True,
        },
    )
    questionnaire_save(questionnaire=questionnaire, projects=[rpo])
    for value, label in enumerate(SCALE, start=1):
        point = keyed_instance(
            ScalePoint, {"questionnaire": questionnaire, "value": value}, {"label": label}
        )
        scale_point_save(point=point)
    for order, (area, text, reverse) in enumerate(QUESTIONS, start=1):
        question = keyed_instance(
            Question,
            {"questionnaire": questionnaire, "order": order},
            {"text": text, "area": area, "reverse": reverse},
        )
        question_save(question=question)
    return questionnaire


def _indicators(rpo: Project, questionnaire: Questionnaire, cutoff: date) -> None:
    specs = (
        (
            "Uczestnicy, u których wzrosły umiejętności społeczne",
            dict(
                measure=Indicator.Measure.QUESTIONNAIRE,
                questionnaire=questionnaire,
                questionnaire_area=SOCIAL,
                nature=Indicator.Nature.SOFT,
                unit=Indicator.Unit.PERCENT,
                target_total=D("70"),
                measurement="ankiety na wejściu i na zakończenie",
            ),
        ),
        (
            "Uczestnicy, u których wzrosła motywacja do poszukiwania pracy",
            dict(
                measure=Indicator.Measure.QUESTIONNAIRE,
                questionnaire=questionnaire,
                questionnaire_area=MOTIVATION,
                nature=Indicator.Nature.SOFT,
                unit=Indicator.Unit.PERCENT,
                target_total=D("70"),
                measurement="ankiety na wejściu i na zakończenie",
            ),
        ),
        (
            "Uczestnicy, którzy uzyskali kwalifikacje",
            dict(
                measure=Indicator.Measure.MANUAL,
                unit=Indicator.Unit.PERSONS,
                target_total=D("20"),
                target_women=D("12"),
                target_men=D("8"),
                measurement="kopie certyfikatów i zaświadczeń",
            ),
        ),
        (
            "Osoby pracujące lub poszukujące pracy 4 tygodnie po zakończeniu udziału",
            dict(
                measure=Indicator.Measure.FOLLOW_UP,
                follow_up_kind="4w",
                follow_up_situation="employment_or_seeking",
                unit=Indicator.Unit.PERCENT,
                target_total=D("60"),
                measurement="kontakt z uczestnikiem, dane urzędu pracy",
            ),
        ),
        (
            "Osoby pracujące 6 miesięcy po zakończeniu udziału",
            dict(
                measure=Indicator.Measure.FOLLOW_UP,
                follow_up_kind="6m",
                follow_up_situation="employment",
                unit=Indicator.Unit.PERSONS,
                target_total=D("8"),
                target_women=D("5"),
                target_men=D("3"),
                measurement="zaświadczenie pracodawcy lub oświadczenie uczestnika",
            ),
        ),
    )
    for order, (name, fields) in enumerate(specs, start=5):
        indicator = keyed_instance(
            Indicator,
            {"project": rpo, "name": name},
            {"kind": Indicator.Kind.RESULT, "order": order, **fields},
        )
        indicator_save(indicator=indicator)
    qualifications = Indicator.objects.get(
        project=rpo, name="Uczestnicy, którzy uzyskali kwalifikacje"
    )
    manager = get_user_model().objects.filter(username="kierownik").first()
    for day, total, women, men, source in (
        (date(2025, 6, 30), "4", "3", "1", "Zestawienie certyfikatów – I półrocze 2025"),
        (date(2025, 12, 31), "9", "6", "3", "Zestawienie certyfikatów za 2025 r."),
        (date(2026, 6, 30), "13", "8", "5", "Zestawienie certyfikatów – I półrocze 2026"),
    ):
        if day > cutoff:
            continue
        value = keyed_instance(
            IndicatorValue,
            {"indicator": qualifications, "date": day},
            {
                "value_total": D(total),
                "value_women": D(women),
                "value_men": D(men),
                "source": source,
                "recorded_by": manager,
            },
        )
        indicator_value_save(value=value)


def _questionnaires(n: int, enrolment: Enrolment, questionnaire, user, cutoff: date) -> None:
    """Entry for five people in six; exit for those who left (not the drop-outs, who
    rarely come back to fill it) or have taken part for a year, two in three of them.
    Most answer better at exit, one in four does not."""
    if n % 6 == 5:
        return
    rng = random.Random(2026_700 + enrolment.pk)
    questions = list(questionnaire.questions.all())
    entry_day = min(enrolment.start_date + timedelta(days=3), cutoff)
    entry = {
        q.pk: (rng.choice([3, 4]) if q.reverse else rng.choice([1, 2, 2, 3])) for q in questions
    }
    questionnaire_fill(
        enrolment=enrolment,
        questionnaire=questionnaire,
        moment=Moment.ENTRY,
        date=entry_day,
        answers=entry,
        user=user,
    )
    if enrolment.status == Enrolment.Status.DROPPED_OUT or n % 3 == 2:
        return
    exit_day = max(enrolment.end_date or enrolment.start_date + timedelta(days=365), entry_day)
    if exit_day > cutoff:
        return
    better = n % 4 != 3
    exit_answers = {}
    for q in questions:
        step = rng.choice([0, 1, 1, 2]) if better else rng.choice([-1, 0, 0])
        value = entry[q.pk] - step if q.reverse else entry[q.pk] + step
        exit_answers[q.pk] = max(1, min(5, value))
    questionnaire_fill(
        enrolment=enrolment,
        questionnaire=questionnaire,
        moment=Moment.EXIT,
        date=exit_day,
        answers=exit_answers,
        user=user,
    )


def _follow_ups(n: int, enrolment: Enrolment, user, cutoff: date) -> None:
    """Most follow-ups whose day has come are made a few days after it; every fifth
    person's 4-week one and every third's later ones are left for the list of those due."""
    if enrolment.end_date is None:
        return
    rng = random.Random(2026_800 + enrolment.pk)
    left_for_job = enrolment.status == Enrolment.Status.LEFT_FOR_JOB
    for kind in SCHEDULED:
        skipped = n % 5 == 0 if kind == "4w" else n % 3 == 0
        day = follow_up_window(kind, enrolment.end_date).opens + timedelta(days=rng.randint(3, 20))
        if skipped or day > cutoff:
            continue
        if left_for_job:
            situation = rng.choice([Situation.EMPLOYED] * 4 + [Situation.SELF_EMPLOYED])
        else:
            situation = rng.choice(
                [
                    Situation.EMPLOYED,
                    Situation.JOB_SEEKING,
                    Situation.JOB_SEEKING,
                    Situation.EDUCATION,
                    Situation.INACTIVE,
                    Situation.NO_CONTACT,
                ]
            )
        source = (
            FollowUp.Source.EMPLOYER
            if situation == Situation.EMPLOYED and rng.random() < 0.5
            else rng.choice([FollowUp.Source.PHONE, FollowUp.Source.LABOUR_OFFICE])
        )
        follow_up = keyed_instance(
            FollowUp,
            {"enrolment": enrolment, "exit_date": enrolment.end_date, "kind": kind},
            {"date": day, "situation": situation, "source": source, "recorded_by": user},
        )
        follow_up_save(follow_up=follow_up)
