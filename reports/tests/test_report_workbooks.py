"""The project report's workbook holds the figures of its page; report downloads are
logged; user text in them stays text."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kis.models import AccessLog
from reports.tests.test_project_and_statutory import year_2014  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_project_workbook_holds_the_page_figures(manager_client, manager, year_2014):  # noqa: F811
    pokl = year_2014.pokl
    html = manager_client.get(reverse("reports:project", args=[pokl.pk])).content.decode()
    assert reverse("reports:project_xlsx", args=[pokl.pk]) in html
    response = manager_client.get(reverse("reports:project_xlsx", args=[pokl.pk]))
    assert (
        response["Content-Disposition"] == f'attachment; filename="raport-projektu-{pokl.pk}.xlsx"'
    )
    book = load_workbook(BytesIO(response.content))
    figures = {
        row[0]: row[1] for row in book["Projekt"].iter_rows(min_row=2, values_only=True) if row[0]
    }
    assert figures["Numer projektu"] == "POKL.07.01.01-12-001/13"
    assert (figures["Uczestnicy"], figures["Kobiety"], figures["Mężczyźni"]) == (5, 3, 2)
    assert book["Projekt"]["B7"].number_format == '#,##0.00 "zł"'
    assert book["Projekt"]["B5"].number_format == "DD.MM.YYYY"
    indicators = {row[0]: row for row in book["Wskaźniki"].iter_rows(min_row=2, values_only=True)}
    assert indicators["Uczestnicy z IPD"][3:6] == (40, 66.67, 0)  # as on the page: 66,67
    assert indicators["Rezultat miękki: motywacja"][3] is None
    support = list(book["Zrealizowane wsparcie"].iter_rows(min_row=2, values_only=True))
    assert support[0][2:6] == (2, 24, 10.5, 43.75)
    assert support[-1][4] == 10.5
    costs = {
        row[0]: row[1] for row in book["Koszt wsparcia"].iter_rows(min_row=2, values_only=True)
    }
    assert costs["Dotychczasowe wydatki"] == pytest.approx(208209.60)
    assert AccessLog.objects.filter(
        action="export", user=manager, what__contains="project"
    ).exists()


def test_project_title_is_text(manager_client, year_2014):  # noqa: F811
    pokl = year_2014.pokl
    pokl.title = '=HYPERLINK("http://x.example","click")'
    pokl.save()
    content = manager_client.get(reverse("reports:project_xlsx", args=[pokl.pk])).content
    cell = load_workbook(BytesIO(content))["Projekt"]["B2"]
    assert cell.value == pokl.title and cell.data_type == "s" and cell.quotePrefix


def test_report_downloads_need_the_reports_permission(client, caseworker_client, year_2014):  # noqa: F811
    url = reverse("reports:project_xlsx", args=[year_2014.pokl.pk])
    assert client.get(url).status_code == 302
    assert caseworker_client.get(url).status_code == 403


def test_annual_download_is_logged(manager_client, manager, year_2014):  # noqa: F811
    response = manager_client.get(reverse("reports:annual_xlsx", args=[2014]))
    assert response.status_code == 200
    assert AccessLog.objects.get(action="export", user=manager).what == "annual summary 2014 (XLSX)"
    book = load_workbook(BytesIO(response.content))
    assert book["Działania środowiskowe"]["A2"].number_format == "DD.MM.YYYY"
    assert book["Podsumowanie"].freeze_panes == "A2"
