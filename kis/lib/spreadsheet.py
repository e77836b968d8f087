"""Writing spreadsheets (openpyxl): the one place a value becomes a cell, for every
export.

openpyxl stores a string that starts with "=" as a formula and one like "#N/A" as an
error, so text typed by a user (an event called `=HYPERLINK("http://x","click")`)
would become a live formula in the manager's workbook (CWE-1236, formula injection).
Here text is always text: a string cell, and one that starts with = + - @, a tab or a
carriage return is also marked "quote prefix", as Excel and LibreOffice do for text
typed after an apostrophe, so that editing the cell does not turn it into a formula
either. The text itself is kept exactly (no apostrophe added), except for the control
characters that a workbook cannot hold at all."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell holds at most this many characters (Excel's limit).
MAX_CELL_TEXT = 32767


def cell(sheet: Worksheet, value: Any) -> Any:
    """`value` ready for `sheet.append`: text as a text cell, anything else as it is."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]
    # openpyxl's Cell needs no position (sheet.append gives it one); its stubs insist.
    written = Cell(sheet)  # type: ignore[call-arg]
    written.value = text
    written.data_type = "s"  # never "f" (formula) or "e" (error), whatever the text
    if text.startswith(FORMULA_STARTS):
        written.quotePrefix = True
    return written


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append one row to `sheet`, every text in it written as text."""
    sheet.append([cell(sheet, value) for value in values])


# --- workbooks ---------------------------------------------------------------------------
# THE way KIS builds a workbook: every list and report exported to Excel goes through
# `WorkbookBuilder`, so that each has Polish headers in a frozen, bold first row, dates
# as dates (22.11.2026), money as numbers shown as 207 209,61 zł, sensible widths, and
# every text written by `cell` above. Number formats are stored in the file's own
# notation (`#,##0.00`); Excel and LibreOffice show them with the computer's separators,
# a space and a comma on a Polish one.

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
MONEY_FORMAT = '#,##0.00 "zł"'
PERCENT_FORMAT = '0.00" %"'
HOURS_FORMAT = "#,##0.0"
NUMBER_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"

TEXT, DATE, DATETIME, MONEY, PERCENT, HOURS, NUMBER, INTEGER = (
    "text",
    "date",
    "datetime",
    "money",
    "percent",
    "hours",
    "number",
    "integer",
)
FORMATS = {
    DATE: DATE_FORMAT,
    DATETIME: DATETIME_FORMAT,
    MONEY: MONEY_FORMAT,
    PERCENT: PERCENT_FORMAT,
    HOURS: HOURS_FORMAT,
    NUMBER: NUMBER_FORMAT,
    INTEGER: INTEGER_FORMAT,
}
WIDTHS = {DATE: 11, DATETIME: 16, MONEY: 15, PERCENT: 10, HOURS: 9, NUMBER: 12, INTEGER: 8}
MAX_WIDTH = 60
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A column of an exported sheet: its (Polish) header and what its values are."""

    header: str
    kind: str = TEXT
    width: float | None = None


def _plain(value: Any) -> Any:
    """A value a workbook can hold: an aware datetime in local time without its zone,
    a Decimal as it is (openpyxl writes it as a number)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _text_width(value: Any) -> int:
    if value is None:
        return 0
    longest = max((len(line) for line in str(value).splitlines()), default=0)
    return min(longest, MAX_WIDTH)


class WorkbookBuilder:
    """Sheets of rows under one header row each; `content()` gives the .xlsx bytes."""

    def __init__(self) -> None:
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.worksheets[0])  # a new workbook's empty sheet

    def sheet(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        notes: Sequence[str] = (),
    ) -> Worksheet:
        """A sheet: the header row (bold, frozen, filtered), the rows, then the notes
        (definitions, what was left out) below them."""
        sheet = self.workbook.create_sheet(SHEET_TITLE_FORBIDDEN.sub("-", title)[:31])
        append_row(sheet, [c.header for c in columns])
        for header in sheet[1]:
            header.font = Font(bold=True)
            header.fill = PatternFill("solid", fgColor="E9ECEF")
            header.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [min(max(len(c.header) // 2, 8), 30) for c in columns]
        count = 0
        for row in rows:
            values = [_plain(v) for v in row]
            append_row(sheet, values)
            count += 1
            for index, (entry, value) in enumerate(zip(columns, values, strict=False)):
                written = sheet.cell(row=count + 1, column=index + 1)
                if entry.kind in FORMATS and not isinstance(value, str):
                    written.number_format = FORMATS[entry.kind]
                    widths[index] = max(widths[index], WIDTHS[entry.kind])
                else:
                    widths[index] = max(widths[index], _text_width(value))
        for index, entry in enumerate(columns, start=1):
            width = entry.width or min(widths[index - 1] + 2, MAX_WIDTH)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        if columns and count:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
        if notes:
            sheet.append([])
            for note in notes:
                append_row(sheet, [note])
                sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
        return sheet

    def content(self) -> bytes:
        output = BytesIO()
        self.workbook.save(output)
        return output.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook to download (the middleware adds Cache-Control: no-store)."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
