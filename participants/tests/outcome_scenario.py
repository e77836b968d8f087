"""A project of 2017 with questionnaires at entry and exit and follow-ups after leaving,
whose figures are worked out by hand in the tests (reports/tests/test_outcomes.py,
participants/tests/test_follow_ups.py).

Questionnaire (1–5), at first three questions; a fourth is added after the entries were
filled, so only the exits answer it (it is never compared):
  q1 umiejętności społeczne     q2 umiejętności społeczne, counted in reverse
  q3 motywacja                  q4 (no area, added later)

person   sex  entry (q1 q2 q3)    exit (q1 q2 q3 | q4)        change: all  social  motivation
Anna     F    2 4 3  10.01        4 2 3 | 1   20.03          +2+2+0 = +4   +4      0
Beata    F    3 2 2  10.01        3 4 4 | 5   20.02          0−2+2 =  0    −2     +2
Celina   F    1 5 1  10.01        –                          only entry
Dawid    M    2 3 2  10.01        3 3 2 | 1   25.05          +1+0+0 = +1   +1      0
Edward   M    4 2 4  10.01        3 2 4 | 5   20.04          −1+0+0 = −1   −1      0
Filip    M    –                   5 1 5 | 1   20.05          only exit
Grzegorz M    2 2 2  10.01        3 1 3 | 1   01.08          (exit after 30.06.2017: only entry then)
Irena    F    2 4 2  10.01        3 3 3 | 1   25.05          +1+1+1 = +3   +2     +1
Helena   F    in another project: 1 5 1 → 5 1 5 (never counted here)

What happened (exits) and the follow-ups:
Anna     dropped out 31.03   4w 10.04 job-seeking; 3m 05.07 employed
Beata    dropped out 28.02   4w 10.03 no contact; 3m not recorded (due 28.05–25.06)
Celina   still taking part
Dawid    completed 31.05     4w 15.06 employed; 3m 01.09 employed
Edward   left for a job 30.04, 4w 10.05 employed; came back 05.06, completed 30.06,
         4w of that exit 15.07 inactive
Irena    completed 31.05     4w 20.06 inactive
Jan      completed 20.07     nothing recorded (4w due by 17.08)
Kamil    dropped out 01.06   nothing recorded (4w overdue since 29.06)
Helena   (other project, which does not follow up) dropped out 31.03
"""

from dataclasses import dataclass, field
from datetime import date

from participants.models import Enrolment, Participant, Question, Questionnaire, Sex
from participants.services.people import enrolment_event_record
from participants.tests.factories import EnrolmentFactory, ParticipantFactory, reason
from participants.tests.outcome_factories import fill, follow_up, make_questionnaire
from projects.models import Project
from projects.tests.factories import ProjectFactory

WOMEN = ("Anna", "Beata", "Celina", "Irena", "Helena")
Y = 2017


@dataclass
class OutcomeScenario:
    project: Project
    other: Project
    questionnaire: Questionnaire
    people: dict[str, Participant] = field(default_factory=dict)
    enrolments: dict[str, Enrolment] = field(default_factory=dict)


def _person(name: str) -> Participant:
    female = name in WOMEN
    return ParticipantFactory(
        first_name=name,
        last_name=f"{name}owska" if female else f"{name}owski",
        sex=Sex.FEMALE if female else Sex.MALE,
        pesel="",
    )


def _event(enrolment: Enrolment, kind: str, day: date) -> None:
    enrolment_event_record(
        enrolment=enrolment,
        kind=kind,
        date=day,
        recorded_by=None,
        reason=reason("no_cooperation") if kind == "dropped_out" else None,
    )
    enrolment.refresh_from_db()


