"""Every figure of every report opens to the records it counts (issue 19): the list has
as many rows as the figure (or its amounts add up to it), people the user may not open
are counted but not shown, the read is in the access log, the list downloads as Excel,
and a number in a report table that is not a figure fails the test."""

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kis.models import AccessLog
from participants.models import Enrolment, EnrolmentEvent
from participants.tests.factories import ParticipantFactory
from projects.models import Project
from reports.figures import FIGURES, scope_from
from reports.tests.scenario import add_care_point_sessions, add_short_contacts, build_2014, enrol

pytestmark = pytest.mark.django_db


class Report(HTMLParser):
    """The figure links of a page, and the numeric cells (td.money) that hold none."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (key, href, text)
        self.bare: list[str] = []  # numeric cells without a figure
        self._cell: dict | None = None
        self._link: dict | None = None
        # The project's budget execution (the projects app's table, as on the project's
        # page): its planned and spent totals are figures of the cost table instead.
        self._elsewhere = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "div" and (self._elsewhere or "budget-execution" in classes):
            self._elsewhere += 1
        if tag == "td" and "money" in classes and not self._elsewhere:
            self._cell = {"derived": "derived" in classes, "text": "", "figures": 0}
        if tag == "a" and "figure" in classes:
            self._link = {"key": attributes["data-figure"], "href": attributes["href"], "text": ""}

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data
        if self._cell is not None:
            self._cell["text"] += data

    def handle_endtag(self, tag):
        if tag == "div" and self._elsewhere:
            self._elsewhere -= 1
        if tag == "a" and self._link is not None:
            self.links.append((self._link["key"], self._link["href"], self._link["text"]))
            if self._cell is not None:
                self._cell["figures"] += 1
            self._link = None
        if tag == "td" and self._cell is not None:
            cell = self._cell
            text = cell["text"].strip()
            if not cell["derived"] and not cell["figures"] and re.search(r"\d", text):
                self.bare.append(text)
            self._cell = None


class FigureList(HTMLParser):
    """The rows of a figure's list and the cells saying "person without access"."""

    def __init__(self) -> None:
        super().__init__()
        self.rows = 0
        self.no_access = 0
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "tbody":
            self._in_body = True
        if tag == "tr" and self._in_body:
            self.rows += 1
        if tag == "td" and "no-access" in classes:
            self.no_access += 1

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False


def parse(parser, response):
    assert response.status_code == 200, response.status_code
    parser.feed(response.content.decode())
    return parser


def number(text: str) -> Decimal:
    """A figure as the page shows it: "1 234,50 zł" → 1234.50."""
    return Decimal(re.sub(r"[^\d,-]", "", text).replace(",", "."))


def check_every_figure(client, page_url: str) -> set[str]:
    """Open every figure of a report page: its list has as many rows as the figure shows
    (an amount: the figure's records add up to it). Returns the keys seen."""
    report = parse(Report(), client.get(page_url))
    assert not report.bare, f"numbers in {page_url} that are not figures: {report.bare}"
    assert report.links
    for key, href, text in report.links:
        listed = parse(FigureList(), client.get(href))
        figure = FIGURES[key]
        if figure.total:
            params = dict(parse_qsl(urlsplit(href).query))
            project = Project.objects.filter(pk=params.get("project") or 0).first()
            assert number(text) == Decimal(figure.value(scope_from(params, project))), (key, href)
            assert listed.rows == figure.queryset(scope_from(params, project)).count()
        else:
            assert listed.rows == number(text), (key, href, text)
    return {key for key, _href, _text in report.links}


@pytest.fixture
def year_2014():
    year = build_2014()
    add_short_contacts(year)
    add_care_point_sessions(year)
    # Back in 2014 from a job left in 2013 (so that every figure has something to show).
    back = ParticipantFactory(first_name="Zenon", sex="M", pesel="")
    enrol(
        back,
        year.pokl,
        date(2013, 9, 1),
        ("left_for_job", date(2013, 11, 1)),
        ("returned", date(2014, 4, 1)),
    )
    return year


