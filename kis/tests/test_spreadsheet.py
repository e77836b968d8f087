"""The one workbook helper: header row, formats, widths, notes, text as text."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from kis.lib.spreadsheet import DATE, DATETIME, MONEY, PERCENT, Column, WorkbookBuilder


def test_a_sheet_as_every_export_has_it():
    book = WorkbookBuilder()
    when = timezone.make_aware(datetime(2026, 11, 22, 9, 30))
    book.sheet(
        "Lista: próba/1",
        [
            Column("Nazwa"),
            Column("Data", DATE),
            Column("Kwota", MONEY),
            Column("%", PERCENT),
            Column("Kiedy", DATETIME),
        ],  # fmt: skip
        [
            ["=1+1", date(2026, 11, 22), Decimal("207209.61"), Decimal("89.35"), when],
            ["Bardzo długa nazwa " * 10, None, None, None, None],
        ],  # fmt: skip
        notes=["Stan na 22.11.2026."],
    )
    sheet = load_workbook(BytesIO(book.content())).active
    assert sheet.title == "Lista- próba-1"  # characters a sheet name cannot hold
    assert [c.value for c in sheet[1]] == ["Nazwa", "Data", "Kwota", "%", "Kiedy"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    assert (sheet["A2"].value, sheet["A2"].data_type, sheet["A2"].quotePrefix) == (
        "=1+1",
        "s",
        True,
    )
    assert sheet["B2"].number_format == "DD.MM.YYYY" and sheet["B2"].value.date() == date(
        2026, 11, 22
    )
    assert sheet["C2"].number_format == '#,##0.00 "zł"' and sheet["C2"].value == 207209.61
    assert sheet["D2"].number_format == '0.00" %"'
    assert sheet["E2"].value == datetime(2026, 11, 22, 9, 30)  # local time, as on the page
    assert sheet.column_dimensions["A"].width == 60  # long text: capped
    assert 10 <= sheet.column_dimensions["B"].width <= 14
    assert sheet["A5"].value == "Stan na 22.11.2026." and sheet["A5"].font.italic
