"""The benchmark command builds its year in a database of its own and measures every
report; the database of the settings is left alone."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from participants.models import Participant
from participants.tests.factories import ParticipantFactory

REPORTS = (
    "annual HTML",
    "annual PDF",
    "annual XLSX",
    "project HTML",
    "project PDF",
    "statutory HTML",
    "statutory PDF",
)


@pytest.mark.django_db
def test_bench_reports_measures_every_report_in_its_own_database():
    ParticipantFactory()
    out = StringIO()

    call_command("bench_reports", participants=40, activities=4, marks=400, stdout=out)

    text = out.getvalue()
    for name in REPORTS:
        row = re.search(rf"^{name} +\| +(\d+) \| +\d+\.\d+ \| +\d+$", text, re.MULTILINE)
        assert row, f"no line for {name} in:\n{text}"
        assert int(row.group(1)) > 0
    assert "participants 40," in text
    # The 40 people went to the benchmark database, not to this one.
    assert Participant.objects.count() == 1


def test_bench_reports_refuses_the_developers_database():
    with pytest.raises(CommandError, match="Refusing"):
        call_command(
            "bench_reports",
            database_url=f"sqlite:///{settings.BASE_DIR / 'db.sqlite3'}",
            small=True,
            stdout=StringIO(),
        )


@pytest.mark.django_db
def test_bench_reports_measures_pages_at_two_sizes_and_prints_the_ratios():
    out = StringIO()

    call_command("bench_reports", sizes="20,40", repeat=1, stdout=out)

    text = out.getvalue()
    assert "participants 20," in text and "participants 40," in text
    for page in ("dashboard", "participant list", "search 'kowal'", "admin search 'kowal'"):
        assert re.search(rf"^{page} +\| +\d+\.\d+ \| +\d+\.\d+ \| +\d+\.\d×$", text, re.M), text
    assert re.search(
        r"^40 people: KIS search .* admin / KIS = \d+\.\d×; annual HTML / raw", text, re.M
    )
