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

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
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
