"""The report to the voivode in the ministry's structure (CAS "dane o klubach integracji
społecznej"), on a year built by hand with every answer worked out below.

2024, two projects: P1 (EU, 2023–2025) and P2 (the club's own programme).
- Anna (F): P1 since 05.2023, completed 30.06.2024 → working. Participant, finished.
- Bogdan (M, homeless, long-term unemployed): P1 from 01.02.2024, left for his own
  business 01.09.2024. Started, finished (own business).
- Celina (F, disabled): P1 from 01.03.2024, dropped out 10.05.2024. Started, dropped out.
- Danuta (F, no group): P2 from 01.04.2024, still taking part; internship 05–07.2024.
- Edward (M): P1 from 03.2023, left for a job 10.2023, came back 15.02.2024. Participant,
  not started (his enrolment is from 2023).
- Feliks (M): P2 since 2023 (active on 1 January), P1 from 01.11.2024. Not started.
- Gabriela (F): P1 from 10.01.2025: not in 2024.
- Henryk (M): P2, completed 20.12.2023: not in 2024.
- Irena (F, long-term unemployed): P1 15.01–01.12.2024 completed, and P2 from 01.02.2024,
  still taking part: started, not finished.
- Jerzy (M, disabled): P1 from 01.02.2024, completed 01.10.2024, situation not recorded.
Participants 8 (4 women): Anna, Bogdan, Celina, Danuta, Edward, Feliks, Irena, Jerzy.
Started 5 (3 women): Bogdan, Celina, Danuta, Irena, Jerzy. Groups: homeless 1 (0 women),
long-term unemployed 2 (1), disabled 2 (1), other 1 (1).
Finished 3 (1 woman): Anna working, Bogdan own business, Jerzy not recorded; found work 2.
Dropped out 1 (Celina).
Social reintegration (social skills training, present 2024): Bogdan, Celina → 2 (1).
Vocational: the vocational course (present 04.06.2024: Anna, Jerzy; Edward present only
in 2023) and the internship (Danuta) → 3 (2 women).
Staff: employment 1 woman 40 h (1,00 FTE); mandate 1 man + 1 of unknown sex, 15 h
(0,38 FTE); total 3, 55 h, 1,38 FTE (1,375 rounded half up). Volunteers: 1 woman, 4 h.
Funding 2024: EU 1 000,00, state 300,00, municipality 250,50 (a 2023 cost left out).
Grants: P1 planned 2 000,00, spent 1 250,50 → 62,53 % (62,525 half up); P2 500,00 / 300,00.
"""

from datetime import date, time
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from participants.models import (
    Activity,
    ActivityParticipant,
    Attendance,
    Employment,
    Placement,
    Session,
)
from participants.services.people import enrolment_leave_for_job
from participants.tests.factories import ParticipantFactory, reason
from participants.tests.support_factories import support_form
from projects.models import BudgetLine, Expenditure, Project, StaffMember
from projects.tests.factories import ProjectFactory, category
from reports.selectors import statutory_report
from reports.tests.scenario import enrol

pytestmark = pytest.mark.django_db

F, M = "F", "M"


def person(name: str, sex: str, *groups: str):
    p = ParticipantFactory(first_name=name, sex=sex, pesel="", birth_date=date(1980, 1, 1))
    for code in groups:
        p.groups.add(group_by_code(code))
    return p


def group_by_code(code: str):
    from participants.models import ExclusionGroup

    return ExclusionGroup.objects.get(code=code)


def exit_with(enrolment, kind: str, day: date, situation: str = "", why: str = ""):
    """An exit recorded as the card records it (the situation with the event)."""
    event = enrolment.events.create(
        kind=kind, date=day, situation=situation, reason=reason(why) if why else None
    )
    enrolment.status, enrolment.status_date, enrolment.end_date = kind, day, day
    enrolment.save()
    return event


def session(activity, day: date, hours: str, present=(), absent=()):
    s = Session.objects.create(
        activity=activity, date=day, start_time=time(10), duration_hours=Decimal(hours)
    )
    for p in present:
        Attendance.objects.create(session=s, participant=p, status="present")
    for p in absent:
        Attendance.objects.create(session=s, participant=p, status="absent")
    return s