def build_outcomes() -> OutcomeScenario:
    project = ProjectFactory(title="Aktywni razem", start_date=date(2016, 6, 1))
    other = ProjectFactory(title="Program gminny", start_date=date(2016, 6, 1), follows_up=False)
    questionnaire = make_questionnaire(
        questions=(
            ("Łatwo nawiązuję kontakt z nowymi osobami.", "umiejętności społeczne", False),
            ("Często czuję się bezradny(-a) wobec urzędów.", "umiejętności społeczne", True),
            ("Chcę podjąć pracę w ciągu pół roku.", "motywacja", False),
        )
    )
    s = OutcomeScenario(project, other, questionnaire)
    names = (
        "Anna",
        "Beata",
        "Celina",
        "Dawid",
        "Edward",
        "Filip",
        "Grzegorz",
        "Irena",
        "Jan",
        "Kamil",
    )
    for name in names:
        s.people[name] = person = _person(name)
        s.enrolments[name] = EnrolmentFactory(
            participant=person, project=project, start_date=date(2017, 1, 9)
        )
    s.people["Helena"] = _person("Helena")
    s.enrolments["Helena"] = EnrolmentFactory(
        participant=s.people["Helena"], project=other, start_date=date(2017, 1, 9)
    )
    e, q = s.enrolments, questionnaire
    for name, values in (
        ("Anna", [2, 4, 3]),
        ("Beata", [3, 2, 2]),
        ("Celina", [1, 5, 1]),
        ("Dawid", [2, 3, 2]),
        ("Edward", [4, 2, 4]),
        ("Grzegorz", [2, 2, 2]),
        ("Irena", [2, 4, 2]),
        ("Helena", [1, 5, 1]),
    ):
        fill(e[name], q, "entry", date(Y, 1, 10), values)
    Question.objects.create(questionnaire=q, order=4, text="Wiem, gdzie szukać ofert pracy.")
    for name, day, values in (
        ("Anna", date(Y, 3, 20), [4, 2, 3, 1]),
        ("Beata", date(Y, 2, 20), [3, 4, 4, 5]),
        ("Dawid", date(Y, 5, 25), [3, 3, 2, 1]),
        ("Edward", date(Y, 4, 20), [3, 2, 4, 5]),
        ("Filip", date(Y, 5, 20), [5, 1, 5, 1]),
        ("Grzegorz", date(Y, 8, 1), [3, 1, 3, 1]),
        ("Irena", date(Y, 5, 25), [3, 3, 3, 1]),
        ("Helena", date(Y, 3, 20), [5, 1, 5, 1]),
    ):
        fill(e[name], q, "exit", day, values)

    _event(e["Anna"], "dropped_out", date(Y, 3, 31))
    follow_up(e["Anna"], "4w", date(Y, 4, 10), "job_seeking")
    follow_up(e["Anna"], "3m", date(Y, 7, 5), "employed")
    _event(e["Beata"], "dropped_out", date(Y, 2, 28))
    follow_up(e["Beata"], "4w", date(Y, 3, 10), "no_contact")
    _event(e["Dawid"], "completed", date(Y, 5, 31))
    follow_up(e["Dawid"], "4w", date(Y, 6, 15), "employed")
    follow_up(e["Dawid"], "3m", date(Y, 9, 1), "employed")
    _event(e["Edward"], "left_for_job", date(Y, 4, 30))
    follow_up(e["Edward"], "4w", date(Y, 5, 10), "employed")
    _event(e["Edward"], "returned", date(Y, 6, 5))
    _event(e["Edward"], "completed", date(Y, 6, 30))
    follow_up(e["Edward"], "4w", date(Y, 7, 15), "inactive")
    _event(e["Irena"], "completed", date(Y, 5, 31))
    follow_up(e["Irena"], "4w", date(Y, 6, 20), "inactive")
    _event(e["Jan"], "completed", date(Y, 7, 20))
    _event(e["Kamil"], "dropped_out", date(Y, 6, 1))
    _event(e["Helena"], "dropped_out", date(Y, 3, 31))
    follow_up(e["Helena"], "4w", date(Y, 4, 10), "employed")
    return s
