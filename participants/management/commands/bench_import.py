"""Benchmark of the import: N participants (5000 by default) from a generated workbook,
checked and saved in the background by a real worker (`db_worker`, the production
task backend), with the progress the wizard shows printed as it comes.

Like bench_reports it never touches the database of the settings: it runs itself again
in a child process on a fresh SQLite file in a temporary directory, or on
`--database-url`, which it drops and creates again (refused if it is the settings').

    DEBUG=true .venv/bin/python manage.py bench_import
    DEBUG=true .venv/bin/python manage.py bench_import --database-url postgres://postgres@127.0.0.1:5432/kis_bench
"""

import io
import os
import platform
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from time import perf_counter, sleep

import environ
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

CHILD_FLAG = "KIS_BENCH_IMPORT_CHILD"
URL_ENV = "KIS_BENCH_IMPORT_URL"
FIRST = ["Anna", "Maria", "Katarzyna", "Jan", "Piotr", "Andrzej", "Ewa", "Tomasz", "Zofia"]
LAST = ["Nowak", "Kowalczyk", "Wiśniewska", "Wójcik", "Kamiński", "Lewandowska", "Zieliński"]


class Command(BaseCommand):
    help = "Import N generated participants in the background with progress (a benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5000)
        parser.add_argument("--database-url", default="")
        parser.add_argument("--seed", type=int, default=16)

    def handle(self, *args, **options):
        if options["rows"] < 1:
            raise CommandError("--rows must be 1 or more.")
        if os.environ.get(CHILD_FLAG) == "1":
            self._child(options)
        else:
            self._parent(options)

    def _parent(self, options):
        from reports.management.commands.bench_reports import (
            _describe,
            _recreate,
            _refuse_known_database,
        )

        url = options["database_url"]
        temporary = None
        if not url:
            temporary = Path(tempfile.mkdtemp(prefix="kis-bench-import-"))
            url = f"sqlite:///{temporary / 'bench.sqlite3'}"
        config = environ.Env.db_url_config(url)
        _refuse_known_database(config)
        _recreate(config)
        self.stdout.write(f"Benchmark database: {_describe(config)}")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            URL_ENV: url,
            CHILD_FLAG: "1",
            "DJANGO_SETTINGS_MODULE": "kis.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "KIS_DEMO_MODE": "false",
            "MEDIA_ROOT": str(Path(temporary or tempfile.gettempdir()) / "bench-media"),
            "PYTHONUNBUFFERED": "1",
        }
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench_import",
            *("--rows", str(options["rows"])),
            *("--seed", str(options["seed"])),
        ]
        try:
            code = subprocess.call(command, env=env, cwd=settings.BASE_DIR)
        finally:
            if temporary:
                shutil.rmtree(temporary, ignore_errors=True)
        if code:
            raise CommandError(f"The benchmark failed (exit code {code}).")

    def _child(self, options):
        from django.contrib.auth.models import User
        from openpyxl import Workbook

        from kis import roles
        from kis.jobs import job_start
        from kis.lib.pesel import pesel_make
        from kis.models import BackgroundJob
        from kis.services import user_account_save
        from participants.importing import read_table, suggest_mapping, suggest_values
        from participants.models import Enrolment, ImportBatch, Participant
        from participants.tasks import import_check, import_run
        from projects.models import Project
        from reports.management.commands.bench_reports import _server

        if os.environ.get(URL_ENV) != os.environ.get("DATABASE_URL"):
            raise CommandError(f"{CHILD_FLAG}=1 is for the process bench_import starts.")
        if connection.introspection.table_names():
            raise CommandError("The benchmark database is not empty: refusing to use it.")
        out = self.stdout
        out.write(
            f"Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, "
            f"{_server(connection)}"
        )
        call_command("migrate", verbosity=0, interactive=False)
        rng = random.Random(options["seed"])
        today = date.today()
        project = Project.objects.create(
            title="Projekt do pomiaru importu",
            number="BENCH/1",
            start_date=today - timedelta(days=400),
            end_date=today + timedelta(days=400),
            total_value=100,
            cofinancing=85,
            own_contribution=15,
            target_participants=options["rows"],
        )
        user_account_save(
            username="bench-manager",
            first_name="Jerzy",
            last_name="Pomiarowy",
            email="",
            role=roles.MANAGER,
        )
        manager = User.objects.get(username="bench-manager")

        book = Workbook()
        sheet = book.worksheets[0]
        sheet.append(
            [
                "Nazwisko",
                "Imię",
                "PESEL",
                "Płeć",
                "Kod pocztowy",
                "Miejscowość",
                "Wykształcenie",
                "Obywatelstwo",
                "Data rozpoczęcia udziału w projekcie",
            ]
        )
        used: set[str] = set()
        for number in range(options["rows"]):
            female = rng.random() < 0.5
            while True:
                born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
                pesel = pesel_make(born, female, rng.randrange(0, 999))
                if pesel not in used:
                    used.add(pesel)
                    break
            sheet.append(
                [
                    f"{rng.choice(LAST)}-{number}",
                    rng.choice(FIRST),
                    pesel,
                    "Kobieta" if female else "Mężczyzna",
                    f"34-{rng.randrange(100, 999)}",
                    "Lipnica Dolna",
                    rng.choice(
                        ["Podstawowe (ISCED 1)", "Gimnazjalne (ISCED 2)", "Wyższe (ISCED 5–8)"]
                    ),
                    "Obywatelstwo polskie",
                    (today - timedelta(days=rng.randrange(1, 300))).strftime("%d.%m.%Y"),
                ]
            )
        content = io.BytesIO()
        book.save(content)
        table = read_table("bench.xlsx", content.getvalue())
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.PARTICIPANTS,
            owner=manager,
            file_name="bench.xlsx",
            headers=table.headers,
            rows=table.rows,
            mapping=suggest_mapping(table.headers),
            project=project,
            options={
                "first_row": table.first_row,
                "legal_basis": "law",
                "legal_basis_date": today.isoformat(),
            },
        )
        batch.value_mapping = suggest_values(batch, {})
        batch.save()
        out.write(f"{options['rows']} rows in {len(content.getvalue()):,} bytes of XLSX")

        worker = subprocess.Popen(
            [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
            ],
            env=os.environ.copy(),
            cwd=settings.BASE_DIR,
        )
        try:
            for label, task in (("dry run", import_check), ("save", import_run)):
                started = perf_counter()
                job = job_start(
                    owner=manager, kind="bench", label=label, task=task, batch_id=batch.pk
                )
                last = None
                while True:
                    job = BackgroundJob.objects.get(pk=job.pk)
                    state = (job.status, job.progress)
                    if state != last and (job.progress % 10 == 0 or job.finished):
                        out.write(
                            f"  {label}: {perf_counter() - started:6.1f} s "
                            f"{job.get_status_display()} {job.progress}% {job.message}"
                        )
                        last = state
                    if job.finished:
                        break
                    sleep(0.2)
                if job.status != BackgroundJob.Status.DONE:
                    raise CommandError(f"The {label} failed: {job.message}")
                out.write(f"{label}: {perf_counter() - started:.1f} s, {job.result}")
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        out.write(
            f"Participants: {Participant.objects.count()}, enrolments: {Enrolment.objects.count()}"
        )
