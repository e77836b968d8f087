"""Issue 14, point 4: one-off help (short contacts) makes a person *served*, never
long-term nor engaged in a project; its contacts, people and hours are reported apart,
up to the report's date. Figures worked out by hand in scenario.add_short_contacts."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from participants.models import Attendance, Session, ShortContact
from participants.tests.factories import ParticipantFactory
from projects.tests.factories import StaffMemberFactory
from reports.narratives import generated_narratives
from reports.selectors import (
    annual_summary,
    project_report,
    statutory_report,
    year_at_a_glance,
)
from reports.tests.scenario import (
    add_care_point_sessions,
    add_short_contacts,
    build_2014,
    enrol,
    unlinked,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2014():
    year = build_2014()
    add_short_contacts(year)
    return year


@pytest.fixture
def on_5_march_2014(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2014, 3, 5))


def _pokl(summary, year):
    return next(p for p in summary.projects if p.project == year.pokl)


def _kinds(figures):
    return [(row.label, row.contacts, row.people, row.hours) for row in figures.kinds]


def test_a_person_with_only_short_contacts_is_served_but_not_long_term(year_2014):
    s = annual_summary(2014)
    # 8 of the scenario + Jolanta and Leszek; Monika's contact was in 2013.
    assert (s.served.total, s.served.women) == (10, 5)
    assert (s.long_term.total, s.long_term.women) == (2, 1)  # unchanged: Anna, Filip
    pokl = _pokl(s, year_2014)
    # Leszek's contact is recorded under POKL: he is not engaged in it.
    assert (pokl.engaged, pokl.started, pokl.continuing) == (4, 3, 2) and pokl.balance_ok
    club = next(p for p in s.projects if p.project == year_2014.club)
    assert (club.engaged, club.completed) == (1, 0)  # Anna only, as without the contacts
    help = s.short_contacts
    assert (help.contacts, help.people.total, help.people.women) == (4, 3, 1)
    assert help.hours == Decimal("4.00")  # 1 + 1,5 + 0,5 + 1
    assert _kinds(help) == [
        ("poradnictwo indywidualne", 2, 2, Decimal("2.00")),
        ("konsultacja", 1, 1, Decimal("1.50")),
        ("informacja", 1, 1, Decimal("0.50")),
    ]
    # The hours of activities do not include them.
    assert pokl.support_hours == Decimal("7.00")


def test_only_contacts_up_to_the_reports_date_count(year_2014, on_5_march_2014):
    s = annual_summary(2014)
    # By 05.03: the 5 of the scenario + Jolanta (12.02) + Leszek (03.03).
    assert (s.served.total, s.served.women) == (7, 4)
    help = s.short_contacts
    assert (help.contacts, help.people.total, help.hours) == (2, 2, Decimal("1.50"))
    report = project_report(year_2014.pokl)
    assert (report.short_contacts.contacts, report.short_contacts.hours) == (1, Decimal("0.50"))
    assert report.people.total == 4  # Bartek, Celina, Anna, Dorota: not Leszek


def test_the_project_report_keeps_them_apart(year_2014):
    report = project_report(year_2014.pokl)
    leszek = ShortContact.objects.get(project=year_2014.pokl).participant
    assert not report.project.enrolments.filter(participant=leszek).exists()
    assert report.people.total == 5  # Bartek, Celina, Anna, Dorota, Edward
    assert _kinds(report.short_contacts) == [("informacja", 1, 1, Decimal("0.50"))]
    assert report.short_contacts.people.total == 1


def test_the_statutory_report_gives_them_apart_and_the_dashboard_counts_them(year_2014):
    statutory = statutory_report(2014)
    # Participants of the club (the ministry's structure): Bartek, Anna, Dorota, Edward.
    # One-off help is not participation.
    assert (statutory.participants.total, statutory.participants.women) == (4, 2)
    help = statutory.short_contacts
    assert (help.contacts, help.people.total, help.hours) == (4, 3, Decimal("4.00"))
    # The statutory table of activities lists sessions only.
    assert [row.name for row in statutory.activities] == [
        "trening kompetencji społecznych",
        "punkt opieki nad osobami zależnymi",
    ]
    glance = year_at_a_glance(2014)
    assert (glance.served.total, glance.served.women) == (10, 5)
    # Taking part in a project now: Anna and Dorota; nobody through a short contact.
    assert glance.taking_part.total == 2


def test_the_pages_say_it_and_define_it(manager_client, year_2014):
    html = manager_client.get(reverse("reports:annual", args=[2014])).content.decode()
    html = unlinked(html)  # each figure is a link to its list
    assert "albo otrzymała krótką formę wsparcia" in html  # the definition
    assert "nigdy nie jest długotrwałą współpracą ani udziałem w projekcie" in html
    assert '<td class="money fig-served">10</td>' in html
    assert '<td class="money fig-contacts">4</td>' in html
    assert '<td class="money fig-contact-people">3</td>' in html
    assert '<td class="money fig-contact-hours">4,00</td>' in html
    statutory = manager_client.get(reverse("reports:statutory", args=[2014])).content.decode()
    statutory = unlinked(statutory)
    assert "nie jest uczestnictwem w Klubie" in statutory  # the definition
    assert '<td class="money fig-contacts">4</td>' in statutory
    project = manager_client.get(reverse("reports:project", args=[year_2014.pokl.pk]))
    assert "Krótkie formy wsparcia zapisane w projekcie" in project.content.decode()
    pdf = manager_client.get(reverse("reports:annual_pdf", args=[2014])).content
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    text = " ".join(text.replace("\xa0", " ").split())
    assert "Krótkie formy wsparcia (jednorazowe poradnictwo, konsultacje, informacja): " in text


def test_the_paragraph_reads_as_polish(year_2014):
    with translation.override("pl"):
        text = generated_narratives(annual_summary(2014))[1]
    assert text == (
        "W 2014 roku z usług Klubu Integracji Społecznej skorzystało ogółem 10 osób, "
        "w tym 5 kobiet. Krótkie formy wsparcia (jednorazowe poradnictwo, konsultacje, "
        "informacja): 4 kontakty (4 godz.), 3 osoby, w tym 1 kobieta."
    )


def test_the_workbook_has_them(manager_client, year_2014):
    response = manager_client.get(reverse("reports:annual_xlsx", args=[2014]))
    workbook = load_workbook(BytesIO(response.content))
    rows = {row[0]: row[1:] for row in workbook["Podsumowanie"].iter_rows(values_only=True)}
    assert rows["Osoby korzystające z usług Klubu"] == (10, 5, 5)
    assert rows["Krótkie formy wsparcia: osoby"] == (3, 1, 2)
    assert rows["Krótkie formy wsparcia: kontakty"][0] == 4
    kinds = list(workbook["Krótkie formy wsparcia"].iter_rows(min_row=2, values_only=True))
    assert kinds == [
        ("poradnictwo indywidualne", 2, 2, 2),
        ("konsultacja", 1, 1, 1.5),
        ("informacja", 1, 1, 0.5),
        ("Razem", 4, 3, 4),
    ]
    for name, args, sheet in (
        ("reports:statutory_xlsx", [2014], "Krótkie formy wsparcia"),
        ("reports:project_xlsx", [year_2014.pokl.pk], "Krótkie formy wsparcia"),
    ):
        book = load_workbook(BytesIO(manager_client.get(reverse(name, args=args)).content))
        rows = list(book[sheet].iter_rows(min_row=2, values_only=True))
        assert rows[-1] == (("Razem", 4, 3, 4) if "statutory" in name else ("Razem", 1, 1, 0.5))


# --- query counts stay flat --------------------------------------------------------------


def _add_people(year, n):
    """n people more: each enrolled in POKL, present at a training session, with two
    short contacts, and leaving a child at the care point."""
    session = Session.objects.get(activity=year.pokl.activities.get(), date=date(2014, 3, 4))
    care = Session.objects.get(activity__project=year.club, date=date(2014, 5, 12))
    staff = StaffMemberFactory()
    for _ in range(n):
        person = ParticipantFactory()
        enrol(person, year.pokl, date(2014, 3, 3))
        Attendance.objects.create(session=session, participant=person, status="present")
        Attendance.objects.create(session=care, participant=person, status="present", dependants=1)
        for day, kind in ((date(2014, 4, 1), "counselling"), (date(2014, 9, 1), "information")):
            ShortContact.objects.create(
                participant=person,
                date=day,
                kind=kind,
                staff=staff,
                duration_hours=Decimal("1"),
                project=year.pokl,
            )


@pytest.mark.parametrize(
    "name",
    [
        "annual",
        "annual_pdf",
        "annual_xlsx",
        "statutory",
        "statutory_pdf",
        "statutory_xlsx",
        "project",
        "project_xlsx",
        "dashboard",
    ],
)
def test_query_counts_stay_flat_with_short_contacts(manager_client, year_2014, name):
    add_care_point_sessions(year_2014)
    args = [2014] if name.startswith(("annual", "statutory")) else [year_2014.pokl.pk]
    args = [] if name == "dashboard" else args
    url = reverse(name if name == "dashboard" else f"reports:{name}", args=args)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(url).status_code == 200
        return len(queries)

    _add_people(year_2014, 3)
    few = count()
    _add_people(year_2014, 57)
    assert count() == few
