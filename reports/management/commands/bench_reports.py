"""Benchmark of the reports on a large synthetic year, in a database of its own.

    manage.py bench_reports              # a fresh SQLite file in a temporary directory
    manage.py bench_reports --small      # a quick run
    manage.py bench_reports --database-url postgres://postgres@127.0.0.1:5432/kis_bench

The developer's database is never touched: the command starts itself again in a child
process whose DATABASE_URL is the benchmark database (and KIS_BENCH_CHILD=1). The
parent refuses a benchmark database that is the one of the current settings and drops
and recreates it, so that every run starts empty. The child migrates the empty
database, builds the year with bulk_create, then requests each report twice through
the test client signed in as a manager and prints the queries, the time and the size
of the second (warm) run.

A developer's tool, not a test: plain English output, nothing translated.
"""

import json
import os
import platform
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from time import perf_counter, process_time

import django
import environ
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from kis import roles
from kis.lib.pesel import pesel_make
from kis.lib.text import fold
from participants.models import (
    Activity,
    ActivityParticipant,
    Attendance,
    CommunityEvent,
    Diagnosis,
    DropoutReason,
    Employment,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    Participant,
    Placement,
    Session,
    ShortContact,
    SocialContract,
    SupportForm,
)
from projects.models import (
    BudgetCategory,
    BudgetLine,
    Expenditure,
    FundingProgramme,
    Indicator,
    Organisation,
    Project,
    ProjectStaff,
    StaffMember,
)
from reports import benchmarks

CHILD_FLAG = "KIS_BENCH_CHILD"
RESULT_ENV = "KIS_BENCH_RESULT"
MANAGER, CASEWORKER = "bench-kierownik", "bench-pracownik"
URL_ENV = "KIS_BENCH_DATABASE_URL"
BATCH = 5000
PRESETS = {
    "default": {"participants": 5000, "activities": 500, "marks": 300_000},
    "small": {"participants": 300, "activities": 30, "marks": 10_000},
}
D = Decimal
CENT = D("0.01")
Kind = EnrolmentEvent.Kind
STATUS_AFTER = {
    Kind.STARTED: Enrolment.Status.ACTIVE,
    Kind.RETURNED: Enrolment.Status.ACTIVE,
    Kind.DROPPED_OUT: Enrolment.Status.DROPPED_OUT,
    Kind.LEFT_FOR_JOB: Enrolment.Status.LEFT_FOR_JOB,
    Kind.COMPLETED: Enrolment.Status.COMPLETED,
}
PRESENT, ABSENT, EXCUSED = (
    Attendance.Status.PRESENT,
    Attendance.Status.ABSENT,
    Attendance.Status.EXCUSED,
)
# Forms that are placements or events rather than activities with sessions.
NOT_ACTIVITIES = {"internship", "psu", "community"}
LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}

WOMEN = "Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Krystyna Elżbieta Joanna"
MEN = "Piotr Krzysztof Andrzej Tomasz Jan Paweł Michał Marcin Stanisław Łukasz"
SURNAMES = (
    "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
    "Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski "
    "Nowakowski Pawłowski Michalski Nowicki Adamczyk Dudek Zając Wieczorek Jabłoński Król "
    "Majewski Olszewski Jaworski Wróbel Malinowski Pawlak Witkowski Walczak Stępień Górski "
    "Rutkowski Michalak Sikora Ostrowski Baran Duda Szewczyk Tomaszewski Pietrzak Marciniak"
)
TOWNS = ["Lipnica Dolna", "Lipnica Górna", "Zagórze", "Podlesie", "Wola Lipnicka", "Brzeziny"]


