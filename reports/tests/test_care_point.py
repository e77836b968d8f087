"""Issue 14, point 9: the care point for dependants reports the adults who used it and
the dependant-places it provided (each dependant looked after at one held session),
up to the report's date. Figures worked out by hand in scenario.add_care_point_sessions."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from reports.narratives import generated_narratives
from reports.selectors import annual_summary
from reports.tests.scenario import add_care_point_sessions, build_2014, unlinked

pytestmark = pytest.mark.django_db


@pytest.fixture
def care_2014():
    year = build_2014()
    add_care_point_sessions(year)
    return year


def _care(summary):
    c = summary.community
    return c.care_point_sessions, c.care_point_hours, c.care_point_people, c.care_point_places


def test_the_care_point_counts_the_dependants_not_only_the_adults(care_2014):
    # Held in 2014: 05.05, 12.05, 19.05 and 26.05 (past, without a roll call): 4 + 4 + 4 + 3 h.
    # Adults: Anna and Dorota. Places: 05.05 Anna 2; 12.05 Anna 2 + Dorota 1; 19.05 Dorota 3.
    assert _care(annual_summary(2014)) == (4, Decimal("15.00"), 2, 8)
    # 2013: the session of 15.12.2013 only (Anna, 1 child).
    assert _care(annual_summary(2013)) == (1, Decimal("4.00"), 1, 1)


def test_only_held_sessions_up_to_the_reports_date_count(care_2014, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2014, 5, 13))
    # 19.05 has marks already but has not happened: not held, its children not counted.
    assert _care(annual_summary(2014)) == (2, Decimal("8.00"), 2, 5)


def test_the_report_shows_and_defines_it(manager_client, care_2014):
    html = manager_client.get(reverse("reports:annual", args=[2014])).content.decode()
    html = unlinked(html)  # each figure is a link to its list
    assert '<td class="money fig-care-sessions">4</td>' in html
    assert '<td class="money fig-care-adults">2</td>' in html
    assert '<td class="money fig-care-places">8</td>' in html
    assert "miejsce opieki to jedna osoba zależna objęta opieką na jednym odbytym spotkaniu" in html
    assert "objął opieką" not in html  # the old sentence counted the adults as cared for
    workbook = load_workbook(
        BytesIO(manager_client.get(reverse("reports:annual_xlsx", args=[2014])).content)
    )
    rows = {row[0]: row[1] for row in workbook["Podsumowanie"].iter_rows(values_only=True)}
    assert rows["Punkt opieki: osoby dorosłe, które pozostawiły osoby zależne"] == 2
    assert rows["Punkt opieki: miejsca opieki"] == 8


def test_the_paragraph_reads_as_polish(care_2014):
    with translation.override("pl"):
        text = generated_narratives(annual_summary(2014))[5]
    assert text.endswith(
        "Punkt opieki nad osobami zależnymi był czynny 4 razy (15 godz.); 2 osoby dorosłe "
        "pozostawiły pod jego opieką osoby zależne, łącznie 8 miejsc opieki (jedna osoba "
        "zależna na jednym spotkaniu)."
    )
