"""The definitions of issue 14, each against answers worked out by hand on the 2014
scenario (see scenario.py for who did what and when):

- a report counts only what happened up to its date (the current year: today);
  planned sessions are never delivered hours; future years are not reports;
- engaged = everybody who took part at any time in the year, including people back
  from a job left in an earlier year, and the balance always holds;
- the jobs indicator counts people away at a job, each once; the dashboard counts
  people and says so;
- everything generated reads as Polish: plural forms and "stan na".
"""

from datetime import date, time
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from openpyxl import load_workbook
from pypdf import PdfReader

from participants.models import Attendance, Session
from participants.tests.factories import ParticipantFactory
from projects.models import Indicator
from reports.narratives import generated_narratives
from reports.selectors import annual_summary, project_report, report_years, statutory_report
from reports.tests.scenario import build_2014, enrol, unlinked

pytestmark = pytest.mark.django_db

POKL = "Od mojej aktywności do aktywnej społeczności"


@pytest.fixture
def year_2014():
    return build_2014()


@pytest.fixture
def on_5_march_2014(monkeypatch):
    """Today is 05.03.2014: the 2014 reports are "as of" that day."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2014, 3, 5))


def _pokl(summary):
    return next(p for p in summary.projects if p.project.title == POKL)


# --- 2. a report counts what happened up to its date; planned hours are not delivered ---


def test_the_current_year_counts_only_what_happened_up_to_today(year_2014, on_5_march_2014):
    s = annual_summary(2014)
    assert s.as_of == date(2014, 3, 5) and s.is_partial
    # By 05.03: Anna (joined 01.02), Bartek (until his drop-out 01.03), Dorota (joined
    # 01.03), Filip (contract from 10.01), Grażyna (socially useful work from 01.03).
    # Not yet: Edward (joins 01.04), Ignacy (internship from 01.04), Halina (picnic in June).
    assert (s.served.total, s.served.women) == (5, 3)
    assert s.contracts_concluded == 1
    assert s.jobs.people.total == 0  # Dorota's job starts 01.05, Edward's 01.06
    assert s.budget.spent == 0 and s.budget.percent == Decimal("0.00")  # paid 10.03, 20.11
    assert s.budget.planned == Decimal("231895.59")  # the plan is the whole year's
    assert s.community.events == [] and s.community.care_point_sessions == 0
    pokl = _pokl(s)
    # 1 at the start (Bartek) + 2 joined (Anna, Dorota); Bartek dropped out; 2 continue.
    assert (pokl.active_at_start, pokl.started, pokl.engaged) == (1, 2, 3)
    assert (pokl.dropped_out, pokl.left_for_job, pokl.continuing) == (1, 0, 2)
    assert pokl.balance_ok
    # Of the training's 2014 sessions (04.03 and 06.03, 3,5 h each) one was held.
    assert [(r.name, r.sessions, r.hours) for r in pokl.support] == [
        ("trening kompetencji społecznych", 1, Decimal("3.50"))
    ]


def test_planned_sessions_are_not_hours_delivered(year_2014, on_5_march_2014):
    training = year_2014.pokl.activities.get()
    Attendance.objects.create(
        session=Session.objects.get(activity=training, date=date(2014, 3, 4)),
        participant=year_2014.people["Anna"],
        status="present",
    )
    report = project_report(year_2014.pokl)
    [activity] = report.activities
    # Held: 05.11.2013 and 04.03.2014 (2 × 3,5 h); 06.03.2014 is only planned.
    assert (activity.planned_hours, activity.delivered_hours) == (Decimal("24.0"), Decimal("7.00"))
    assert activity.percent == Decimal("29.17")  # 7 ÷ 24 = 29,1666… %
    assert activity.participant_hours == Decimal("3.50")
    # Spent up to 05.03.2014: only the 999,99 zł of 01.12.2013.
    assert report.execution.spent == Decimal("999.99")
    assert report.cost_per_hour == Decimal("142.86")  # 999,99 ÷ 7 = 142,855…
    # Enrolled by then: Bartek, Celina, Anna, Dorota (Edward joins 01.04).
    assert report.people.total == 4
    assert report.cost_per_participant == Decimal("250.00")  # 999,99 ÷ 4 = 249,9975
    assert report.status_counts == {
        "active": 2,  # Anna, Dorota
        "completed": 0,
        "dropped_out": 2,  # Bartek, Celina
        "left_for_job": 0,
    }
    statutory = statutory_report(2014)
    assert [(r.name, r.sessions, r.hours) for r in statutory.activities] == [
        ("trening kompetencji społecznych", 1, Decimal("3.50"))
    ]


def test_the_pages_say_as_of_and_read_as_polish(manager_client, year_2014, on_5_march_2014):
    annual = manager_client.get(reverse("reports:annual", args=[2014])).content.decode()
    assert "Stan na 05.03.2014: liczone jest tylko to, co wydarzyło się do tego dnia." in annual
    assert (
        "W 2014 roku (stan na 05.03.2014) z usług Klubu Integracji Społecznej skorzystało "
        "ogółem 5 osób, w tym 3 kobiety." in annual
    )
    assert "Nadal uczestniczący na dzień 05.03.2014" in annual
    project = manager_client.get(reverse("reports:project", args=[year_2014.pokl.pk]))
    html = unlinked(project.content.decode())
    assert "Stan na 05.03.2014" in html
    assert (
        "2 osoby uczestniczą, 0 osób ukończyło udział, 2 osoby przerwały udział, "
        "0 osób pozostaje w pracy" in html
    )
    statutory = manager_client.get(reverse("reports:statutory", args=[2014])).content.decode()
    assert "Stan na 05.03.2014" in statutory


def test_a_finished_year_is_not_as_of(manager_client, year_2014):
    s = annual_summary(2014)
    assert s.as_of == date(2014, 12, 31) and not s.is_partial
    html = manager_client.get(reverse("reports:annual", args=[2014])).content.decode()
    assert "Stan na" not in html and "Nadal uczestniczący na dzień 31.12.2014" in html


def test_future_years_are_neither_offered_nor_reported(manager_client, year_2014, on_5_march_2014):
    # A session planned for 2015 used to put 2015 on the list.
    Session.objects.create(
        activity=year_2014.pokl.activities.get(),
        date=date(2015, 1, 13),
        start_time=time(16),
        duration_hours=Decimal("3.5"),
    )
    assert report_years() == [2014, 2013]
    html = manager_client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:annual", args=[2014]) in html
    assert reverse("reports:annual", args=[2015]) not in html
    for name in ("annual", "annual_pdf", "annual_xlsx", "statutory", "statutory_pdf"):
        assert manager_client.get(reverse(f"reports:{name}", args=[2015])).status_code == 404


# --- 5. engaged includes people back from a job; the balance always holds -------------


@pytest.fixture
def returners(year_2014):
    """Two more POKL participants:
    - Leon (M): joined 01.09.2013, left for a job 10.12.2013, came back 03.02.2014;
    - Marta (F): joined 10.02.2014, left for a job 15.03, came back 02.05, left again
      01.08.2014 and is away at a job at the end of the year."""
    pokl = year_2014.pokl
    leon = ParticipantFactory(first_name="Leon", sex="M", pesel="")
    marta = ParticipantFactory(first_name="Marta", sex="F", pesel="")
    enrol(
        leon,
        pokl,
        date(2013, 9, 1),
        ("left_for_job", date(2013, 12, 10)),
        ("returned", date(2014, 2, 3)),
    )
    enrol(
        marta,
        pokl,
        date(2014, 2, 10),
        ("left_for_job", date(2014, 3, 15)),
        ("returned", date(2014, 5, 2)),
        ("left_for_job", date(2014, 8, 1)),
    )
    return year_2014


def test_engaged_includes_people_back_from_a_job_left_in_an_earlier_year(returners):
    pokl = _pokl(annual_summary(2014))
    # On 1 January: Bartek (Leon was away at his job). Joined: Anna, Dorota, Edward,
    # Marta. Back from a job left in 2013: Leon.
    assert (pokl.active_at_start, pokl.started, pokl.returned_from_earlier) == (1, 4, 1)
    assert pokl.engaged == 6
    assert pokl.engaged_women == 3  # Anna, Dorota, Marta
    # Each counts people: Bartek dropped out; Dorota, Edward and Marta left for a job
    # (Marta twice, counted once), of whom Dorota came back; Marta came back too but
    # left again. Returned after a job in 2014: Dorota, Leon, Marta.
    assert (pokl.dropped_out, pokl.left_for_job, pokl.came_back) == (1, 3, 1)
    assert (pokl.returned, pokl.completed) == (3, 0)
    # Still taking part on 31.12: Anna, Dorota, Leon.
    assert pokl.continuing == 3
    assert 6 - 1 - 3 + 1 - 0 == 3 and pokl.balance_ok
    # The year before, Leon was engaged (from 01.09) and left for a job.
    pokl_2013 = _pokl(annual_summary(2013))
    assert (pokl_2013.engaged, pokl_2013.left_for_job, pokl_2013.continuing) == (3, 1, 1)
    assert pokl_2013.balance_ok  # Bartek, Celina, Leon; Celina dropped out; Bartek goes on


def test_the_workbook_shows_the_balance(manager_client, returners):
    response = manager_client.get(reverse("reports:annual_xlsx", args=[2014]))
    sheet = load_workbook(BytesIO(response.content))["Projekty"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    assert rows["Projekt"][:8] == (
        "Zaangażowani",
        "Zaangażowane kobiety",
        "Przerwali udział",
        "Odeszli do pracy",
        "Z nich wrócili",
        "Ukończyli udział",
        "Powrócili po zakończeniu pracy",
        "Kontynuują",
    )
    # engaged, women, dropped out, left for a job, came back, completed, returned,
    # continuing, hours (2 training sessions of 3,5 h in 2014)
    assert rows[POKL] == (6, 3, 1, 3, 1, 0, 3, 3, 7)


# --- 8. the jobs indicator counts people away at a job -----------------------------------


def test_the_jobs_indicator_counts_people_away_at_a_job_once(returners):
    pokl = returners.pokl
    Indicator.objects.create(
        project=pokl, name="Podjęcie pracy", measure="jobs", unit="persons", target_total=12
    )
    [row] = project_report(pokl).indicators
    # Away at a job today: Edward (M) and Marta (F, left twice: once). Dorota and Leon
    # came back after their jobs and are not counted.
    assert (row.total, row.women, row.men) == (2, 1, 1)
    assert row.achieved_percent == Decimal("16.67")  # 2 of 12


# --- 7. Polish ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 osoba"), (2, "2 osoby"), (4, "4 osoby"), (5, "5 osób"), (12, "12 osób"),
     (22, "22 osoby"), (0, "0 osób"), (60, "60 osób")],
)  # fmt: skip
def test_polish_plural_forms(count, expected):
    with translation.override("pl"):
        text = ngettext("%(n)s dropped out", "%(n)s dropped out", count) % {"n": count}
    assert text.startswith(expected + " ")


def test_generated_paragraphs_are_polish_sentences(year_2014):
    with translation.override("pl"):
        text = generated_narratives(annual_summary(2014))
    assert text[1] == (
        "W 2014 roku z usług Klubu Integracji Społecznej skorzystało ogółem 8 osób, "
        "w tym 4 kobiety."
    )
    assert text[2] == (
        "Długotrwałą współpracą ukierunkowaną przede wszystkim na aktywizację zawodową "
        "objęte zostały 2 osoby, w tym 1 kobieta; zawarto 1 kontrakt socjalny."
    )
    assert text[3] == (
        "We współpracy z powiatowym urzędem pracy prace społecznie użyteczne wykonywała "
        "1 osoba, w tym 1 kobieta; staż odbyła 1 osoba, w tym 0 kobiet."
    )
    # One sentence per project.
    assert text[4] == (
        "W 2014 roku realizowano 2 projekty. "
        "W projekcie „Program KIS 2014-2017” udział wzięła 1 osoba, w tym 1 kobieta "
        "(od początku roku: 0, nowe osoby: 1); na dzień 31.12.2014 w projekcie "
        "uczestniczyła 1 osoba. "
        f"W projekcie „{POKL}” udział wzięły 4 osoby, w tym 2 kobiety "
        "(od początku roku: 1, nowe osoby: 3); 1 osoba przerwała udział, 2 osoby odeszły "
        "do pracy (wróciła z nich 1 osoba); na dzień 31.12.2014 w projekcie uczestniczyły "
        "2 osoby."
    )
    assert text[5] == (
        "W działaniach środowiskowych (Czerwiec Aktywnych Społeczności) wzięły udział "
        "2 osoby z rejestru Klubu oraz 120 osób spoza projektów. "
        "Punkt opieki nad osobami zależnymi był czynny 1 raz (4 godz.); 1 osoba dorosła "
        "pozostawiła pod jego opieką osoby zależne, łącznie 2 miejsca opieki (jedna osoba "
        "zależna na jednym spotkaniu)."
    )
    assert text[6] == (
        "Z zaplanowanej na 2014 rok kwoty 231\xa0895,59\xa0zł wydano 207\xa0209,61\xa0zł "
        "(89,35\xa0%)."
    )
    assert text[7] == (
        "W 2014 roku pracę na krótszy lub dłuższy okres podjęły 2 osoby, w tym 1 kobieta."
    )


def test_the_pdf_reads_as_polish(manager_client, returners):
    pdf = manager_client.get(reverse("reports:annual_pdf", args=[2014])).content
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    text = " ".join(text.replace("\xa0", " ").split())
    assert "udział wzięło 6 osób, w tym 3 kobiety" in text
    assert "powroty z pracy podjętej w poprzednich latach: 1" in text
    assert "3 osoby odeszły do pracy (wróciła z nich 1 osoba)" in text
    for wrong in ("(a)", "(ęła)", " 0 przerwało", "1 osób", "4 kobiet)"):
        assert wrong not in text, wrong


# --- query counts stay flat ----------------------------------------------------------------


def _add_people(scenario, n):
    session = Session.objects.get(activity=scenario.pokl.activities.get(), date=date(2014, 3, 4))
    for _ in range(n):
        person = ParticipantFactory()
        enrol(person, scenario.pokl, date(2014, 3, 3), ("left_for_job", date(2014, 6, 2)))
        Attendance.objects.create(session=session, participant=person, status="present")


@pytest.mark.parametrize(
    "url_name", ["reports:project", "reports:project_pdf", "dashboard", "reports:index"]
)
def test_query_counts_stay_flat(manager_client, year_2014, django_assert_max_num_queries, url_name):
    args = [year_2014.pokl.pk] if url_name.startswith("reports:project") else []
    url = reverse(url_name, args=args)
    _add_people(year_2014, 3)
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(url).status_code == 200
    _add_people(year_2014, 57)
    with django_assert_max_num_queries(len(few)):
        assert manager_client.get(url).status_code == 200