class Command(BaseCommand):
    help = (
        "Benchmark the reports (annual HTML/PDF/XLSX, project HTML/PDF, statutory HTML/PDF) "
        "on a large synthetic year in a separate, freshly created database: prints the "
        "number of SQL queries, the seconds and the bytes of each (second, warm run), the "
        "data sizes and the build time. The database of the settings is never used."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url",
            metavar="URL",
            help="The benchmark database, e.g. postgres://postgres@127.0.0.1:5432/kis_bench "
            "(a PostgreSQL database is dropped and created again through the 'postgres' "
            "maintenance database; a SQLite file is deleted and created again). Refused if "
            "it is the database of the current settings. Default: a new SQLite file in a "
            "temporary directory, deleted afterwards.",
        )
        parser.add_argument(
            "--participants",
            type=int,
            help=f"People in the register (default {PRESETS['default']['participants']}).",
        )
        parser.add_argument(
            "--activities",
            type=int,
            help="Activities with 10–16 participants and sessions twice a week "
            f"(default {PRESETS['default']['activities']}).",
        )
        parser.add_argument(
            "--marks",
            type=int,
            help="Attendance marks in total; the number of sessions follows "
            f"(default {PRESETS['default']['marks']}).",
        )
        parser.add_argument(
            "--year", type=int, default=2025, help="The year of the reports (default 2025)."
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help="A quick run: {participants} participants, {activities} activities, "
            "{marks} marks (explicit sizes still win).".format(**PRESETS["small"]),
        )
        parser.add_argument(
            "--seed", type=int, default=2025, help="Seed of the random data (default 2025)."
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the temporary SQLite file and print where it is (a PostgreSQL "
            "benchmark database is kept until the next run).",
        )
        parser.add_argument(
            "--pages",
            action="store_true",
            help="Also measure the pages (dashboard, participant list, search, the admin's "
            "changelist search, card, roll call, each report's HTML: the median of "
            "--repeat requests) and the raw SQL of each report's main figures.",
        )
        parser.add_argument(
            "--sizes",
            metavar="N,N",
            help="Build and measure at each of these numbers of participants in turn, in "
            "one run (e.g. 5000,100000), and print the ratios of the largest to the "
            "smallest; activities = participants / 50 and marks = participants × 10 "
            "unless given. Implies --pages.",
        )
        parser.add_argument(
            "--repeat", type=int, default=5, help="Requests per page with --pages (default 5)."
        )
        parser.add_argument(
            "--load",
            action="store_true",
            help="Then a load test at the (largest) size: gunicorn on 127.0.0.1 and locust "
            "(headless, --load-users users for --load-seconds), a mixed caseworker and "
            "manager workload; prints requests per second and p50/p95/p99.",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Measure the data a previous run left in --database-url (PostgreSQL keeps "
            "it until the next run): migrate, no build. Not with --sizes.",
        )
        parser.add_argument("--load-users", type=int, default=50)
        parser.add_argument("--load-seconds", type=int, default=60)
        parser.add_argument("--load-workers", type=int, default=4)

    def handle(self, *args, **options):
        preset = PRESETS["small" if options["small"] else "default"]
        sizes = {key: options[key] if options[key] is not None else preset[key] for key in preset}
        year = options["year"]
        if sizes["participants"] < 10 or sizes["activities"] < 1 or sizes["marks"] < 0:
            raise CommandError("Use at least 10 participants, 1 activity and 0 marks.")
        if not 2001 <= year <= timezone.localdate().year:
            raise CommandError("The year must be between 2001 and the current year.")
        if options["repeat"] < 1 or options["load_users"] < 1 or options["load_seconds"] < 1:
            raise CommandError("--repeat, --load-users and --load-seconds must be 1 or more.")
        if os.environ.get(CHILD_FLAG) == "1":
            self._child(sizes, year, options)
        elif options["sizes"] and options["reuse"]:
            raise CommandError("--reuse measures one database: not with --sizes.")
        elif options["sizes"]:
            self._sizes(year, options)
        else:
            self._parent(sizes, year, options)

    def _sizes(self, year, options):
        """Each size in turn in the same (recreated) database, then the ratios."""
        try:
            counts = sorted({int(n) for n in options["sizes"].split(",")})
        except ValueError:
            raise CommandError("--sizes takes numbers of participants: 5000,100000") from None
        if not counts or counts[0] < 10:
            raise CommandError("Use at least 10 participants.")
        results = []
        for n in counts:
            sizes = {
                "participants": n,
                "activities": options["activities"] or max(n // 50, 1),
                "marks": options["marks"] if options["marks"] is not None else n * 10,
            }
            with tempfile.NamedTemporaryFile(suffix=".json") as result:
                self._parent(
                    sizes,
                    year,
                    {**options, "pages": True, "load": options["load"] and n == counts[-1]},
                    result_file=result.name,
                )
                results.append(json.loads(Path(result.name).read_text()))
        self.stdout.write("")
        for line in comparison(results):
            self.stdout.write(line)

    # --- the parent: a database of its own, then the child ------------------------------

    def _parent(self, sizes, year, options, result_file=None):
        url = options["database_url"]
        temporary = None
        if not url:
            temporary = Path(tempfile.mkdtemp(prefix="kis-bench-"))
            url = f"sqlite:///{temporary / 'bench.sqlite3'}"
        config = environ.Env.db_url_config(url)
        _refuse_known_database(config)
        if not options.get("reuse"):
            _recreate(config)
        self.stdout.write(f"Benchmark database: {_describe(config)}")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            URL_ENV: url,
            CHILD_FLAG: "1",
            "DJANGO_SETTINGS_MODULE": "kis.settings",
            # Production-like: DEBUG off with a throw-away key.
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "KIS_DEMO_MODE": "false",
            "CONN_MAX_AGE": "0",
            "PYTHONUNBUFFERED": "1",
        }
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench_reports",
            *("--participants", str(sizes["participants"])),
            *("--activities", str(sizes["activities"])),
            *("--marks", str(sizes["marks"])),
            *("--year", str(year)),
            *("--seed", str(options["seed"])),
            *("--repeat", str(options["repeat"])),
            *("--load-users", str(options["load_users"])),
            *("--load-seconds", str(options["load_seconds"])),
            *("--load-workers", str(options["load_workers"])),
            *(["--pages"] if options["pages"] else []),
            *(["--reuse"] if options.get("reuse") else []),
            *(["--load"] if options["load"] else []),
        ]
        if result_file:
            env[RESULT_ENV] = result_file
        try:
            child = subprocess.Popen(
                command,
                env=env,
                cwd=settings.BASE_DIR,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for line in child.stdout or ():
                self.stdout.write(line, ending="")
            code = child.wait()
        finally:
            if temporary and options["keep"]:
                self.stdout.write(f"Kept {temporary / 'bench.sqlite3'}")
            elif temporary:
                shutil.rmtree(temporary, ignore_errors=True)
        if code:
            raise CommandError(f"The benchmark failed (exit code {code}).")

    # --- the child: migrate, build, measure ------------------------------------------------

    def _child(self, sizes, year, options):
        seed = options["seed"]
        url = os.environ.get(URL_ENV)
        if not url or url != os.environ.get("DATABASE_URL"):
            raise CommandError(
                f"{CHILD_FLAG}=1 is for the process started by bench_reports itself."
            )
        reuse = options["reuse"]
        if connection.introspection.table_names() and not reuse:
            raise CommandError("The benchmark database is not empty: refusing to use it.")
        if reuse and not get_user_model().objects.filter(username=MANAGER).exists():
            raise CommandError("--reuse needs a database built by bench_reports.")
        out = self.stdout
        out.write(
            f"Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, "
            f"Django {django.get_version()}, {_server(connection)}"
        )
        started = perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        out.write(f"Migrate: {perf_counter() - started:.1f} s")

        builder = Builder(year, random.Random(seed), **sizes)
        if reuse:
            accounts = get_user_model().objects
            builder.manager = accounts.get(username=MANAGER)
            builder.caseworker = accounts.get(username=CASEWORKER)
            out.write("Reusing the data built before (no build).")
        else:
            out.write(
                f"Building year {year}: {sizes['participants']} participants, "
                f"{sizes['activities']} activities, {sizes['marks']} marks…"
            )
        started, cpu = perf_counter(), process_time()
        if not reuse:
            with transaction.atomic():
                builder.build()
        if connection.vendor == "postgresql":
            # What autovacuum would have done by the time anyone asks for a report.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        build = perf_counter() - started
        # On a machine shared with other work the wall time overstates: the CPU time of
        # this process (Python's side; the database server's is apart) says how much.
        out.write(f"Build: {build:.1f} s (CPU of this process {process_time() - cpu:.1f} s)")
        counts = {
            "participants": Participant.objects.count(),
            "enrolments": Enrolment.objects.count(),
            "enrolment events": EnrolmentEvent.objects.count(),
            "activities": Activity.objects.count(),
            "sessions": Session.objects.count(),
            "marks": Attendance.objects.count(),
            "expenditures": Expenditure.objects.count(),
            "contracts": SocialContract.objects.count(),
            "placements": Placement.objects.count(),
            "jobs": Employment.objects.count(),
            "community events": CommunityEvent.objects.count(),
            "short contacts": ShortContact.objects.count(),
        }
        out.write("Data: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
        if counts["marks"] < sizes["marks"] * 0.95:
            out.write(
                "Note: fewer marks than asked: the activities cannot hold more sessions "
                "(at most twice a week within the year)."
            )

        rows = measure(year, builder.manager)
        width = max(len(row.name) for row in rows)
        out.write("")
        out.write(f"{'report':<{width}} | queries | seconds |    bytes")
        out.write(f"{'-' * width}-|---------|---------|---------")
        for row in rows:
            out.write(
                f"{row.name:<{width}} | {row.queries:>7} | {row.seconds:>7.3f} | {row.size:>8}"
            )
        out.write(
            "(second of two runs of each request; the queries include the session and user "
            "look-ups of the request)"
        )
        if not options["pages"]:
            return
        users = {
            "manager": builder.manager,
            "caseworker": builder.caseworker,
            "admin": get_user_model().objects.filter(username="bench-admin").first()
            or get_user_model().objects.create_superuser("bench-admin", is_staff=True),
        }
        pages = benchmarks.measure_pages(year, users, options["repeat"])
        raw = benchmarks.raw_figures(year, options["repeat"])
        width = max(len(page.name) for page in pages)
        out.write("")
        out.write(f"{'page':<{width}} | queries | median s |    bytes | raw SQL s")
        out.write(f"{'-' * width}-|---------|----------|----------|----------")
        for page in pages:
            sql = f"{raw[page.name]:>9.3f}" if page.name in raw else ""
            out.write(
                f"{page.name:<{width}} | {page.queries:>7} | {page.seconds:>8.3f} | "
                f"{page.size:>8} | {sql}"
            )
        out.write(
            f"(median of {options['repeat']} requests after one more; raw SQL: the report's "
            "main figures written by hand, reports/benchmarks.py)"
        )
        load = None
        if options["load"]:
            out.write("")
            out.write(
                f"Load: {options['load_users']} users for {options['load_seconds']} s, "
                f"gunicorn with {options['load_workers']} workers on 127.0.0.1…"
            )
            load = benchmarks.run_load(
                year,
                users,
                options["load_users"],
                options["load_workers"],
                options["load_seconds"],
            )
            out.write(
                f"Load: {load.requests} requests, {load.failures} failed, "
                f"{load.per_second:.1f} req/s, p50 {load.p50:.0f} ms, p95 {load.p95:.0f} ms, "
                f"p99 {load.p99:.0f} ms"
            )
        if os.environ.get(RESULT_ENV):
            Path(os.environ[RESULT_ENV]).write_text(
                benchmarks.as_json(sizes["participants"], build, pages, raw, load)
            )


# --- databases ------------------------------------------------------------------------------


def _key(config: dict) -> tuple | None:
    """What identifies a database; None for in-memory SQLite (private to a process)."""
    engine = config.get("ENGINE", "")
    name = str(config.get("NAME") or "")
    if "sqlite" in engine:
        if not name or ":memory:" in name or "mode=memory" in name:
            return None
        return ("sqlite", str(Path(name).expanduser().resolve()))
    host = str(config.get("HOST") or "")
    host = "local" if host in LOCAL_HOSTS or host.startswith("/") else host
    port = str(config.get("PORT") or ("5432" if "postgresql" in engine else ""))
    return (engine.rsplit(".", 1)[-1], name, host, port)


def _refuse_known_database(config: dict) -> None:
    """Refuse the database of the current settings (and the developer's default)."""
    known = [*settings.DATABASES.values()]
    known.append({"ENGINE": "django.db.backends.sqlite3", "NAME": settings.BASE_DIR / "db.sqlite3"})
    if os.environ.get("DATABASE_URL"):
        known.append(environ.Env.db_url_config(os.environ["DATABASE_URL"]))
    key = _key(config)
    for other in known:
        other_key = _key(other)
        # Test databases are named after the real one; compare both names.
        test_name = (other.get("TEST") or {}).get("NAME")
        test_key = _key({**other, "NAME": test_name}) if test_name else None
        if key is not None and key in (other_key, test_key):
            raise CommandError(
                "Refusing to benchmark on the database of the current settings "
                f"({_describe(config)}): give another --database-url."
            )
    engine = config.get("ENGINE", "")
    if "postgresql" in engine and config.get("NAME") in ("postgres", "template0", "template1"):
        raise CommandError("Give a database of its own, not a system database.")
    if "sqlite" not in engine and "postgresql" not in engine:
        raise CommandError("Only SQLite and PostgreSQL URLs are supported.")


def _recreate(config: dict) -> None:
    """Start from an empty database: drop it and create it again."""
    name = str(config.get("NAME") or "")
    if "sqlite" in config["ENGINE"]:
        if _key(config) is None:
            return
        path = Path(name).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg2
    from psycopg2 import sql

    maintenance = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    try:
        maintenance.autocommit = True
        with maintenance.cursor() as cursor:
            force = (
                sql.SQL(" WITH (FORCE)") if maintenance.server_version >= 130000 else sql.SQL("")
            )
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)) + force
            )
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        maintenance.close()


