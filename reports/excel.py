"""The annual summary's tables as an Excel workbook (openpyxl), one sheet a section.

Every row goes through `kis.lib.spreadsheet.append_row`: user text stays text."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kis.lib.spreadsheet import append_row
from reports.models import AnnualSection
from reports.selectors import AnnualSummary

MONEY_FORMAT = '#,##0.00 "zł"'
PERCENT_FORMAT = '0.00" %"'


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list]):
    sheet = workbook.create_sheet(title[:31])
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for index, _column in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 18 if index > 1 else 46
    return sheet


def _format(sheet, column: int, number_format: str) -> None:
    for row in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        for cell in row:
            cell.number_format = number_format


def annual_workbook(summary: AnnualSummary, narratives: dict[int, dict]) -> bytes:
    s = summary
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # a new workbook has one empty sheet
    people = [_("Total"), _("Women"), _("Men")]
    _sheet(
        workbook,
        _("Summary"),
        [_("Figure"), *people],
        [
            [_("People served"), s.served.total, s.served.women, s.served.men],
            [_("Long-term cooperation"), s.long_term.total, s.long_term.women, s.long_term.men],
            [_("Social contracts concluded"), s.contracts_concluded, None, None],
            *[[p.label, p.people.total, p.people.women, p.people.men] for p in s.placements],
            [
                _("People who took up work"),
                s.jobs.people.total,
                s.jobs.people.women,
                s.jobs.people.men,
            ],
        ],
    )
    _sheet(
        workbook,
        _("Supported employment"),
        [_("Form"), *people, _("Aged 50+"), _("Single parents")],
        [
            [
                p.label,
                p.people.total,
                p.people.women,
                p.people.men,
                p.aged_50_plus,
                p.single_parents,
            ]
            for p in s.placements
        ],
    )
    _sheet(
        workbook,
        _("Projects"),
        [
            _("Project"),
            _("Engaged"),
            _("Women engaged"),
            _("Dropped out"),
            pgettext("people", "Left for a job"),
            _("Of them came back"),
            pgettext("people", "Completed"),
            _("Returned after a job"),
            _("Continuing"),
            _("Support hours"),
        ],
        [
            [
                p.project.title,
                p.engaged,
                p.engaged_women,
                p.dropped_out,
                p.left_for_job,
                p.came_back,
                p.completed,
                p.returned,
                p.continuing,
                p.support_hours,
            ]
            for p in s.projects
        ],
    )
    _sheet(
        workbook,
        _("Drop-out reasons"),
        [_("Project"), _("Reason"), _("People")],
        [[p.project.title, reason, n] for p in s.projects for reason, n in p.dropout_reasons],
    )
    _sheet(
        workbook,
        _("Support forms"),
        [_("Project"), _("Support form"), _("Sessions"), _("Hours")],
        [
            [p.project.title, row.name, row.sessions, row.hours]
            for p in s.projects
            for row in p.support
        ],
    )
    _sheet(
        workbook,
        _("Community events"),
        [_("Date"), _("Event"), _("Place"), _("From the register"), _("From outside")],
        [[e.date, e.name, e.place, e.registry, e.outside_count] for e in s.community.events],
    )
    budget = _sheet(
        workbook,
        _("Budget"),
        [_("Category"), _("Planned"), _("Spent"), _("Execution")],
        [[c.label, c.planned, c.spent, c.percent] for c in s.budget.categories]
        + [[_("Total"), s.budget.planned, s.budget.spent, s.budget.percent]]
        + [
            [_("Spent: %(source)s") % {"source": c.label}, None, c.spent, None]
            for c in s.budget.sources
        ],
    )
    _format(budget, 2, MONEY_FORMAT)
    _format(budget, 3, MONEY_FORMAT)
    _format(budget, 4, PERCENT_FORMAT)
    _sheet(
        workbook,
        _("Narrative"),
        [_("Section"), _("Text")],
        [[str(AnnualSection(section).label), item["text"]] for section, item in narratives.items()],
    )
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
