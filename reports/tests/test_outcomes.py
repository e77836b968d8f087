"""Issue 14, points 10 and 11: soft results from questionnaires, indicators entered by
hand, and the situation after leaving from follow-ups, each against figures worked out
by hand on the scenario of participants/tests/outcome_scenario.py (read its table)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from participants.models import Enrolment
from participants.selectors.outcomes import score_change
from participants.services.people import enrolment_event_record
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.outcome_factories import fill, follow_up
from participants.tests.outcome_scenario import build_outcomes
from projects.models import Indicator, IndicatorValue
from projects.services import indicator_save, indicator_value_save
from reports.selectors import People, project_report

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def s():
    return build_outcomes()


@pytest.fixture
def today(monkeypatch):
    """Set the report's date (the project report counts up to today)."""

    def set_today(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    return set_today


def _indicator(project, name, measure, unit="percent", target="60", **fields) -> Indicator:
    return indicator_save(
        indicator=Indicator(
            project=project,
            name=name,
            measure=measure,
            unit=unit,
            nature="soft" if measure == "questionnaire" else "hard",
            target_total=D(target),
            **fields,
        )
    )


def _rows(project) -> dict:
    return {row.indicator.name: row for row in project_report(project).indicators}


def _values(row) -> tuple:
    return (row.total, row.women, row.men)


# --- point 10: soft results -------------------------------------------------------------------


@pytest.fixture
def soft(s):
    q = s.questionnaire
    _indicator(s.project, "Wzrost kompetencji", "questionnaire", questionnaire=q)
    _indicator(
        s.project,
        "Wzrost motywacji (%)",
        "questionnaire",
        questionnaire=q,
        questionnaire_area="motywacja",
    )
    _indicator(
        s.project,
        "Wzrost motywacji (osoby)",
        "questionnaire",
        unit="persons",
        target="5",
        questionnaire=q,
        questionnaire_area="motywacja",
    )
    _indicator(
        s.project,
        "Wzrost umiejętności społecznych",
        "questionnaire",
        unit="persons",
        target="5",
        questionnaire=q,
        questionnaire_area="umiejętności społeczne",
    )
    return s


def test_soft_results_count_people_whose_score_improved(soft, today):
    today(date(2017, 6, 30))
    rows = _rows(soft.project)
    whole = rows["Wzrost kompetencji"]
    # Compared (both questionnaires by 30.06): Anna, Beata, Irena, Dawid, Edward = 5
    # (3 women, 2 men). Improved: Anna +4, Irena +3, Dawid +1 = 3 (2 women, 1 man). Beata's
    # answers add up to more at exit (11 against 7), but her reversed question went the
    # wrong way: 0, not improved. q4 was answered at exit only and is not compared.
    assert _values(whole) == (D("60.00"), D("66.67"), D("50.00"))
    assert whole.compared == 5
    # Only the entry one: Celina; Grzegorz's exit is dated 01.08. Only the exit: Filip.
    assert (whole.only_entry, whole.only_exit) == (2, 1)
    assert whole.achieved_percent == D("100.00")  # 60 % of a 60 % target
    # Motivation (q3 only): Beata +2, Irena +1 = 2 of 5; women 2 of 3, men 0 of 2.
    assert _values(rows["Wzrost motywacji (%)"]) == (D("40.00"), D("66.67"), D("0.00"))
    assert _values(rows["Wzrost motywacji (osoby)"]) == (2, 2, 0)
    # Social skills (q1 and q2, q2 reversed): Anna +4, Irena +2, Dawid +1; Beata −2,
    # Edward −1.
    assert _values(rows["Wzrost umiejętności społecznych"]) == (3, 2, 1)


def test_soft_results_count_only_questionnaires_filled_by_the_reports_date(soft, today):
    today(date(2017, 8, 31))
    whole = _rows(soft.project)["Wzrost kompetencji"]
    # Grzegorz's exit (01.08) now counts: +1, +1 (reversed), +1 = +3, improved.
    # Compared 6 (3 and 3), improved 4 (2 and 2).
    assert _values(whole) == (D("66.67"), D("66.67"), D("66.67"))
    assert (whole.compared, whole.only_entry, whole.only_exit) == (6, 1, 1)
    today(date(2017, 1, 9))  # before any questionnaire: nobody compared, not 0 %
    whole = _rows(soft.project)["Wzrost kompetencji"]
    assert _values(whole) == (None, None, None) and whole.compared == 0


def test_the_card_compares_scores_as_the_report_does(soft):
    beata = soft.enrolments["Beata"].questionnaire_responses.order_by("moment")
    entry, exit_ = list(beata)
    assert (entry.moment, exit_.moment) == ("entry", "exit")
    assert score_change(entry, exit_) == 0
    assert score_change(entry, exit_, area="motywacja") == 2
    anna = list(soft.enrolments["Anna"].questionnaire_responses.order_by("moment"))
    assert score_change(*anna) == 4


# --- point 10: indicators entered by hand ------------------------------------------------------


@pytest.fixture
def qualifications(s):
    indicator = _indicator(
        s.project,
        "Uczestnicy, którzy uzyskali kwalifikacje",
        "manual",
        unit="persons",
        target="10",
        target_women=D("6"),
        target_men=D("4"),
    )
    for day, total, women, men, source in (
        (date(2017, 3, 31), "2", "1", "1", "Zaświadczenia nr 1–2"),
        (date(2017, 6, 30), "5", "3", "2", "Zestawienie zaświadczeń z 30.06.2017"),
        (date(2017, 6, 30), "6", "3", "3", "Zestawienie zaświadczeń z 30.06.2017 – korekta"),
        (date(2017, 9, 30), "7", "4", "3", "Zestawienie zaświadczeń z 30.09.2017"),
    ):
        indicator_value_save(
            value=IndicatorValue(
                indicator=indicator,
                date=day,
                value_total=D(total),
                value_women=D(women),
                value_men=D(men),
                source=source,
            )
        )
    return indicator


def test_an_indicator_entered_by_hand_shows_its_latest_value_by_the_reports_date(
    s, qualifications, today
):
    today(date(2017, 7, 31))
    row = _rows(s.project)[qualifications.name]
    # 30.06 is the latest date by 31.07 (30.09 is later); of its two values, the later one.
    assert _values(row) == (6, 3, 3)
    assert row.entered.source == "Zestawienie zaświadczeń z 30.06.2017 – korekta"
    assert row.achieved_percent == D("60.00")
    today(date(2017, 10, 1))
    assert _values(_rows(s.project)[qualifications.name]) == (7, 4, 3)
    today(date(2017, 3, 30))  # nothing entered yet
    row = _rows(s.project)[qualifications.name]
    assert _values(row) == (None, None, None) and row.entered is None


# --- point 11: follow-ups after leaving -------------------------------------------------------


@pytest.fixture
def after_leaving(s):
    _indicator(
        s.project,
        "Pracujący lub poszukujący pracy 4 tygodnie po zakończeniu",
        "follow_up",
        follow_up_kind="4w",
        follow_up_situation="employment_or_seeking",
    )
    _indicator(
        s.project,
        "Pracujący 3 miesiące po zakończeniu",
        "follow_up",
        unit="persons",
        target="4",
        follow_up_kind="3m",
        follow_up_situation="employment",
    )
    return s


def test_result_indicators_count_people_from_their_latest_follow_up(after_leaving, today):
    today(date(2017, 7, 31))
    rows = _rows(after_leaving.project)
    four_weeks = rows["Pracujący lub poszukujący pracy 4 tygodnie po zakończeniu"]
    # 4 weeks recorded for Anna (job-seeking), Beata (no contact), Dawid (employed),
    # Edward (latest: inactive, after his second exit; his first said employed) and Irena
    # (inactive): 2 of 5 people, Edward once. Women 1 of 3, men 1 of 2. Helena's project
    # is another one; Jan and Kamil have no follow-up recorded.
    assert _values(four_weeks) == (D("40.00"), D("33.33"), D("50.00"))
    assert four_weeks.followed_up == 5
    three_months = rows["Pracujący 3 miesiące po zakończeniu"]
    # 3 months by 31.07: Anna (employed); Dawid's is dated 01.09.
    assert _values(three_months) == (1, 1, 0) and three_months.followed_up == 1
    today(date(2017, 9, 30))
    three_months = _rows(after_leaving.project)["Pracujący 3 miesiące po zakończeniu"]
    assert _values(three_months) == (2, 1, 1) and three_months.followed_up == 2


def test_the_report_shows_the_situation_after_leaving(after_leaving, today):
    today(date(2017, 7, 31))
    figures = project_report(after_leaving.project).follow_ups
    assert figures.kinds == ["4w", "3m", "6m"]
    # 4 weeks: everybody who left by 31.07 (Anna, Beata, Dawid, Edward, Irena, Jan, Kamil),
    # not recorded Jan and Kamil, overdue Kamil (left 01.06, due by 29.06).
    # 3 months: those who left by 30.04 (Anna, Beata), not recorded and overdue Beata
    # (due 28.05–25.06). 6 months: nobody left by 31.01.
    assert figures.due == [7, 2, 0]
    assert figures.to_do == [2, 1, 0]
    assert figures.overdue == [1, 1, 0]
    assert figures.recorded == [People(5, 3), People(1, 1), People(0, 0)]
    situations = {row.situation: row.people for row in figures.situations}
    assert situations["employed"] == [People(1, 0), People(1, 1), People(0, 0)]
    assert situations["job_seeking"] == [People(1, 1), People(0, 0), People(0, 0)]
    assert situations["no_contact"] == [People(1, 1), People(0, 0), People(0, 0)]
    assert situations["inactive"] == [People(2, 1), People(0, 0), People(0, 0)]
    assert situations["education"] == situations["self_employed"] == [People(0, 0)] * 3


def test_the_page_and_the_pdf_show_the_new_figures_with_their_definitions(
    manager_client, after_leaving, qualifications, today
):
    s = after_leaving
    _indicator(s.project, "Wzrost kompetencji", "questionnaire", questionnaire=s.questionnaire)
    today(date(2017, 7, 31))
    html = manager_client.get(reverse("reports:project", args=[s.project.pk])).content.decode()
    html = html.replace("\xa0", " ")
    for text in (
        "obie ankiety (porównane): 5 osób",
        "tylko ankieta na wejściu (nieliczone): 2 osoby",
        "tylko ankieta na zakończenie (nieliczone): 1 osoba",
        "kontakt odnotowany: 5 osób",
        "wartość na dzień 30.06.2017; źródło: Zestawienie zaświadczeń z 30.06.2017 – korekta",
        "Sytuacja po zakończeniu udziału",
        "ankiety na wejściu i na zakończenie",
    ):
        assert text in html, text
    response = manager_client.get(reverse("reports:project_pdf", args=[s.project.pk]))
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.replace("\xa0", " ").split())
    assert "Sytuacja po zakończeniu udziału" in text and "korekta" in text