@pytest.fixture
def year_2024():
    p1 = ProjectFactory(
        title="Aktywni razem", start_date=date(2023, 1, 1), end_date=date(2025, 12, 31)
    )
    p2 = Project.objects.create(
        title="Program KIS",
        is_club_programme=True,
        start_date=date(2020, 1, 1),
        end_date=date(2030, 12, 31),
        total_value=Decimal("10000"),
        own_contribution=Decimal("10000"),
    )
    people = {}
    people["Anna"] = a = person("Anna", F)
    exit_with(enrol(a, p1, date(2023, 5, 1)), "completed", date(2024, 6, 30), "employed")
    people["Bogdan"] = b = person("Bogdan", M, "homeless", "long_term_unemployed")
    enrolment_leave_for_job(
        enrolment=enrol(b, p1, date(2024, 2, 1)),
        recorded_by=None,
        start_date=date(2024, 9, 1),
        employer="Usługi remontowe B.",
        contract=Employment.Contract.SELF_EMPLOYMENT,
    )
    people["Celina"] = c = person("Celina", F, "disabled")
    exit_with(enrol(c, p1, date(2024, 3, 1)), "dropped_out", date(2024, 5, 10), "", "other")
    people["Danuta"] = d = person("Danuta", F)
    enrol(d, p2, date(2024, 4, 1))
    Placement.objects.create(
        kind="internship",
        participant=d,
        employer_name="Sklep",
        start_date=date(2024, 5, 1),
        end_date=date(2024, 7, 31),
        hours_per_month=Decimal("160"),
    )
    people["Edward"] = e = person("Edward", M)
    enrol(
        e,
        p1,
        date(2023, 3, 1),
        ("left_for_job", date(2023, 10, 1)),
        ("returned", date(2024, 2, 15)),
    )
    people["Feliks"] = f = person("Feliks", M)
    enrol(f, p2, date(2023, 6, 1))
    enrol(f, p1, date(2024, 11, 1))
    Placement.objects.create(
        kind="psu",
        participant=f,
        employer_name="Gmina",
        start_date=date(2023, 1, 1),
        end_date=date(2023, 6, 30),
        hours_per_month=Decimal("40"),
    )
    enrol(person("Gabriela", F), p1, date(2025, 1, 10))
    exit_with(enrol(person("Henryk", M), p2, date(2023, 1, 2)), "completed", date(2023, 12, 20))
    people["Irena"] = i = person("Irena", F, "long_term_unemployed")
    exit_with(enrol(i, p1, date(2024, 1, 15)), "completed", date(2024, 12, 1))
    enrol(i, p2, date(2024, 2, 1))
    people["Jerzy"] = j = person("Jerzy", M, "disabled")
    exit_with(enrol(j, p1, date(2024, 2, 1)), "completed", date(2024, 10, 1))

    social = Activity.objects.create(
        project=p1,
        support_form=support_form("trening kompetencji społecznych"),
        name="Trening",
        planned_hours=Decimal("10"),
        start_date=date(2024, 3, 1),
        end_date=date(2024, 4, 30),
    )
    session(social, date(2024, 3, 5), "2", present=[b, c], absent=[d])
    session(social, date(2024, 3, 12), "2", present=[c])
    course = Activity.objects.create(
        project=p1,
        support_form=support_form("szkolenie zawodowe / kurs"),
        name="Kurs",
        planned_hours=Decimal("20"),
        start_date=date(2023, 11, 1),
        end_date=date(2024, 6, 30),
    )
    session(course, date(2023, 12, 1), "4", present=[e])
    session(course, date(2024, 6, 4), "4", present=[a, j])
    ActivityParticipant.objects.create(
        activity=course, participant=a, completed_on=date(2024, 6, 4)
    )

    for first, sex, kind, hours, since, until, active in (
        ("Wanda", F, "employment", "40", None, None, True),
        ("Witold", M, "mandate", "10", date(2024, 6, 1), None, True),
        ("Wiesława", F, "employment", "20", None, date(2023, 12, 31), False),
        ("Wacław", M, "specific_work", "8", date(2025, 1, 1), None, True),
        ("Weronika", F, "volunteer", "4", None, None, True),
        ("Wiktor", M, "volunteer", "2", None, None, False),
        ("Wojtek", "", "mandate", "5", None, None, True),
    ):
        StaffMember.objects.create(
            first_name=first,
            last_name="Kadrowa",
            sex=sex,
            role="volunteer" if kind == "volunteer" else "trainer",
            employment_type=kind,
            hours_per_week=Decimal(hours),
            works_since=since,
            works_until=until,
            is_active=active,
        )
    for project, day, amount, source in (
        (p1, date(2024, 3, 1), "1000.00", "eu"),
        (p1, date(2024, 11, 30), "250.50", "municipality"),
        (p1, date(2023, 12, 31), "99.99", "eu"),
        (p2, date(2024, 5, 5), "300.00", "state"),
    ):
        Expenditure.objects.create(
            project=project, category=category(1), date=day, amount=Decimal(amount), source=source
        )
    BudgetLine.objects.create(project=p1, category=category(1), year=2024, planned_amount=2000)
    BudgetLine.objects.create(project=p2, category=category(1), year=2024, planned_amount=500)
    return {"p1": p1, "p2": p2, "people": people}


