"""The year figures cost what the year's activity costs, not the register × the marks:
who was served, in long-term cooperation or engaged is one `IN (… UNION …)` (never an
`OR` of `IN` subqueries, which PostgreSQL re-runs for every person of the register once
a subquery outgrows `work_mem`), and each enrolment's status on a day comes from one
windowed query joined once, not a subquery per enrolment."""

import re
from datetime import date

import pytest
from django.db import connection
from django.db.models import Q

from participants.models import Enrolment, EnrolmentEvent, Participant
from participants.tests.factories import EnrolmentFactory
from reports.selectors import (
    engaged_people,
    latest_events,
    long_term_people,
    served_people,
    with_status_on,
)

pytestmark = pytest.mark.django_db

OR_IN_SUBQUERY = re.compile(r"\bOR\b[^()]*\bIN\s*\(+\s*SELECT", re.IGNORECASE)
ONE_IN = re.compile(r'WHERE "participants_participant"\."id" IN \(+SELECT')
SETS = {"served": served_people, "long-term": long_term_people, "engaged": engaged_people}


def test_the_check_finds_an_or_of_subqueries():
    """What the rewrite replaced: the pattern is caught."""
    ids = Enrolment.objects.values("participant_id")
    sql = _sql(Participant.objects.filter(Q(pk__in=ids) | Q(pk__in=ids.filter(pk=1))))

    assert OR_IN_SUBQUERY.search(sql), sql


def _sql(queryset) -> str:
    sql, _params = queryset.query.get_compiler(using="default").as_sql()
    return sql


@pytest.mark.parametrize("name", SETS)
def test_people_sets_are_one_union_not_an_or_of_subqueries(name):
    sql = _sql(SETS[name](2024))

    assert not OR_IN_SUBQUERY.search(sql), sql
    assert " UNION " in sql
    assert ONE_IN.search(sql), sql  # the one IN, over the union


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize("name", SETS)
def test_people_sets_are_planned_as_joins_on_postgresql(name):
    """No subplan re-run per person: the union is joined to the register."""
    queryset = SETS[name](2024)
    sql, params = queryset.order_by().values("pk").query.get_compiler(using="default").as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "SubPlan" not in plan, plan
    # A hash/merge join, or a nested loop (PostgreSQL's join on small tables).
    assert "Join" in plan or "Nested Loop" in plan, plan


def test_status_on_a_day_is_one_windowed_query_joined_once():
    sql = _sql(with_status_on(Enrolment.objects.all(), "status_then", date(2024, 6, 1)))

    assert sql.count("ROW_NUMBER() OVER") == 1, sql
    assert "LEFT OUTER JOIN" in sql
    assert "LIMIT 1" not in sql  # no subquery per enrolment


def _event(enrolment, kind, day):
    return EnrolmentEvent.objects.create(enrolment=enrolment, kind=kind, date=day)


def test_status_on_a_day_is_the_last_event_then():
    """Hand-computed: Anna started on 1 March, left for a job on 1 June and came back on
    the same day as a correction (the later entry wins), left again on 1 September;
    Jan starts on 1 October."""
    anna = EnrolmentFactory(start_date=date(2024, 3, 1))
    _event(anna, "left_for_job", date(2024, 6, 1))
    _event(anna, "returned", date(2024, 6, 1))
    _event(anna, "left_for_job", date(2024, 9, 1))
    jan = EnrolmentFactory(start_date=date(2024, 10, 1))

    def status(enrolment, day, strictly_before=False):
        return (
            with_status_on(Enrolment.objects.filter(pk=enrolment.pk), "s", day, strictly_before)
            .values_list("s", flat=True)
            .get()
        )

    assert status(anna, date(2024, 2, 28)) is None  # not begun
    assert status(anna, date(2024, 3, 1)) == "started"
    assert status(anna, date(2024, 3, 1), strictly_before=True) is None
    assert status(anna, date(2024, 6, 1)) == "returned"
    assert status(anna, date(2024, 6, 1), strictly_before=True) == "started"
    assert status(anna, date(2024, 12, 31)) == "left_for_job"
    assert status(jan, date(2024, 9, 30)) is None
    assert status(jan, date(2024, 10, 1)) == "started"
    # One row per enrolment begun by the day, whatever the number of its events.
    latest = latest_events(date(2024, 12, 31))
    assert sorted(latest.values_list("enrolment_id", "kind")) == sorted(
        [(anna.pk, "left_for_job"), (jan.pk, "started")]
    )
    assert latest_events(date(2024, 12, 31), enrolment__project=jan.project).count() == 1