def _describe(config: dict) -> str:
    if "sqlite" in config.get("ENGINE", ""):
        return f"SQLite {config.get('NAME')}"
    host = config.get("HOST") or "local socket"
    return f"PostgreSQL {config.get('NAME')} on {host}:{config.get('PORT') or 5432}"


def _server(conn) -> str:
    if conn.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    queries: int
    seconds: float
    size: int


def measure(year: int, manager) -> list[Row]:
    """Each report twice through the test client; the second (warm) run is kept."""
    largest = Project.objects.annotate(n=Count("enrolments")).order_by("-n", "pk").first()
    assert largest is not None  # the data built above has projects
    targets = [
        ("annual HTML", reverse("reports:annual", args=[year])),
        ("annual PDF", reverse("reports:annual_pdf", args=[year])),
        ("annual XLSX", reverse("reports:annual_xlsx", args=[year])),
        ("project HTML", reverse("reports:project", args=[largest.pk])),
        ("project PDF", reverse("reports:project_pdf", args=[largest.pk])),
        ("statutory HTML", reverse("reports:statutory", args=[year])),
        ("statutory PDF", reverse("reports:statutory_pdf", args=[year])),
    ]
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    rows = []
    # No collectstatic for a benchmark (it measures the reports): plain static file names.
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={**settings.STORAGES, "staticfiles": plain_static},
        WHITENOISE_AUTOREFRESH=True,
        SECURE_SSL_REDIRECT=False,  # the test client speaks plain HTTP
    ):
        client = Client()
        client.force_login(manager)
        for name, url in targets:
            for _run in range(2):
                with CaptureQueriesContext(connection) as queries:
                    started = perf_counter()
                    response = client.get(url)
                    seconds = perf_counter() - started
                if response.status_code != 200:
                    raise CommandError(f"{name}: {url} answered {response.status_code}")
            rows.append(Row(name, len(queries), seconds, len(response.content)))
    return rows


