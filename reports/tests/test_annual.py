"""Every figure of the annual summary against the 2014 scenario's known answers."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from participants.models import Attendance, Enrolment, EnrolmentEvent, Session
from participants.tests.factories import ParticipantFactory
from reports.models import AnnualNarrative
from reports.selectors import annual_summary
from reports.tests.scenario import build_2014

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2014():
    return build_2014()


def test_people_served_and_long_term(year_2014):
    s = annual_summary(2014)
    assert (s.served.total, s.served.women) == (8, 4)  # Anna counts once for two projects
    assert (s.long_term.total, s.long_term.women) == (2, 1)
    assert s.contracts_concluded == 1


def test_supported_employment(year_2014):
    psu, internship = (
        next(p for p in annual_summary(2014).placements if p.kind == k)
        for k in ("psu", "internship")
    )
    assert (psu.people.total, psu.people.women, psu.aged_50_plus, psu.single_parents) == (
        1,
        1,
        1,
        1,
    )
    assert (internship.people.total, internship.people.women, internship.aged_50_plus) == (1, 0, 0)


def test_project_flows_add_up(year_2014):
    projects = {p.project.title: p for p in annual_summary(2014).projects}
    pokl = projects["Od mojej aktywności do aktywnej społeczności"]
    assert (pokl.active_at_start, pokl.started, pokl.engaged) == (1, 3, 4)
    assert (pokl.dropped_out, pokl.left_for_job, pokl.returned, pokl.completed) == (1, 2, 1, 0)
    assert (pokl.returned_from_earlier, pokl.came_back) == (0, 1)  # Dorota came back
    assert pokl.continuing == 2 and pokl.balance_ok
    assert pokl.engaged_women == 2  # Anna and Dorota; Celina left in 2013
    assert pokl.dropout_reasons == [("ciąg alkoholowy", 1)]
    assert [(r.name, r.sessions, r.hours) for r in pokl.support] == [
        ("trening kompetencji społecznych", 2, Decimal("7.00"))
    ]
    club = projects["Program KIS 2014-2017"]
    assert (club.active_at_start, club.started, club.completed, club.continuing) == (0, 1, 0, 1)


def test_community_and_care_point(year_2014):
    c = annual_summary(2014).community
    assert [e.name for e in c.events] == ["Czerwiec Aktywnych Społeczności"]
    assert (c.registry_people, c.outside_people) == (2, 120)
    assert (c.care_point_sessions, c.care_point_hours, c.care_point_people) == (
        1,
        Decimal("4.00"),
        1,
    )
    assert c.care_point_places == 2  # Anna's two children, once


def test_budget_of_the_year(year_2014):
    b = annual_summary(2014).budget
    assert b.spent == Decimal("207209.61")  # the 2013 expenditure is not counted
    assert b.planned == Decimal("231895.59")
    assert b.percent == Decimal("89.35")
    assert [row.spent for row in b.categories] == [
        Decimal(x) for x in ("53074.15", "46823.15", "29171.62", "31329.09", "29672.55", "17139.05")
    ]
    assert sum(row.spent for row in b.sources) == Decimal("207209.61")


def test_jobs(year_2014):
    jobs = annual_summary(2014).jobs
    assert (jobs.people.total, jobs.people.women, jobs.short_term, jobs.long_term) == (2, 1, 1, 1)


def test_previous_year_is_separate(year_2014):
    s = annual_summary(2013)
    pokl = next(p for p in s.projects if p.project.number)
    assert (pokl.started, pokl.dropped_out, pokl.continuing) == (2, 1, 1)  # Bartek continues
    assert s.served.total == 3  # Bartek, Celina, Karol


def test_women_are_counted_by_sex_not_by_name(year_2014):
    # "Anna" is a woman's name, but the record says man: the record counts.
    anna = year_2014.people["Anna"]
    anna.sex = "M"
    anna.save()
    assert annual_summary(2014).served.women == 3


def test_empty_year_is_an_empty_report(manager_client):
    s = annual_summary(2005)
    assert s.is_empty and s.served.total == 0 and s.projects == [] and s.budget.percent is None
    html = manager_client.get(reverse("reports:annual", args=[2005])).content.decode()
    assert "Brak danych za 2005 rok" in html
    pdf = manager_client.get(reverse("reports:annual_pdf", args=[2005]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_page_pdf_and_excel_show_the_figures(manager_client, year_2014):
    html = manager_client.get(reverse("reports:annual", args=[2014])).content.decode()
    for figure in (
        "207\xa0209,61\xa0zł",
        "231\xa0895,59\xa0zł",
        "89,35\xa0%",
        "Czerwiec Aktywnych Społeczności",
    ):
        assert figure in html
    assert "skorzystało ogółem 8 osób, w tym 4 kobiety." in html  # the generated paragraph
    response = manager_client.get(reverse("reports:annual_pdf", args=[2014]))
    assert response["Content-Disposition"] == 'attachment; filename="podsumowanie-kis-2014.pdf"'
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = text.replace("\xa0", " ")
    for figure in (
        "207 209,61 zł",
        "89,35 %",
        "Osoby korzystające z usług Klubu",
        "ciąg alkoholowy",
    ):
        assert figure in text
    assert "csrfmiddlewaretoken" not in text and "Zapisz akapit" not in text
    workbook = load_workbook(
        BytesIO(manager_client.get(reverse("reports:annual_xlsx", args=[2014])).content)
    )
    summary = [[c.value for c in row] for row in workbook["Podsumowanie"].iter_rows()]
    assert ["Osoby korzystające z usług Klubu", 8, 4, 4] in summary
    total = next(row for row in workbook["Budżet"].iter_rows(values_only=True) if row[0] == "Razem")
    assert [Decimal(str(v)) for v in total[1:]] == [
        Decimal("231895.59"),
        Decimal("207209.61"),
        Decimal("89.35"),
    ]
    assert workbook["Budżet"]["B2"].number_format == '#,##0.00 "zł"'


def test_manager_edits_a_paragraph(manager_client, manager, year_2014):
    url = reverse("reports:narrative_update", args=[2014, 1])
    response = manager_client.post(url, {"text": "W 2014 roku Klub był otwarty dla wszystkich."})
    assert response.status_code == 302 and response.url.endswith("#section-1")
    assert AnnualNarrative.objects.get(year=2014, section=1).updated_by == manager
    html = manager_client.get(reverse("reports:annual", args=[2014])).content.decode()
    assert "W 2014 roku Klub był otwarty dla wszystkich." in html
    assert "skorzystało ogółem 8 osób" not in html
    pdf = manager_client.get(reverse("reports:annual_pdf", args=[2014])).content
    assert "otwarty dla wszystkich" in PdfReader(BytesIO(pdf)).pages[0].extract_text()
    manager_client.post(url, {"text": "  "})  # empty: back to the generated text
    assert not AnnualNarrative.objects.exists()


def test_caseworkers_and_anonymous_are_refused(client, caseworker_client, year_2014):
    urls = [
        reverse("reports:index"),
        reverse("reports:annual", args=[2014]),
        reverse("reports:annual_pdf", args=[2014]),
        reverse("reports:annual_xlsx", args=[2014]),
        reverse("reports:statutory", args=[2014]),
        reverse("reports:project", args=[year_2014.pokl.pk]),
    ]
    for url in urls:
        assert caseworker_client.get(url).status_code == 403, url
    assert (
        caseworker_client.post(
            reverse("reports:narrative_update", args=[2014, 1]), {"text": "x"}
        ).status_code
        == 403
    )
    assert not AnnualNarrative.objects.exists()
    caseworker_client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def _add_people(year_2014, n):
    session = Session.objects.filter(date__year=2014).first()
    for _ in range(n):
        person = ParticipantFactory()
        enrolment = Enrolment.objects.create(
            participant=person,
            project=year_2014.pokl,
            start_date=date(2014, 3, 3),
            status_date=date(2014, 3, 3),
        )
        EnrolmentEvent.objects.create(enrolment=enrolment, kind="started", date=date(2014, 3, 3))
        Attendance.objects.create(session=session, participant=person, status="present")


@pytest.mark.parametrize("name", ["annual", "annual_pdf", "annual_xlsx", "statutory"])
def test_query_count_does_not_depend_on_the_number_of_people(manager_client, year_2014, name):
    url = reverse(f"reports:{name}", args=[2014])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert manager_client.get(url).status_code == 200
        return len(ctx)

    _add_people(year_2014, 3)
    few = count()
    _add_people(year_2014, 57)
    assert count() == few
    assert annual_summary(2014).served.total == 68
