"""Issued reports (issue 19): "Wydaj / wyślij" freezes the PDF, the workbook, the figures
with their records and the narrative; the files and the checksum stay as they were when
the data change; the comparison names the changed figures and the records behind the
change; nobody can change or delete an issued report (views, admin, services, the
database); the dashboard shows the report to the voivode until it is issued."""

import hashlib
import json
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from participants.models import ShortContact
from participants.tests.factories import ParticipantFactory
from projects.models import Expenditure
from projects.tests.factories import StaffMemberFactory
from reports.issuing import report_issue
from reports.models import IssuedReport, IssuedReportFrozen
from reports.tests.scenario import build_2014

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2014():
    return build_2014()


@pytest.fixture
def issued(manager_client, year_2014) -> IssuedReport:
    response = manager_client.post(
        reverse("reports:issue"), {"kind": "annual", "year": "2014", "note": "Do burmistrza"}
    )
    report = IssuedReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:issued_detail", args=[report.pk])
    return report


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_issuing_freezes_the_files_figures_and_narrative(manager_client, manager, issued):
    assert issued.issued_by == manager and issued.note == "Do burmistrza"
    assert bytes(issued.pdf).startswith(b"%PDF") and bytes(issued.xlsx).startswith(b"PK")
    assert issued.pdf_sha256 == hashlib.sha256(bytes(issued.pdf)).hexdigest()
    data = json.loads(issued.data)
    served = next(
        f for f in data["figures"] if f["key"] == "annual.served" and not f["params"].get("part")
    )
    assert served["value"] == 8 and len(served["ids"]) == 8
    assert data["narrative"][0]["section"] == 1 and data["narrative"][0]["text"]
    # The checksum is the SHA-256 of the data as downloaded, and is on every page.
    downloaded = manager_client.get(reverse("reports:issued_file", args=[issued.pk, "json"]))
    assert hashlib.sha256(downloaded.content).hexdigest() == issued.checksum
    pdf = manager_client.get(reverse("reports:issued_file", args=[issued.pk, "pdf"])).content
    assert pdf == bytes(issued.pdf)
    pages = PdfReader(BytesIO(pdf)).pages
    assert all(issued.checksum in page.extract_text().replace("\n", "") for page in pages)
    page = manager_client.get(reverse("reports:issued_detail", args=[issued.pk])).content.decode()
    assert issued.checksum in page and "Pobierz dane (JSON)" in page


def test_files_and_checksum_stay_when_the_data_change(manager_client, year_2014, issued):
    pdf, xlsx, data, checksum = bytes(issued.pdf), bytes(issued.xlsx), issued.data, issued.checksum
    # A late entry: one-off help for a new person in 2014, and a cost corrected.
    late = ParticipantFactory(first_name="Spóźniona", last_name="Wpisana", sex="F", pesel="")
    ShortContact.objects.create(
        participant=late,
        date=date(2014, 6, 1),
        kind=ShortContact.Kind.INFORMATION,
        staff=StaffMemberFactory(),
        duration_hours=Decimal("1"),
    )
    cost = Expenditure.objects.filter(date__year=2014).order_by("pk").first()
    Expenditure.objects.filter(pk=cost.pk).update(amount=cost.amount + Decimal("100"))
    again = IssuedReport.objects.get(pk=issued.pk)
    assert (bytes(again.pdf), bytes(again.xlsx), again.data, again.checksum) == (
        pdf,
        xlsx,
        data,
        checksum,
    )
    for extension, content in (("pdf", pdf), ("xlsx", xlsx), ("json", data.encode())):
        url = reverse("reports:issued_file", args=[issued.pk, extension])
        assert manager_client.get(url).content == content

    page = manager_client.get(reverse("reports:issued_compare", args=[issued.pk])).content.decode()
    # Served 8 → 9 (the late person named), women 4 → 5; spending changed by the cost.
    assert 'data-figure="annual.served"' in page and late.full_name in page
    assert 'data-figure="annual.contacts"' in page and 'data-figure="annual.spent"' in page
    assert "kwota zmieniona" in page
    assert 'data-figure="annual.long_term"' not in page  # unchanged figures are not listed
    # The people named are in the access log, like a card read.
    from kis.models import AccessLog

    read = AccessLog.objects.get(participant=late, action=AccessLog.Action.VIEW)
    assert read.what == f"issued report {issued.pk} compared"
    # The issued report's pages only read.
    detail = reverse("reports:issued_detail", args=[issued.pk])
    assert manager_client.post(detail, {"note": "x"}).status_code == 405


