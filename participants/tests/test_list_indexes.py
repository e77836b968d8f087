"""The participant list's search and order can be served by indexes on PostgreSQL
(migration 0016), and the manager's list is the whole register without an `IN` of
every id."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import Participant
from participants.selectors.people import participant_list, participant_search
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the indexes are PostgreSQL's"
)


def _plan(queryset) -> str:
    sql, params = queryset.query.get_compiler(using="default").as_sql()
    with connection.cursor() as cursor:
        # Tables of a test are tiny: a sequential scan would always win. Whether the
        # index *can* serve the query is what is asked.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
def test_search_uses_the_trigram_index():
    plan = _plan(participant_search(Participant.objects.all(), "Kowal").order_by().values("pk"))

    assert "participant_search_trgm" in plan, plan


@postgresql_only
def test_list_is_read_in_polish_order_from_the_index():
    plan = _plan(participant_list()[:25])

    assert "participant_name_pl" in plan, plan
    assert "Sort" not in plan.replace("Sort Key", ""), plan


def test_search_and_order_still_right():
    """Ł after L, Ż last on PostgreSQL; the search ignores case and Polish letters."""
    for last in ("Żak", "Łoś", "Lis", "Kowalska", "Kowalski"):
        ParticipantFactory(last_name=last)

    found = participant_search(participant_list(), "kowal")
    names = [p.last_name for p in participant_list()]

    assert sorted(p.last_name for p in found) == ["Kowalska", "Kowalski"]
    if connection.vendor == "postgresql":
        assert names == ["Kowalska", "Kowalski", "Lis", "Łoś", "Żak"]


def test_managers_list_has_no_in_of_every_id(manager_client):
    ParticipantFactory(last_name="Nowak")

    with CaptureQueriesContext(connection) as queries:
        response = manager_client.get(reverse("participants:list"))

    assert response.status_code == 200
    assert "Nowak" in response.content.decode()
    counts = [
        q["sql"]
        for q in queries
        if "COUNT(" in q["sql"] and 'FROM "participants_participant"' in q["sql"]
    ]
    assert counts, [q["sql"] for q in queries]
    assert all("IN (SELECT" not in sql for sql in counts), counts
