"""A formula payload in every text a user can type, then every spreadsheet the app
exports (issue 12, CWE-1236): no cell of any of them is a formula, and every text that
starts like one (= + - @, a tab, a carriage return) is a text cell marked "quote prefix".

Every text field of every model of the app (but codes, PESEL and other values that are
checked against a pattern, and the append-only access log) is overwritten with a payload
of its own, so each column that shows typed text has one, whichever export and column it
is: a new export or a new column is covered without naming it here. Each export must
show some of them (the test cannot pass on an empty file)."""

from io import BytesIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from kis.lib.spreadsheet import FORMULA_STARTS, XLSX_TYPE
from kis.tests.clients import https_client
from kis.tests.matrix_data import args_for, build
from kis.tests.urls_util import all_urls
from participants.models import Attendance, Enrolment, Participant
from participants.services.people import participant_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

APPS = ("kis", "participants", "projects", "reports")
NOT_TYPED = {"pesel", "search_text", "password", "username", "code", "what", "relation"}
# Append-only: the access log (shown translated, not as typed) and issued reports (never
# changed once issued; what they hold was poisoned before, in the rows they copy).
NOT_POISONED = {"kis.AccessLog", "reports.IssuedReport"}
# Exports that need a query to give a file: the EU export, its complete rows only; the
# list behind a figure, of its year.
QUERIES = {"reports:eu_xlsx": "?complete=1", "reports:figure_xlsx": "?year=2017"}
MARK = 'HYPERLINK("http://x","kis{}")'


def typed_text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.unique
        and f.name not in NOT_TYPED
        and not f.name.endswith(("_code", "_nip", "nip"))
        and (f.max_length or 1000) >= 8
        and f.editable
    ]


def poison() -> int:
    """Every typed text of every row: a formula of its own, the starts taken in turn."""
    count = 0
    targets = [m for app in APPS for m in apps.get_app_config(app).get_models()]
    targets.append(get_user_model())
    for model in targets:
        if model._meta.label in NOT_POISONED:
            continue
        fields = typed_text_fields(model)
        if not fields:
            continue
        for pk in model._default_manager.values_list("pk", flat=True):
            values = {}
            for f in fields:
                start = FORMULA_STARTS[count % len(FORMULA_STARTS)]
                if isinstance(f, models.EmailField):  # as valid as an address can be
                    values[f.attname] = f"={count}@example.pl"
                else:
                    values[f.attname] = (start + MARK.format(count))[: f.max_length or None]
                count += 1
            model._default_manager.filter(pk=pk).update(**values)
    return count


def xlsx_urls(world: dict) -> dict[str, str]:
    return {
        name: reverse(name, args=args_for(name, world)) + QUERIES.get(name, "")
        for name in sorted(all_urls())
        if name.endswith("xlsx")
    }


def with_eu_data(world: dict) -> None:
    """The matrix's person with all that EU monitoring asks, so that the EU export has a
    row (kis.tests.matrix_data leaves it out)."""
    Participant.objects.filter(pk=world["person"].pk).update(
        education="isced3",
        citizenship="pl",
        foreign_origin="no",
        minority="no",
        housing_exclusion="no",
        country="Polska",
        voivodeship="12",
        county="oświęcimski",
        municipality="Brzeszcze",
        municipality_code="1213023",
        degurba="2",
    )
    Enrolment.objects.filter(pk=world["enrolment"].pk).update(labour_status_at_start="long_term")
    Attendance.objects.create(
        session=world["session"], participant=world["person"], status="present"
    )


def test_no_exported_text_is_a_formula():
    world = build()
    with_eu_data(world)
    assert poison() > 100
    # The change log too: a changed phone number shows old and new in the audit export.
    person = Participant.objects.get(pk=world["person"].pk)
    participant_update(person, phone="=" + MARK.format("phone"))
    client = https_client()
    client.force_login(world["users"]["admin"])
    urls = xlsx_urls(world)
    assert len(urls) >= 10

    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Type"] == XLSX_TYPE, name
        book = load_workbook(BytesIO(response.content))
        payloads = 0
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    where = (name, sheet.title, cell.coordinate, cell.value)
                    assert cell.data_type != "f", where
                    if not isinstance(cell.value, str):
                        continue
                    if cell.value.startswith(FORMULA_STARTS):
                        assert cell.data_type == "s" and cell.quotePrefix, where
                    payloads += "HYPERLINK" in cell.value
        assert payloads, f"{name}: no typed text in the export"