def people(row) -> tuple[int, int, int]:
    return (row.total, row.women, row.men)


def test_figures_on_a_year_built_by_hand(year_2024):
    r = statutory_report(2024)
    assert [(row.label, row.amount) for row in r.funding] == [
        ("UE", Decimal("1000.00")),
        ("budżet państwa", Decimal("300.00")),
        ("gmina", Decimal("250.50")),
        ("PFRON", Decimal("0")),
        ("inne", Decimal("0")),
    ]
    assert r.funding_total == Decimal("1550.50")
    staff = {
        row.label: (row.people.women, row.people.men, row.people.unknown, row.hours, row.fte)
        for row in r.staff
    }
    assert staff == {
        "umowa o pracę": (1, 0, 0, Decimal("40"), Decimal("1.00")),
        "umowa zlecenie": (0, 1, 1, Decimal("15"), Decimal("0.38")),
    }
    total = r.staff_total
    assert (total.people.total, total.hours, total.fte) == (3, Decimal("55"), Decimal("1.38"))
    assert (r.volunteers.people.women, r.volunteers.people.men, r.volunteers.hours) == (
        1,
        0,
        Decimal("4"),
    )

    started = {row.name: people(row.people) for row in r.started}
    assert started["osoby bezdomne realizujące indywidualny program wychodzenia z bezdomności"] == (
        1,
        0,
        1,
    )
    assert started["osoby długotrwale bezrobotne"] == (2, 1, 1)
    assert started["osoby niepełnosprawne"] == (2, 1, 1)
    assert started["pozostali uczestnicy (spoza tych grup)"] == (1, 1, 0)
    assert sum(total for total, _w, _m in started.values()) == 6  # Bogdan is in two groups
    assert len(started) == 9  # the eight groups of art. 1(2) and "other"
    assert people(r.started_total) == (5, 3, 2)
    assert people(r.participants) == (8, 4, 4)

    finished = {row.name: people(row.people) for row in r.finished if row.people.total}
    assert finished == {
        "pracuje (zatrudnienie)": (1, 1, 0),
        "prowadzi własną działalność gospodarczą": (1, 0, 1),
        "sytuacja nieodnotowana": (1, 0, 1),
    }
    assert people(r.finished_total) == (3, 1, 2)
    assert people(r.finished_working) == (2, 1, 1)
    assert people(r.dropped_out) == (1, 1, 0)

    social = {row.name: people(row.people) for row in r.social if row.people.total}
    assert social == {"trening kompetencji społecznych": (2, 1, 1)}
    assert people(r.social_total) == (2, 1, 1)
    vocational = {row.name: people(row.people) for row in r.vocational if row.people.total}
    assert vocational == {"szkolenie zawodowe / kurs": (2, 1, 1), "staż zawodowy": (1, 1, 0)}
    assert people(r.vocational_total) == (3, 2, 1)

    assert [(row.name, row.sessions, row.hours) for row in r.activities] == [
        ("trening kompetencji społecznych", 2, Decimal("4.00")),
        ("szkolenie zawodowe / kurs", 1, Decimal("4.00")),
    ]
    assert r.completions == 1
    grants = {g.project.title: (g.planned, g.spent, g.percent) for g in r.grants}
    assert grants == {
        "Program KIS": (Decimal("500"), Decimal("300.00"), Decimal("60.00")),
        "Aktywni razem": (Decimal("2000"), Decimal("1250.50"), Decimal("62.53")),
    }