def test_every_figure_of_the_annual_summary_opens_to_its_records(manager_client, year_2014):
    seen = check_every_figure(manager_client, reverse("reports:annual", args=[2014]))
    annual = {key for key, figure in FIGURES.items() if figure.report == "annual"}
    assert annual - seen == set(), "figures of the annual summary never shown"


def test_the_printed_report_has_no_links(manager_client, year_2014):
    # The print template renders the same fragment: figures as plain numbers.
    from django.template.loader import render_to_string

    from reports.views import _annual_context

    html = render_to_string("reports/annual_print.html", _annual_context(2014))
    assert 'class="figure"' not in html and "8" in html


def test_the_list_shows_the_definition_and_people(manager_client, year_2014):
    response = manager_client.get(reverse("reports:figure", args=["annual.served"]), {"year": 2014})
    page = response.content.decode()
    assert "Definicja" in page and "Osoby korzystające z usług Klubu" in page
    assert "Anna" in page and "Halina" in page and "Karol" not in page  # Karol left in 2013
    listed = parse(FigureList(), response)
    assert listed.rows == 8 + 2 + 1 and listed.no_access == 0  # + one-off help, + Zenon


@pytest.fixture
def reporting_caseworker(caseworker):
    """A caseworker allowed to read the reports: sees only his or her own people."""
    caseworker.user_permissions.add(Permission.objects.get(codename="view_reports"))
    return caseworker


def test_people_the_user_may_not_open_are_counted_but_not_shown(
    client, reporting_caseworker, year_2014
):
    mine = year_2014.people["Anna"]
    mine.registered_by = reporting_caseworker
    mine.save()
    client.force_login(reporting_caseworker)
    response = client.get(reverse("reports:figure", args=["annual.served"]), {"year": 2014})
    listed = parse(FigureList(), response)
    page = response.content.decode()
    assert listed.rows == 11 and listed.no_access == 10
    assert "Anna" in page and "Halina" not in page and "osoba bez dostępu" in page
    # The access log names only the person shown.
    entries = AccessLog.objects.filter(user=reporting_caseworker, action=AccessLog.Action.VIEW)
    assert [e.participant for e in entries] == [mine]
    assert entries[0].what == "report figure annual.served year=2014"
    # Money is not for caseworkers.
    url = reverse("reports:figure", args=["annual.spent"])
    assert client.get(url, {"year": 2014}).status_code == 403


def test_the_list_downloads_as_excel_and_is_logged(manager_client, manager, year_2014):
    response = manager_client.get(
        reverse("reports:figure_xlsx", args=["annual.served"]), {"year": 2014, "part": "women"}
    )
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]
    assert sheet["A1"].value == "Nazwisko i imię"
    assert len(rows) == 5 and all(row[1] == "kobieta" for row in rows)
    entries = AccessLog.objects.filter(user=manager, action=AccessLog.Action.EXPORT)
    assert entries.count() == 5


def test_money_opens_to_the_expenditure_documents(manager_client, year_2014):
    response = manager_client.get(reverse("reports:figure", args=["annual.spent"]), {"year": 2014})
    page = response.content.decode()
    assert "Numer dokumentu" in page and parse(FigureList(), response).rows > 0


def test_unknown_figures_and_scopes_are_not_found(manager_client, year_2014):
    url = reverse("reports:figure", args=["annual.nothing"])
    assert manager_client.get(url, {"year": 2014}).status_code == 404
    url = reverse("reports:figure", args=["annual.served"])
    assert manager_client.get(url).status_code == 404  # no year
    assert manager_client.get(url, {"year": 2014, "part": "x"}).status_code == 404
    assert manager_client.get(url, {"year": 2999}).status_code == 404


def test_wrong_users_are_refused(client, caseworker_client, no_role_user, year_2014):
    url = reverse("reports:figure", args=["annual.served"])
    assert client.get(url, {"year": 2014}).status_code == 302  # to the login page
    assert caseworker_client.get(url, {"year": 2014}).status_code == 403
    client.force_login(no_role_user)
    assert client.get(url, {"year": 2014}).status_code == 403