# --- query counts stay flat ------------------------------------------------------------------


def _add_people(s, n: int) -> None:
    for i in range(n):
        person = ParticipantFactory(sex="M" if i % 2 else "F")
        enrolment = EnrolmentFactory(
            participant=person, project=s.project, start_date=date(2017, 1, 9)
        )
        fill(enrolment, s.questionnaire, "entry", date(2017, 1, 10), [2, 3, 2, 1])
        fill(enrolment, s.questionnaire, "exit", date(2017, 5, 10), [3, 2, 3, 4])
        enrolment_event_record(
            enrolment=enrolment, kind="completed", date=date(2017, 5, 31), recorded_by=None
        )
        follow_up(Enrolment.objects.get(pk=enrolment.pk), "4w", date(2017, 6, 10), "employed")


@pytest.mark.parametrize("url_name", ["reports:project", "reports:project_pdf"])
def test_project_report_queries_stay_flat(
    manager_client, after_leaving, qualifications, django_assert_max_num_queries, url_name
):
    s = after_leaving
    _indicator(s.project, "Wzrost kompetencji", "questionnaire", questionnaire=s.questionnaire)
    url = reverse(url_name, args=[s.project.pk])
    _add_people(s, 3)
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(url).status_code == 200
    _add_people(s, 57)
    with django_assert_max_num_queries(len(few)):
        assert manager_client.get(url).status_code == 200