def comparison(results: list[dict]) -> list[str]:
    """The ratios of one run at several sizes: each page at the largest size against
    the smallest, the KIS search against the admin's, each report against the raw SQL
    of its figures."""
    small, large = results[0], results[-1]
    n, m = small["size"], large["size"]
    lines = [f"Build: {n} people {small['build']:.0f} s, {m} people {large['build']:.0f} s"]
    pages = {page["name"]: page for page in small["pages"]}
    width = max(len(name) for name in pages)
    lines.append(f"{'page':<{width}} | {n:>8} s | {m:>8} s | {m}/{n}")
    lines.append(f"{'-' * width}-|------------|------------|--------")
    for page in large["pages"]:
        before = pages[page["name"]]["seconds"]
        lines.append(
            f"{page['name']:<{width}} | {before:>10.3f} | {page['seconds']:>10.3f} | "
            f"{page['seconds'] / before:>6.1f}×"
        )
    for result in results:
        times = {page["name"]: page["seconds"] for page in result["pages"]}
        search = next(name for name in times if name.startswith("search"))
        admin = next(name for name in times if name.startswith("admin search"))
        lines.append(
            f"{result['size']} people: KIS search {times[search]:.3f} s, admin search "
            f"{times[admin]:.3f} s: admin / KIS = {times[admin] / times[search]:.1f}×; "
            + ", ".join(
                f"{name} / raw SQL = {times[name] / seconds:.1f}×"
                for name, seconds in result["raw"].items()
            )
        )
    return lines


# --- the synthetic year ---------------------------------------------------------------------


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return (D(rng.randint(low * 100, high * 100)) / 100).quantize(CENT)


def _bulk(model, objects: list, batch: int = BATCH) -> list:
    model.objects.bulk_create(objects, batch_size=batch)
    return objects


class Stay:
    """One enrolment while it is planned: its events and when the person is active."""

    __slots__ = ("participant", "project", "start", "periods", "events", "enrolment")

    def __init__(self, participant: Participant, project: Project, start: date):
        self.participant, self.project, self.start = participant, project, start
        # [first active day, first day no longer active (None: still active)]
        self.periods: list[list] = [[start, None]]
        self.events: list[tuple] = [(Kind.STARTED, start, None)]
        self.enrolment: Enrolment | None = None

    def on(self, day: date) -> bool:
        return any(s <= day and (e is None or day < e) for s, e in self.periods)

    def throughout(self, first: date, last: date) -> bool:
        return any(s <= first and (e is None or last < e) for s, e in self.periods)

    def stop(self, kind: str, day: date, reason=None) -> None:
        self.periods[-1][1] = day
        self.events.append((kind, day, reason))

    def resume(self, day: date) -> None:
        self.periods.append([day, None])
        self.events.append((Kind.RETURNED, day, None))

    @property
    def active_now(self) -> bool:
        return self.periods[-1][1] is None


