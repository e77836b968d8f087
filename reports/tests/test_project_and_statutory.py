import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from participants.models import ActivityParticipant, Attendance, Diagnosis, Session
from projects.models import Indicator
from reports.selectors import project_report, statutory_report
from reports.tests.scenario import build_2014

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2014():
    scenario = build_2014()
    pokl, p = scenario.pokl, scenario.people
    for name, measure, unit, target in (
        ("Uczestnicy projektu", "participants", "persons", "60"),
        ("Uczestnicy z IPD", "action_plan", "percent", "100"),
        ("Ukończenie zajęć", "completed", "percent", "90"),
        ("Podjęcie pracy", "jobs", "persons", "12"),
        ("Rezultat miękki: motywacja", "manual", "percent", "80"),
    ):
        Indicator.objects.create(
            project=pokl, name=name, measure=measure, unit=unit, target_total=Decimal(target)
        )
    for name in ("Anna", "Dorota"):  # action plans for 2 of the 5 POKL participants
        Diagnosis.objects.create(participant=p[name], date=date(2014, 3, 15), needs="Praca")
    Diagnosis.objects.create(
        participant=p["Edward"], date=date(2014, 4, 15), needs="Praca", has_action_plan=False
    )
    training = pokl.activities.get()
    for name in ("Anna", "Dorota"):
        ActivityParticipant.objects.create(activity=training, participant=p[name])
    for session in Session.objects.filter(activity=training, date__year=2014):
        Attendance.objects.create(session=session, participant=p["Anna"], status="present")
    return scenario


def test_indicators_against_targets(year_2014):
    report = project_report(year_2014.pokl)
    rows = {row.indicator.name: row for row in report.indicators}
    # POKL: Anna, Bartek, Celina, Dorota, Edward – 3 women, 2 men.
    assert (
        rows["Uczestnicy projektu"].total,
        rows["Uczestnicy projektu"].women,
        rows["Uczestnicy projektu"].men,
    ) == (5, 3, 2)
    assert rows["Uczestnicy projektu"].achieved_percent == Decimal("8.33")  # 5 of 60
    ipd = rows["Uczestnicy z IPD"]
    assert (ipd.total, ipd.women, ipd.men) == (Decimal("40.00"), Decimal("66.67"), Decimal("0.00"))
    assert rows["Ukończenie zajęć"].total == Decimal("0.00")
    # Away at a job: Edward. Dorota left for a job too but came back on 01.08.2014.
    jobs = rows["Podjęcie pracy"]
    assert (jobs.total, jobs.women, jobs.men) == (1, 0, 1)
    assert rows["Rezultat miękki: motywacja"].total is None


def test_hours_drop_outs_and_costs(year_2014):
    report = project_report(year_2014.pokl)
    [activity] = report.activities
    assert (
        activity.planned_hours,
        activity.delivered_hours,
        activity.participant_hours,
        activity.people,
    ) == (
        Decimal("24.0"),
        Decimal("10.50"),
        Decimal("7.00"),
        2,
    )
    assert activity.percent == Decimal("43.75")
    assert report.dropout_reasons == [("ciąg alkoholowy", 1), ("zmiana miejsca zamieszkania", 1)]
    spent = Decimal("207209.61") + Decimal("999.99")
    assert report.execution.spent == spent
    assert report.cost_per_participant == (spent / 5).quantize(Decimal("0.01"))
    assert report.cost_per_hour == (spent / Decimal("10.5")).quantize(Decimal("0.01"))
    assert report.cost_per_participant_hour == (spent / 7).quantize(Decimal("0.01"))


def test_project_report_page_and_pdf(manager_client, year_2014):
    url = reverse("reports:project", args=[year_2014.pokl.pk])
    html = manager_client.get(url).content.decode()
    assert "Uczestnicy z IPD" in html and "66,67" in html and "43,75\xa0%" in html
    response = manager_client.get(reverse("reports:project_pdf", args=[year_2014.pokl.pk]))
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages).replace(
        "\xa0", " "
    )
    assert "POKL.07.01.01-12-001/13" in text and "208 209,60 zł" in text


def test_statutory_report(manager_client, year_2014):
    """The 2014 scenario in the ministry's structure (figures in detail: test_statutory)."""
    ActivityParticipant.objects.filter(participant=year_2014.people["Anna"]).update(
        completed_on=date(2014, 5, 30)
    )
    report = statutory_report(2014)
    # Taking part in a project in 2014: Anna, Bartek (since 2013), Dorota, Edward.
    assert (report.participants.total, report.participants.women) == (4, 2)
    # Started in 2014: Anna, Dorota, Edward; nobody has a statutory group.
    assert (report.started_total.total, report.started_total.women) == (3, 2)
    assert report.started[-1].people.total == 3 and len(report.started) == 9
    assert report.completions == 2  # Anna's two activities: the care point and the training
    # Bartek dropped out; Edward left for a job (finished), the scenario recording no
    # situation with it; Dorota came back from hers and takes part again.
    assert report.dropped_out.total == 1
    assert report.finished_total.total == 1 and report.finished[-1].people.total == 1
    html = manager_client.get(reverse("reports:statutory", args=[2014])).content.decode()
    assert "osoby długotrwale bezrobotne" in html
    assert reverse("reports:statutory_xlsx", args=[2014]) in html
    pdf = manager_client.get(reverse("reports:statutory_pdf", args=[2014]))
    assert pdf["Content-Disposition"] == 'attachment; filename="sprawozdanie-kis-2014.pdf"'
    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "art. 18a ust. 6" in text


def test_reports_index_lists_years_and_projects(manager_client, year_2014):
    html = manager_client.get(reverse("reports:index")).content.decode()
    assert (
        reverse("reports:annual", args=[2014]) in html
        and reverse("reports:annual", args=[2013]) in html
    )
    assert reverse("reports:project", args=[year_2014.pokl.pk]) in html


def test_manager_dashboard_shows_the_year_at_a_glance(
    manager_client, caseworker_client, year_2014, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2014, 12, 31))
    html = manager_client.get(reverse("dashboard")).content.decode()
    assert "2014 – dotychczas" in html
    # People, each label agreeing with its number: served 8 (4 women); taking part now:
    # Anna (in two projects, counted once) and Dorota; took up work: Dorota and Edward.
    cards = re.findall(r'display-6 mb-0">([^<]*)</p><p class="mb-0[^"]*">([^<]*)</p>', html)
    assert cards == [
        ("8", "osób korzystających z usług w tym roku, w tym 4 kobiety"),
        ("2", "osoby uczestniczące obecnie w projektach, w tym 2 kobiety"),
        ("2", "osoby podjęły pracę w tym roku, w tym 1 kobieta"),
        ("89,35\xa0%", "budżetu na ten rok wydano dotychczas"),
    ]
    assert "89,35\xa0%" in html  # the year's budget execution, 207 209,61 of 231 895,59
    assert "Od mojej aktywności do aktywnej społeczności" in html
    assert "2014 – dotychczas" not in caseworker_client.get(reverse("dashboard")).content.decode()