def test_only_what_happened_up_to_the_report_date(year_2024, monkeypatch):
    """On 31.05.2024 Anna, Bogdan and Jerzy had not finished, Celina had dropped out."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2024, 5, 31))
    r = statutory_report(2024)
    assert r.is_partial and r.as_of == date(2024, 5, 31)
    assert people(r.finished_total) == (0, 0, 0)
    assert people(r.dropped_out) == (1, 1, 0)
    # Witold starts in June; the internship began on 1 May.
    assert r.staff_total.people.total == 2
    assert people(r.vocational_total) == (1, 1, 0)
    assert r.funding_total == Decimal("1300.00")


def test_page_pdf_and_workbook_hold_the_figures(manager_client, year_2024):
    html = manager_client.get(reverse("reports:statutory", args=[2024])).content.decode()
    assert "1. Źródła finansowania" in html and "8. Uczestnicy objęci reintegracją zawodową" in html
    assert "1\xa0550,50\xa0zł" in html and "62,53\xa0%" in html
    assert "pozostali uczestnicy (spoza tych grup)" in html
    # Each figure is defined in words on the page.
    assert "Rozpoczęli w roku: osoby, które rozpoczęły udział w roku, a 1 stycznia" in html

    pdf = manager_client.get(reverse("reports:statutory_pdf", args=[2024]))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "art. 18a ust. 6" in text and "62,53" in text

    response = manager_client.get(reverse("reports:statutory_xlsx", args=[2024]))
    assert response["Content-Disposition"] == 'attachment; filename="sprawozdanie-kis-2024.xlsx"'
    assert "no-store" in response["Cache-Control"]
    book = load_workbook(BytesIO(response.content))
    funding = list(book["1. Źródła finansowania"].iter_rows(min_row=2, values_only=True))
    assert funding == [
        ("UE", 1000),
        ("budżet państwa", 300),
        ("gmina", 250.5),
        ("PFRON", 0),
        ("inne", 0),
        ("Razem", 1550.5),
    ]
    assert book["1. Źródła finansowania"]["B2"].number_format == '#,##0.00 "zł"'
    staff = list(book["2. Kadra"].iter_rows(min_row=2, values_only=True))
    assert staff[-1] == ("Razem", 3, 1, 1, 55, 1.38)
    assert list(book["3. Wolontariusze"].iter_rows(min_row=2, values_only=True)) == [(1, 1, 0, 4)]
    started = {
        row[0]: row[1:]
        for row in book["4. Rozpoczęli, wg grup"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert started["osoby długotrwale bezrobotne"] == (2, 1, 1)
    assert started["Osoby, które rozpoczęły (każda raz)"] == (5, 3, 2)
    finished = {
        row[0]: row[1:]
        for row in book["6. Zakończyli, wg sytuacji"].iter_rows(min_row=2, values_only=True)
        if row[0] and row[1] is not None
    }
    assert finished["Osoby, które zakończyły"] == (3, 1, 2)
    assert book["5. Wszyscy uczestnicy"]["A2"].value == 8
    vocational = list(book["8. Reintegracja zawodowa"].iter_rows(min_row=2, values_only=True))
    assert ("staż zawodowy", 1, 1, 0) in vocational and vocational[-1] == (
        "Osoby (każda raz)",
        3,
        2,
        1,
    )
    grants = list(book["10. Dotacje"].iter_rows(min_row=2, values_only=True))
    assert grants == [
        ("Program KIS", None, None, 500, 300, 60),
        (
            "Aktywni razem",
            year_2024["p1"].number,
            str(year_2024["p1"].programme),
            2000,
            1250.5,
            62.53,
        ),
        ("Razem", None, None, 2500, 1550.5, None),
    ]
    assert book["Definicje"]["A2"].value.startswith("Uczestnicy:")


def test_query_count_does_not_grow_with_people():
    """The same number of queries for 3 people as for 60."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = ProjectFactory(start_date=date(2023, 1, 1), end_date=date(2025, 12, 31))
    course = Activity.objects.create(
        project=project,
        support_form=support_form("szkolenie zawodowe / kurs"),
        name="Kurs",
        planned_hours=Decimal("20"),
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
    )
    s = session(course, date(2024, 6, 4), "4")

    def add(first: int, last: int) -> None:
        for n in range(first, last):
            p = person(f"Osoba{n}", F if n % 2 else M, "long_term_unemployed")
            enrolment = enrol(p, project, date(2024, 2, 1))
            if n % 3 == 0:
                exit_with(enrolment, "completed", date(2024, 10, 1), "employed")
            Attendance.objects.create(session=s, participant=p, status="present")

    counts = []
    for first, last in ((0, 3), (3, 60)):
        add(first, last)
        with CaptureQueriesContext(connection) as queries:
            report = statutory_report(2024)
        assert report.started_total.total == last
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20, counts


def test_who_may_open_it(client, caseworker_client, manager_client, year_2024):
    for name in ("reports:statutory", "reports:statutory_pdf", "reports:statutory_xlsx"):
        url = reverse(name, args=[2024])
        assert client.get(url).status_code == 302
        assert caseworker_client.get(url).status_code == 403
        assert manager_client.get(url).status_code == 200


def test_the_download_is_logged(manager_client, manager, year_2024):
    from kis.models import AccessLog

    manager_client.get(reverse("reports:statutory_xlsx", args=[2024]))
    entry = AccessLog.objects.get(action="export")
    assert entry.user == manager and "2024" in entry.what