def _people(n: int, project: Project) -> None:
    for _ in range(n):
        enrolment = Enrolment.objects.create(
            participant=ParticipantFactory(),
            project=project,
            start_date=date(2014, 3, 1),
            status_date=date(2014, 3, 1),
        )
        EnrolmentEvent.objects.create(enrolment=enrolment, kind="started", date=date(2014, 3, 1))


@pytest.mark.parametrize("key", ["annual.served", "annual.project.engaged"])
def test_queries_of_a_list_do_not_grow_with_its_people(client, reporting_caseworker, key):
    project = Project.objects.create(
        title="P",
        start_date=date(2014, 1, 1),
        end_date=date(2014, 12, 31),
        total_value=Decimal("1"),
        own_contribution=Decimal("1"),
    )
    client.force_login(reporting_caseworker)
    url = reverse("reports:figure", args=[key])
    params = {"year": 2014, **({"project": project.pk} if "project" in key else {})}
    counts = []
    for n in (3, 57):
        _people(n, project)
        with CaptureQueriesContext(connection) as queries:
            assert parse(FigureList(), client.get(url, params)).rows in (3, 60)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.fixture
def projects(year_2014, monkeypatch):
    """The 2014 POKL project (activities, drop-outs, one-off help, spending) with its
    automatic indicators, and the outcomes scenario's project (questionnaires and
    follow-ups) with its indicators, on 30.09.2017."""
    from participants.tests.outcome_scenario import build_outcomes
    from projects.models import Indicator
    from projects.services import indicator_save

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2017, 9, 30))
    outcomes = build_outcomes()
    for project, name, measure, unit, extra in (
        (year_2014.pokl, "Uczestnicy", "participants", "persons", {}),
        (year_2014.pokl, "Z IPD", "action_plan", "percent", {}),
        (year_2014.pokl, "Praca", "jobs", "persons", {}),
        (year_2014.pokl, "Kontrakty", "contracts", "persons", {}),
        (year_2014.pokl, "Ręcznie", "manual", "persons", {}),
        (
            outcomes.project,
            "Wzrost kompetencji (osoby)",
            "questionnaire",
            "persons",
            {"questionnaire": outcomes.questionnaire},
        ),
        (
            outcomes.project,
            "Wzrost kompetencji (%)",
            "questionnaire",
            "percent",
            {"questionnaire": outcomes.questionnaire},
        ),
        (
            outcomes.project,
            "Pracujący 3 miesiące po",
            "follow_up",
            "persons",
            {"follow_up_kind": "3m", "follow_up_situation": "employment"},
        ),
    ):
        indicator_save(
            indicator=Indicator(
                project=project,
                name=name,
                nature="soft" if measure == "questionnaire" else "hard",
                measure=measure,
                unit=unit,
                target_total=Decimal("5"),
                **extra,
            )
        )
    return year_2014.pokl, outcomes.project


def test_every_figure_of_the_project_report_opens_to_its_records(manager_client, projects):
    seen = set()
    for project in projects:
        seen |= check_every_figure(manager_client, reverse("reports:project", args=[project.pk]))
    expected = {key for key, figure in FIGURES.items() if figure.report == "project"}
    assert expected - seen == set(), "figures of the project report never shown"


def test_every_figure_of_the_report_to_the_voivode_opens_to_its_records(manager_client, year_2014):
    from projects.tests.factories import StaffMemberFactory

    StaffMemberFactory(employment_type="volunteer", sex="F", hours_per_week=Decimal("5"))
    StaffMemberFactory(employment_type="employment", sex="", hours_per_week=Decimal("40"))
    seen = check_every_figure(manager_client, reverse("reports:statutory", args=[2014]))
    expected = {key for key, figure in FIGURES.items() if figure.report == "statutory"}
    assert expected - seen == set(), "figures of the report to the voivode never shown"