def test_a_correction_names_the_issue_it_corrects(manager_client, issued, year_2014):
    response = manager_client.post(
        reverse("reports:issue"), {"kind": "annual", "year": "2014", "corrects": issued.pk}
    )
    correction = IssuedReport.objects.exclude(pk=issued.pk).get()
    assert response.status_code == 302 and correction.corrects == issued
    assert "Korekta sprawozdania wydanego" in _pdf_text(bytes(correction.pdf))
    page = manager_client.get(reverse("reports:issued_detail", args=[issued.pk])).content.decode()
    assert reverse("reports:issued_detail", args=[correction.pk]) in page
    # A correction of another report is refused by the service.
    with pytest.raises(ValidationError):
        report_issue(kind="statutory", year=2014, user=None, corrects=issued)


def test_issued_reports_cannot_be_changed_or_deleted(issued, administrator_client):
    issued.note = "zmiana"
    with pytest.raises(IssuedReportFrozen):
        issued.save()
    with pytest.raises(IssuedReportFrozen):
        issued.delete()
    with pytest.raises(IssuedReportFrozen):
        IssuedReport.objects.filter(pk=issued.pk).update(note="zmiana")
    with pytest.raises(IssuedReportFrozen):
        IssuedReport.objects.all().delete()
    # The database refuses it too, whatever the door.
    for statement in (
        "UPDATE reports_issuedreport SET note = 'x'",
        "DELETE FROM reports_issuedreport",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    # Admin shows it read-only: no change, no delete, even for an administrator.
    change = reverse("admin:reports_issuedreport_change", args=[issued.pk])
    page = administrator_client.get(change)
    assert page.status_code == 200 and 'name="note"' not in page.content.decode()
    assert administrator_client.post(change, {"note": "x"}).status_code == 403
    delete = reverse("admin:reports_issuedreport_delete", args=[issued.pk])
    assert administrator_client.post(delete, {"post": "yes"}).status_code == 403
    assert IssuedReport.objects.get().note == "Do burmistrza"


def test_the_issued_reports_are_listed_per_year(manager_client, issued):
    page = manager_client.get(reverse("reports:issued_list")).content.decode()
    assert "2014" in page and "Podsumowanie roczne" in page
    assert reverse("reports:issued_detail", args=[issued.pk]) in page


def test_wrong_users_are_refused(client, caseworker, caseworker_client, issued):
    for url in (
        reverse("reports:issued_list"),
        reverse("reports:issued_detail", args=[issued.pk]),
        reverse("reports:issued_compare", args=[issued.pk]),
        reverse("reports:issued_file", args=[issued.pk, "pdf"]),
        reverse("reports:issue") + "?kind=annual&year=2014",
    ):
        assert caseworker_client.get(url).status_code == 403, url
        assert client.get(url).status_code == 302, url
    with pytest.raises(PermissionDenied):
        report_issue(kind="annual", year=2014, user=caseworker)


def test_the_statutory_report_and_its_deadline_are_on_the_dashboard_until_issued(
    manager_client, year_2014, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2015, 3, 20))
    page = manager_client.get(reverse("dashboard")).content.decode()
    assert "Sprawozdanie dla wojewody za 2014" in page and "31.03.2015" in page
    assert "11 dni" in page
    manager_client.post(reverse("reports:issue"), {"kind": "statutory", "year": "2014"})
    page = manager_client.get(reverse("dashboard")).content.decode()
    assert "Sprawozdanie dla wojewody za 2014" not in page


def test_a_project_report_is_issued_with_its_figures(manager_client, year_2014):
    response = manager_client.post(
        reverse("reports:issue"), {"kind": "project", "project": year_2014.pokl.pk}
    )
    issued = IssuedReport.objects.get()
    assert response.status_code == 302 and issued.project == year_2014.pokl
    keys = {figure["key"] for figure in json.loads(issued.data)["figures"]}
    assert {"project.people", "project.spent", "project.status.active"} <= keys
