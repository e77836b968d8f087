"""What `manage.py bench_reports --pages` and `--load` measure on the benchmark's
synthetic year (see the command): the pages' median times through the test client, the
raw SQL of each report's main figures (written here, apart from the selectors, as the
yardstick a report is compared with), and a load test with locust against gunicorn on
127.0.0.1. A developer's tool, not a test: plain English output, nothing translated.
"""

import csv
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from time import perf_counter
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from participants.models import Participant, Session
from projects.models import Project

SEARCH = "kowal"  # a common part of Polish surnames (Kowalski, Kowalczyk, …)


@dataclass
class Page:
    name: str
    queries: int
    seconds: float  # median
    size: int


def _largest_project() -> Project:
    project = Project.objects.annotate(n=Count("enrolments")).order_by("-n", "pk").first()
    assert project is not None  # the benchmark's data has projects
    return project


def page_targets(year: int) -> list[tuple[str, str, str]]:
    """(name, who, URL) of the pages measured: who is 'manager', 'caseworker' or
    'admin' (a superuser, for the Django admin's changelist)."""
    project = _largest_project()
    people = Participant.objects.order_by("pk")
    card = people[people.count() // 2]
    session = (
        Session.objects.filter(activity__project=project, date__year=year)
        .order_by("-date", "pk")
        .first()
    )
    assert session is not None
    participants = reverse("participants:list")
    return [
        ("dashboard", "manager", reverse("dashboard")),
        ("participant list", "manager", participants),
        (f"search '{SEARCH}'", "manager", f"{participants}?q={SEARCH}"),
        (f"admin search '{SEARCH}'", "admin", f"/admin/participants/participant/?q={SEARCH}"),
        ("participant card", "manager", reverse("participants:detail", args=[card.pk])),
        ("roll call", "manager", reverse("participants:roll_call", args=[session.pk])),
        ("caseworker's list", "caseworker", participants),
        ("annual HTML", "manager", reverse("reports:annual", args=[year])),
        ("project HTML", "manager", reverse("reports:project", args=[project.pk])),
        ("statutory HTML", "manager", reverse("reports:statutory", args=[year])),
    ]


def _settings():
    """The test client on production settings, without collectstatic (plain static
    names) and over plain HTTP."""
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return override_settings(
        ALLOWED_HOSTS=["testserver", "127.0.0.1"],
        STORAGES={**settings.STORAGES, "staticfiles": plain_static},
        WHITENOISE_AUTOREFRESH=True,
        SECURE_SSL_REDIRECT=False,
    )


def measure_pages(year: int, users: dict, repeat: int) -> list[Page]:
    """Each page once to warm up, then `repeat` times: the median."""
    rows = []
    with _settings():
        clients = {}
        for who, user in users.items():
            clients[who] = Client()
            clients[who].force_login(user)
        for name, who, url in page_targets(year):
            times = []
            for run in range(repeat + 1):
                with CaptureQueriesContext(connection) as queries:
                    started = perf_counter()
                    response = clients[who].get(url)
                    seconds = perf_counter() - started
                if response.status_code != 200:
                    raise RuntimeError(f"{name}: {url} answered {response.status_code}")
                if run:
                    times.append(seconds)
            rows.append(Page(name, len(queries), statistics.median(times), len(response.content)))
    return rows


# --- the raw SQL of the reports' main figures ---------------------------------------------
# Written by hand, each the shortest SQL for the figure, to compare a report with: the
# same definitions as reports.selectors (people served, in long-term cooperation, the
# projects' flows of people from each enrolment's last event, the participants of the
# statutory report, a project's statuses and people). PostgreSQL and SQLite alike.

SERVED = """
SELECT COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) FROM participants_participant
WHERE id IN (
  SELECT participant_id FROM participants_enrolment
   WHERE start_date <= %(last)s AND (end_date IS NULL OR end_date >= %(first)s)
  UNION SELECT a.participant_id FROM participants_attendance a
   JOIN participants_session s ON s.id = a.session_id
   WHERE s.date BETWEEN %(first)s AND %(last)s AND a.status = 'present'
  UNION SELECT participant_id FROM participants_socialcontract
   WHERE start_date <= %(last)s AND (end_date IS NULL OR end_date >= %(first)s)
  UNION SELECT participant_id FROM participants_placement
   WHERE start_date <= %(last)s AND (end_date IS NULL OR end_date >= %(first)s)
  UNION SELECT p.participant_id FROM participants_communityevent_participants p
   JOIN participants_communityevent e ON e.id = p.communityevent_id
   WHERE e.date BETWEEN %(first)s AND %(last)s
  UNION SELECT participant_id FROM participants_shortcontact
   WHERE date BETWEEN %(first)s AND %(last)s)
"""
LONG_TERM = """
SELECT COUNT(*) FROM participants_participant WHERE id IN (
  SELECT n.participant_id FROM participants_enrolment n
   JOIN projects_project p ON p.id = n.project_id AND p.is_club_programme
   WHERE n.start_date <= %(last)s AND (n.end_date IS NULL OR n.end_date >= %(first)s)
  UNION SELECT participant_id FROM participants_socialcontract
   WHERE start_date <= %(last)s AND (end_date IS NULL OR end_date >= %(first)s))
"""
# Each enrolment's status on a day: its last event then, per project.
STATUS_ON = """
SELECT n.project_id, r.kind, COUNT(*) FROM participants_enrolment n JOIN (
  SELECT enrolment_id, kind, ROW_NUMBER() OVER (
    PARTITION BY enrolment_id ORDER BY date DESC, id DESC) AS place
  FROM participants_enrolmentevent WHERE date {op} %(day)s) r
  ON r.enrolment_id = n.id AND r.place = 1
{where} GROUP BY n.project_id, r.kind
"""
EVENTS_IN_YEAR = """
SELECT n.project_id, e.kind, COUNT(DISTINCT e.enrolment_id) FROM participants_enrolmentevent e
JOIN participants_enrolment n ON n.id = e.enrolment_id
WHERE e.date BETWEEN %(first)s AND %(last)s GROUP BY n.project_id, e.kind
"""
ENGAGED = """
SELECT COUNT(*) FROM participants_participant WHERE id IN (
  SELECT n.participant_id FROM participants_enrolment n JOIN (
    SELECT enrolment_id, kind, ROW_NUMBER() OVER (
      PARTITION BY enrolment_id ORDER BY date DESC, id DESC) AS place
    FROM participants_enrolmentevent WHERE date < %(first)s) r
    ON r.enrolment_id = n.id AND r.place = 1 AND r.kind IN ('started', 'returned')
  UNION SELECT participant_id FROM participants_enrolment
   WHERE start_date BETWEEN %(first)s AND %(last)s
  UNION SELECT n.participant_id FROM participants_enrolmentevent e
   JOIN participants_enrolment n ON n.id = e.enrolment_id
   WHERE e.kind = 'returned' AND e.date BETWEEN %(first)s AND %(last)s)
"""
PROJECT_PEOPLE = """
SELECT COUNT(*), SUM(CASE WHEN p.sex = 'F' THEN 1 ELSE 0 END) FROM participants_enrolment n
JOIN participants_participant p ON p.id = n.participant_id
WHERE n.project_id = %(project)s AND n.start_date <= %(today)s
"""


def raw_figures(year: int, repeat: int) -> dict[str, float]:
    """The median seconds of each report's main figures in raw SQL."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    today = date.today()
    project = _largest_project().pk
    year_params: dict[str, Any] = {"first": first, "last": last}
    reports: dict[str, list[tuple[str, dict[str, Any]]]] = {
        "annual HTML": [
            (SERVED, year_params),
            (LONG_TERM, year_params),
            (STATUS_ON.format(op="<", where=""), {"day": first}),
            (STATUS_ON.format(op="<=", where=""), {"day": last}),
            (EVENTS_IN_YEAR, year_params),
        ],
        "statutory HTML": [
            (ENGAGED, year_params),
            (STATUS_ON.format(op="<=", where=""), {"day": last}),
            (EVENTS_IN_YEAR, year_params),
        ],
        "project HTML": [
            (PROJECT_PEOPLE, {"project": project, "today": today}),
            (
                STATUS_ON.format(op="<=", where="WHERE n.project_id = %(project)s"),
                {"day": today, "project": project},
            ),
        ],
        "dashboard": [(SERVED, {"first": date(today.year, 1, 1), "last": today})],
    }
    results = {}
    with connection.cursor() as cursor:
        for name, statements in reports.items():
            times = []
            for run in range(repeat + 1):
                started = perf_counter()
                for sql, params in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()
                if run:
                    times.append(perf_counter() - started)
            results[name] = statistics.median(times)
    return results


# --- load: locust against gunicorn ----------------------------------------------------------


@dataclass
class Load:
    users: int
    workers: int
    seconds: int
    requests: int
    failures: int
    per_second: float
    p50: float  # milliseconds
    p95: float
    p99: float


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cookie(user) -> str:
    """A signed-in session of the user, stored as a login would store it."""
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def run_load(year: int, users: dict, clients: int, workers: int, seconds: int) -> Load:
    """gunicorn with `workers` on 127.0.0.1, locust with `clients` users for `seconds`
    (headless, bounded, stopping by itself), a mixed workload of caseworkers (3 in 4:
    list, search, card, roll call) and managers (dashboard, list, reports)."""
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    targets = {name: url for name, _who, url in page_targets(year)}
    plan = {
        "caseworker": {
            "cookie": _cookie(users["caseworker"]),
            "urls": [
                targets["caseworker's list"],
                f"{targets['participant list']}?q={SEARCH}",
                targets["participant card"],
                targets["roll call"],
            ],
        },
        "manager": {
            "cookie": _cookie(users["manager"]),
            "urls": [
                targets["dashboard"],
                targets["participant list"],
                targets["participant card"],
                targets["annual HTML"],
                targets["statutory HTML"],
            ],
        },
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kis.settings_bench",
        "KIS_BENCH_PLAN": json.dumps(plan),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kis.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        start_new_session=True,
    )
    try:
        _wait_for(f"{host}/healthz")
        with tempfile.TemporaryDirectory(prefix="kis-locust-") as folder:
            prefix = Path(folder) / "load"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "--host",
                    host,
                    "--users",
                    str(clients),
                    "--spawn-rate",
                    str(max(clients // 5, 1)),
                    "--run-time",
                    f"{seconds}s",
                    "--stop-timeout",
                    "10",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env=env,
                check=False,
                timeout=seconds + 120,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            with open(f"{prefix}_stats.csv", newline="") as stats:
                total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    finally:
        # The server and its workers only (their own process group), however busy.
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
    return Load(
        users=clients,
        workers=workers,
        seconds=seconds,
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        per_second=float(total["Requests/s"]),
        p50=float(total["50%"]),
        p95=float(total["95%"]),
        p99=float(total["99%"]),
    )


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (127.0.0.1 only)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def as_json(size: int, build: float, pages: list[Page], raw: dict, load: Load | None) -> str:
    return json.dumps(
        {
            "size": size,
            "build": build,
            "pages": [asdict(page) for page in pages],
            "raw": raw,
            "load": asdict(load) if load else None,
        }
    )