class Builder:
    """A club's year: three projects, people with their histories, activities with
    sessions and attendance, contracts, placements, community events and spending."""

    def __init__(self, year: int, rng: random.Random, participants: int, activities: int, marks):
        self.year, self.rng = year, rng
        self.n_participants, self.n_activities, self.n_marks = participants, activities, marks
        self.first, self.last = date(year, 1, 1), date(year, 12, 31)
        self.zone = timezone.get_current_timezone()
        # The care point's children and the short contacts draw from generators of their
        # own, so that everything else is built as before they were added.
        self.care_rng, self.contact_rng = random.Random(year + 1), random.Random(year + 2)

    def build(self) -> None:
        self._catalogues()
        self._projects()
        self._participants()
        self._enrolments()
        self._diagnoses()
        self._contracts()
        self._activities()
        self._community_events()
        self._budget()
        self._indicators()
        self._short_contacts()

    # --- catalogues, users, staff, projects ----------------------------------------------

    def _catalogues(self) -> None:
        User = get_user_model()
        self.manager = User.objects.create_user(MANAGER, first_name="Bench")
        self.manager.groups.add(Group.objects.get(name=roles.MANAGER))
        self.caseworker = User.objects.create_user(CASEWORKER, first_name="Bench")
        self.caseworker.groups.add(Group.objects.get(name=roles.CASEWORKER))
        Organisation.objects.create(
            name="Ośrodek Pomocy Społecznej w Lipnicy (benchmark)",
            short_name="OPS",
            city="Lipnica Dolna",
            club_name="Klub Integracji Społecznej (benchmark)",
        )
        self.reasons = list(DropoutReason.objects.all())
        self.groups = list(ExclusionGroup.objects.all())
        self.single_parent = next(g for g in self.groups if g.code == ExclusionGroup.SINGLE_PARENT)
        self.categories = list(BudgetCategory.objects.order_by("order"))
        forms = SupportForm.objects.exclude(code__in=NOT_ACTIVITIES).order_by("order")
        self.care_point = next(f for f in forms if f.code == SupportForm.CARE_POINT)
        self.forms = [f for f in forms if f.code != SupportForm.CARE_POINT]
        R, E = StaffMember.Role, StaffMember.Employment
        staff = [
            ("Barbara", "Wilk", R.MANAGER, E.EMPLOYMENT_CONTRACT, "40"),
            ("Marta", "Kołodziej", R.SOCIAL_WORKER, E.EMPLOYMENT_CONTRACT, "40"),
            ("Ewa", "Sowa", R.SOCIAL_WORKER, E.EMPLOYMENT_CONTRACT, "40"),
            ("Krzysztof", "Lis", R.PSYCHOLOGIST, E.MANDATE, "10"),
            ("Paweł", "Sadowy", R.CAREER_ADVISOR, E.MANDATE, "12"),
            ("Irena", "Gołąb", R.LAWYER, E.SELF_EMPLOYED, "2"),
            ("Łukasz", "Żuraw", R.TRAINER, E.SPECIFIC_WORK, "8"),
            ("Hanna", "Pietras", R.VOLUNTEER, E.VOLUNTEER, "4"),
        ]
        self.staff = _bulk(
            StaffMember,
            [
                StaffMember(
                    first_name=f,
                    last_name=last,
                    role=role,
                    employment_type=kind,
                    hours_per_week=D(h),
                )
                for f, last, role, kind, h in staff
            ],
        )
        self.caseworkers = [s for s in self.staff if s.role == R.SOCIAL_WORKER]
        # The caseworker user is one of them: sees the people of his or her projects.
        self.caseworkers[0].user = self.caseworker
        self.caseworkers[0].save()

    def _projects(self) -> None:
        y = self.year
        K = FundingProgramme.Kind
        municipality, eu, state = _bulk(
            FundingProgramme,
            [
                FundingProgramme(
                    short_name="Gmina", name="Środki własne gminy", kind=K.MUNICIPALITY
                ),
                FundingProgramme(short_name="FEXX", name="Fundusze Europejskie", kind=K.EU),
                FundingProgramme(
                    short_name="OWdA",
                    name="Od wykluczenia do aktywizacji",
                    kind=K.STATE,
                    max_cofinancing_rate=D("90"),
                ),
            ],
        )
        zero = D("0.00")
        self.club = Project.objects.create(
            title=f"Program reintegracji KIS {y - 1}–{y + 1}",
            programme=municipality,
            is_club_programme=True,
            start_date=date(y - 1, 1, 1),
            end_date=date(y + 1, 12, 31),
            total_value=zero,
        )
        self.eu = Project.objects.create(
            title="Aktywna integracja w gminie Lipnica",
            number=f"FEXX.BENCH-001/{y - 1}",
            programme=eu,
            start_date=date(y - 1, 7, 1),
            end_date=date(y + 1, 6, 30),
            total_value=zero,
        )
        self.state = Project.objects.create(
            title=f"Aktywni w KIS {y}",
            number=f"OWdA/BENCH/{y}",
            programme=state,
            start_date=date(y, 1, 1),
            end_date=date(y, 12, 31),
            total_value=zero,
            status=Project.Status.SETTLED,
        )
        self.projects = [self.club, self.eu, self.state]
        _bulk(
            ProjectStaff,
            [ProjectStaff(project=p, staff_member=s) for p in self.projects for s in self.staff],
        )

    # --- people and their enrolments ------------------------------------------------------

    def _participants(self) -> None:
        rng = self.rng
        women, men, surnames = WOMEN.split(), MEN.split(), SURNAMES.split()
        bases = list(Participant.LegalBasis.values)
        educations = list(Participant.Education.values)
        statuses = list(Participant.LabourStatus.values)
        used: set[str] = set()
        people = []
        for i in range(self.n_participants):
            female = i % 2 == 0
            birth = _day(rng, date(1960, 1, 1), date(2005, 12, 31))
            serial = rng.randint(0, 999)
            pesel = pesel_make(birth, female, serial)
            while pesel in used:
                serial += 1
                pesel = pesel_make(birth, female, serial)
            used.add(pesel)
            first = rng.choice(women if female else men)
            last = rng.choice(surnames)
            if female and last.endswith("i"):
                last = last[:-1] + "a"
            people.append(
                Participant(
                    first_name=first,
                    last_name=last,
                    pesel=pesel,
                    birth_date=birth,
                    sex="F" if female else "M",
                    city=rng.choice(TOWNS),
                    municipality="Lipnica",
                    education=rng.choice(educations),
                    labour_status=rng.choice(statuses),
                    legal_basis=rng.choice(bases),
                    legal_basis_date=self.first,  # set below to the first enrolment
                    search_text=fold(f"{last} {first} {pesel}"),
                )
            )
        self.people = people  # saved in _enrolments, once the dates are known

    def _enrolments(self) -> None:
        rng, y = self.rng, self.year
        self.stays: list[Stay] = []
        self.stays_of: dict[int, list[Stay]] = {}  # by project pk
        by_person: list[list[Stay]] = []
        for person in self.people:
            if rng.random() < 0.4:
                club_start = _day(rng, date(y - 1, 2, 1), date(y - 1, 12, 15))
            else:
                club_start = _day(rng, date(y, 1, 2), date(y, 10, 31))
            stays = [Stay(person, self.club, club_start)]
            if rng.random() < 0.6:
                project = self.eu if rng.random() < 0.55 else self.state
                start = club_start + timedelta(days=rng.randint(0, 45))
                start = min(max(start, project.start_date), date(y, 12, 1))
                stays.append(Stay(person, project, start))
            person.legal_basis_date = min(s.start for s in stays)
            by_person.append(stays)
        _bulk(Participant, self.people)
        through = Participant.groups.through
        links = []
        for person in self.people:
            groups = {self.single_parent} if rng.random() < 0.12 else set()
            groups.update(rng.sample(self.groups, k=rng.choice([1, 1, 2])))
            links += [through(participant_id=person.pk, exclusiongroup_id=g.pk) for g in groups]
        _bulk(through, links)

        # Outcomes, the same for all of a person's enrolments: in the year only.
        self.jobs: list[tuple[Stay, Employment]] = []
        latest = date(y, 12, 15)
        for stays in by_person:
            earliest = max(max(s.start for s in stays) + timedelta(days=14), date(y, 1, 10))
            roll = rng.random()
            if earliest > latest or roll >= 0.18:
                pass
            elif roll < 0.10:
                day, reason = _day(rng, earliest, latest), rng.choice(self.reasons)
                for stay in stays:
                    stay.stop(Kind.DROPPED_OUT, day, reason)
            else:
                day = _day(rng, earliest, latest)
                back = day + timedelta(days=rng.randint(30, 120))
                returns = rng.random() < 0.35 and back <= self.last
                main = stays[-1]  # the funded project if any, else the club
                job = Employment(
                    participant=main.participant,
                    start_date=day,
                    end_date=back - timedelta(days=1) if returns else None,
                    employer=rng.choice(["Zakład Usług Komunalnych", "Piekarnia Kłos", "BUDMAX"]),
                    contract=rng.choice(Employment.Contract.values),
                    is_long_term=not returns and rng.random() < 0.6,
                )
                self.jobs.append((main, job))
                for stay in stays:
                    stay.stop(Kind.LEFT_FOR_JOB, day)
                    if returns:
                        stay.resume(back)
            for stay in stays:
                # The one-year project ends with the year: those still in it complete it.
                if (
                    stay.project is self.state
                    and stay.active_now
                    and stay.events[-1][1] < self.last
                ):
                    stay.events.append((Kind.COMPLETED, self.last, None))
                    stay.periods[-1][1] = self.last + timedelta(days=1)
            self.stays += stays
        for stay in self.stays:
            self.stays_of.setdefault(stay.project.pk, []).append(stay)

        enrolments = []
        for stay in self.stays:
            kind, day, _reason = stay.events[-1]
            status = STATUS_AFTER[kind]
            stay.enrolment = Enrolment(
                participant=stay.participant,
                project=stay.project,
                start_date=stay.start,
                status=status,
                status_date=day,
                end_date=None if status == Enrolment.Status.ACTIVE else day,
            )
            enrolments.append(stay.enrolment)
        _bulk(Enrolment, enrolments)
        _bulk(
            EnrolmentEvent,
            [
                EnrolmentEvent(
                    enrolment=stay.enrolment,
                    kind=kind,
                    date=day,
                    reason=reason,
                    recorded_by=self.caseworker,
                )
                for stay in self.stays
                for kind, day, reason in stay.events
            ],
        )
        self._placements()

    def _placements(self) -> None:
        """Jobs (some after an internship or socially useful work that hired the person),
        then more internships and socially useful work that did not end in a job."""
        rng = self.rng
        placements: list[Placement] = []

        def placement(kind, stay, start, end, job=None):
            outcome = (
                Placement.Outcome.HIRED
                if job
                else Placement.Outcome.ONGOING
                if end >= self.last
                else Placement.Outcome.NOT_HIRED
            )
            internship = kind == Placement.Kind.INTERNSHIP
            return Placement(
                kind=kind,
                participant=stay.participant,
                employer_name=job.employer if job else rng.choice(["Urząd Gminy", "MGOK"]),
                referral_number=f"PUP.{len(placements) + 1}.{self.year}",
                start_date=start,
                end_date=end,
                hours_per_month=D("160") if internship else D("40"),
                hiring_declared=internship,
                outcome=outcome,
                employment=job,
            )

        before = []
        for stay, job in self.jobs:
            job.enrolment = stay.enrolment
            start = max(job.start_date - timedelta(days=90), stay.start, self.first)
            end = job.start_date - timedelta(days=1)
            roll = rng.random()
            if roll < 0.3 and (end - start).days >= 14:
                kind: str = (
                    Placement.Kind.INTERNSHIP if roll < 0.2 else Placement.Kind.SOCIALLY_USEFUL_WORK
                )
                job.after_internship = kind == Placement.Kind.INTERNSHIP
                job.after_socially_useful_work = not job.after_internship
                before.append((kind, stay, start, end, job))
        _bulk(Employment, [job for _stay, job in self.jobs])
        placements += [placement(*plan) for plan in before]

        taken = {p.participant.pk for p in placements}
        for _n in range(self.n_participants * 6 // 100):
            stay = rng.choice(self.stays)
            start = _day(rng, self.first, date(self.year, 11, 1))
            end = min(start + timedelta(days=rng.choice([90, 120, 180])), self.last)
            if stay.participant.pk in taken or not stay.throughout(start, end):
                continue
            kind = rng.choice(Placement.Kind.values)
            placements.append(placement(kind, stay, start, end))
            taken.add(stay.participant.pk)
        self.placements = _bulk(Placement, placements)

    def _diagnoses(self) -> None:
        rng = self.rng
        diagnoses = []
        for stay in self.stays_of[self.eu.pk] + self.stays_of[self.state.pk]:
            if rng.random() < 0.85:
                day = min(stay.start + timedelta(days=rng.randint(3, 20)), self.last)
                diagnoses.append(
                    Diagnosis(
                        participant=stay.participant,
                        enrolment=stay.enrolment,
                        date=day,
                        needs="Wsparcie psychologiczne i doradztwo zawodowe.",
                        has_action_plan=rng.random() < 0.9,
                    )
                )
        _bulk(Diagnosis, diagnoses)

    def _contracts(self) -> None:
        rng, y = self.rng, self.year
        contracts: list[SocialContract] = []
        for stay in rng.sample(self.stays_of[self.club.pk], k=self.n_participants * 15 // 100):
            signed = _day(rng, max(stay.start + timedelta(days=3), self.first), date(y, 12, 1))
            if not stay.on(signed):
                continue
            end = min(signed + timedelta(days=rng.choice([181, 273, 364])), self.last)
            if rng.random() < 0.08:
                status, reason = SocialContract.Status.TERMINATED, "brak współpracy"
            elif end < self.last:
                status, reason = SocialContract.Status.FULFILLED, ""
            else:
                status, reason = SocialContract.Status.IN_FORCE, ""
            review = signed + timedelta(days=91)
            contracts.append(
                SocialContract(
                    number=f"KS/{len(contracts) + 1}/{y}",
                    participant=stay.participant,
                    signed_on=signed,
                    start_date=signed,
                    end_date=end,
                    goals="Podjęcie zatrudnienia; regularny udział w zajęciach.",
                    participant_obligations="Udział w zajęciach Klubu.",
                    centre_obligations="Zajęcia, poradnictwo, zasiłek celowy.",
                    caseworker=rng.choice(self.caseworkers),
                    status=status,
                    termination_reason=reason,
                    review_date=review if review <= end else None,
                )
            )
        _bulk(SocialContract, contracts)

    # --- activities, sessions, attendance -------------------------------------------------

    def _session_days(self, project: Project, count: int) -> list[date]:
        """`count` days twice a week inside the project and the year."""
        rng = self.rng
        first = max(project.start_date, self.first)
        last = min(project.end_date, self.last)
        weekdays = rng.choice([(0, 2), (1, 3), (2, 4)])
        span = (count + 1) // 2 * 7
        start = (
            _day(rng, first, last - timedelta(days=span)) if span < (last - first).days else first
        )
        days: list[date] = []
        day = start
        while len(days) < count and day <= last:
            if day.weekday() in weekdays:
                days.append(day)
            day += timedelta(days=1)
        return days

    def _group(self, stays: list[Stay], size: int, first: date, last: date) -> list[Stay]:
        """`size` people taking part on the first day, those there until the last first:
        drawn at random (a bounded number of draws), never a pass over every stay, so
        that building is linear in the data however many people the register holds."""
        rng = self.rng
        whole: list[Stay] = []
        partly: list[Stay] = []
        seen: set[int] = set()
        for _draw in range(size * 40):
            if len(whole) >= size:
                break
            stay = stays[rng.randrange(len(stays))]
            if id(stay) in seen:
                continue
            seen.add(id(stay))
            if stay.throughout(first, last):
                whole.append(stay)
            elif stay.on(first):
                partly.append(stay)
        return (whole + partly)[:size]

    def _activities(self) -> None:
        rng = self.rng
        plan = []  # (project, form, planned size)
        for n in range(self.n_activities):
            share = n % 20
            project = self.club if share < 8 else self.eu if share < 15 else self.state
            form = (
                self.care_point if project is self.club and n % 25 == 0 else rng.choice(self.forms)
            )
            plan.append((project, form, rng.randint(10, 16)))

        activity_through = Activity.staff.through
        activities, staff_links, sessions_of, people_of = [], [], [], []
        remaining_marks = self.n_marks
        remaining_places = sum(size for _p, _f, size in plan)
        for n, (project, form, size) in enumerate(plan, start=1):
            per_person = round(remaining_marks / remaining_places) if remaining_places else 0
            remaining_places -= size
            days = self._session_days(project, max(per_person, 1))
            chosen = self._group(self.stays_of[project.pk], size, days[0], days[-1])
            if not chosen:
                continue
            remaining_marks -= len(days) * len(chosen)
            hours = rng.choice([D("2"), D("3"), D("3.5"), D("4")])
            start = time(rng.choice([8, 9, 10, 12, 15]), rng.choice([0, 30]))
            activity = Activity(
                project=project,
                support_form=form,
                name=f"{form.name} – grupa {n}",
                planned_hours=hours * len(days),
                start_date=days[0],
                end_date=days[-1],
                place="sala KIS",
            )
            activities.append(activity)
            sessions_of.append(
                [
                    self._session(activity, day, start, k, hours)
                    for k, day in enumerate(days, start=1)
                ]
            )
            people_of.append(chosen)
        _bulk(Activity, activities)
        for activity in activities:
            staff_links += [
                activity_through(activity_id=activity.pk, staffmember_id=s.pk)
                for s in rng.sample(self.staff, k=rng.choice([1, 2]))
            ]
        _bulk(activity_through, staff_links)
        for activity, sessions in zip(activities, sessions_of, strict=True):
            for session in sessions:
                session.activity = activity
        _bulk(Session, [s for sessions in sessions_of for s in sessions])

        marks, assignments = [], []
        for activity, sessions, people in zip(activities, sessions_of, people_of, strict=True):
            rates = [rng.uniform(0.55, 1.0) for _ in people]
            present = [D(0)] * len(people)
            for session in sessions:
                for i, (stay, rate) in enumerate(zip(people, rates, strict=True)):
                    if not stay.on(session.date):
                        status = ABSENT  # dropped out or left for a job meanwhile
                    elif rng.random() < rate:
                        status = PRESENT
                        present[i] += session.duration_hours
                    else:
                        status = EXCUSED if rng.random() < 0.45 else ABSENT
                    marks.append(
                        Attendance(
                            session_id=session.pk,
                            participant_id=stay.participant.pk,
                            status=status,
                            dependants=self.care_rng.choice([1, 1, 2, 3])
                            if status == PRESENT and activity.support_form_id == self.care_point.pk
                            else 0,
                            recorded_by_id=self.caseworker.pk,
                        )
                    )
                if len(marks) >= BATCH:
                    _bulk(Attendance, marks)
                    marks = []
            held = sum((s.duration_hours for s in sessions), D(0))
            certificates = activity.support_form_id != self.care_point.pk
            assignments += [
                ActivityParticipant(
                    activity_id=activity.pk,
                    participant_id=stay.participant.pk,
                    completed_on=activity.end_date
                    if certificates and present[i] * 100 >= held * 80
                    else None,
                )
                for i, stay in enumerate(people)
            ]
        _bulk(Attendance, marks)
        _bulk(ActivityParticipant, assignments)

    def _short_contacts(self) -> None:
        """One-off help: a contact for every second person, some of them two, a third
        recorded under a project."""
        rng = self.contact_rng
        kinds = list(ShortContact.Kind.values)
        seen, contacts = set(), []
        for n, person in enumerate(self.people):
            for _ in range(0 if n % 2 else rng.choice([1, 1, 2])):
                key = (person.pk, _day(rng, self.first, self.last), rng.choice(kinds))
                staff = rng.choice(self.staff)
                if (*key, staff.pk) in seen:
                    continue
                seen.add((*key, staff.pk))
                contacts.append(
                    ShortContact(
                        participant_id=person.pk,
                        date=key[1],
                        kind=key[2],
                        staff=staff,
                        duration_hours=rng.choice([D("0.5"), D("1"), D("1.5")]),
                        project=self.club if rng.random() < 0.3 else None,
                    )
                )
        _bulk(ShortContact, contacts)

    def _session(self, activity, day: date, start: time, k: int, hours: Decimal) -> Session:
        ended = datetime.combine(day, start) + timedelta(minutes=int(hours * 60))
        return Session(
            activity=activity,
            date=day,
            start_time=start,
            duration_hours=hours,
            topic=f"Spotkanie {k}",
            roll_call_at=timezone.make_aware(ended, self.zone),
            roll_call_by=self.caseworker,
        )

    # --- community events, money, indicators ---------------------------------------------

    def _community_events(self) -> None:
        rng = self.rng
        events, plans = [], []
        for n in range(20):
            day = self.first + timedelta(days=n * 18 + rng.randint(0, 10))
            project = self.projects[n % 5 // 3]  # mostly the club's own
            pool = {s.participant.pk for s in self.stays_of[project.pk] if s.on(day)} or {
                s.participant.pk for s in self.stays_of[project.pk]
            }
            chosen = rng.sample(sorted(pool), k=min(rng.randint(20, 80), len(pool)))
            events.append(
                CommunityEvent(
                    name=f"Wydarzenie środowiskowe {n + 1}",
                    date=day,
                    end_date=day + timedelta(days=1) if n % 7 == 0 else None,
                    place="Park Miejski",
                    project=project,
                    outside_count=rng.randint(0, 60),
                )
            )
            plans.append(chosen)
        _bulk(CommunityEvent, events)
        through = CommunityEvent.participants.through
        _bulk(
            through,
            [
                through(communityevent_id=event.pk, participant_id=pk)
                for event, chosen in zip(events, plans, strict=True)
                for pk in chosen
            ],
        )

    def _budget(self) -> None:
        rng = self.rng
        S = Expenditure.Source
        sources = {
            self.club.pk: [S.MUNICIPALITY],
            self.eu.pk: [S.EU, S.EU, S.EU, S.MUNICIPALITY],
            self.state.pk: [S.STATE, S.STATE, S.MUNICIPALITY],
        }
        count = max(self.n_participants * 3 // 5, 30)
        spending = []
        for n in range(count):
            project = self.projects[n % 3]
            spending.append(
                Expenditure(
                    project=project,
                    category=rng.choice(self.categories),
                    date=_day(
                        rng, max(project.start_date, self.first), min(project.end_date, self.last)
                    ),
                    amount=_money(rng, 50, 5000),
                    source=rng.choice(sources[project.pk]),
                    document_number=f"FV/{n + 1}/{self.year}",
                )
            )
        _bulk(Expenditure, spending)
        spent: dict[tuple, Decimal] = {}
        for e in spending:
            key = (e.project.pk, e.category.pk)
            spent[key] = spent.get(key, D(0)) + e.amount
        lines = []
        for project in self.projects:
            for year in project.years():
                for category in self.categories:
                    base = spent.get((project.pk, category.pk), D("1000"))
                    planned = (base * D(rng.uniform(1.0, 1.25))).quantize(CENT)
                    lines.append(
                        BudgetLine(
                            project=project, category=category, year=year, planned_amount=planned
                        )
                    )
        _bulk(BudgetLine, lines)
        rates = {self.club.pk: D("0"), self.eu.pk: D("0.85"), self.state.pk: D("0.9")}
        for project in self.projects:
            total = sum((line.planned_amount for line in lines if line.project is project), D(0))
            project.total_value = total
            project.cofinancing = (total * rates[project.pk]).quantize(CENT, rounding=ROUND_DOWN)
            project.own_contribution = total - project.cofinancing
            project.target_participants = len(self.stays_of[project.pk])
            project.save()

    def _indicators(self) -> None:
        M, U, K = Indicator.Measure, Indicator.Unit, Indicator.Kind
        rows = []
        for project in self.projects:
            people = D(len(self.stays_of[project.pk]))
            half = (people / 2).quantize(D("1"))
            specs = [
                ("Liczba uczestników", K.OUTPUT, U.PERSONS, M.PARTICIPANTS, people, half),
                ("Uczestnicy z IPD", K.OUTPUT, U.PERCENT, M.ACTION_PLAN, D("100"), None),
                ("Uczestnicy, którzy ukończyli", K.RESULT, U.PERCENT, M.COMPLETED, D("80"), None),
                ("Osoby, które podjęły pracę", K.RESULT, U.PERSONS, M.JOBS, D("40"), D("20")),
                ("Kontrakty socjalne", K.RESULT, U.PERSONS, M.CONTRACTS, D("50"), D("25")),
                ("Spotkania z pracodawcami", K.OUTPUT, U.PIECES, M.MANUAL, D("12"), None),
            ]
            for order, (name, kind, unit, measure, total, women) in enumerate(specs, start=1):
                rows.append(
                    Indicator(
                        project=project,
                        name=name,
                        kind=kind,
                        unit=unit,
                        measure=measure,
                        target_total=total,
                        target_women=women,
                        target_men=total - women if women is not None else None,
                        order=order,
                    )
                )
        _bulk(Indicator, rows)
