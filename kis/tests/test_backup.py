"""Backups restore: bin/backup then bin/restore give back a database with the same rows.

On SQLite (the default) the scripts' SQLite path runs on a file database that migrate
and the demo fill in subprocesses (pytest's own SQLite database lives in memory). On
PostgreSQL (CI) factory data is committed in the test database, dumped with
bin/backup, restored with bin/restore into a scratch database and counted on both
sides.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection

from kis.lib.backup import all_table_row_counts, model_tables, row_counts

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
# The scratch database of the restore: named after the test database, so that test
# runs against different databases of one server do not share it.
RESTORE_SUFFIX = "_restore"
# A live session: its key lets whoever holds it act as the signed-in user.
SESSION_KEY = "kis0live0session0key0" + "x" * 11
# The smallest valid PNG (1×1), standing in for the centre's uploaded logo.
LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def _env(**values: str) -> dict[str, str]:
    """The environment of a script run: the app's own settings, not the tests'."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["DJANGO_SETTINGS_MODULE"] = "kis.settings"
    env["PYTHON"] = PYTHON
    return env | values


def _run(args: list[str | Path], env: dict[str, str], *, check: bool = True):
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _one(files: list[str], suffix: str) -> Path:
    matching = [Path(name) for name in files if name.endswith(suffix)]
    assert len(matching) == 1, files
    assert matching[0].is_file()
    return matching[0]


def _with_logo(media: Path) -> Path:
    (media / "logo").mkdir(parents=True)
    (media / "logo" / "klub.png").write_bytes(LOGO)
    return media


def test_backup_refuses_a_postgresql_url_without_pg_dump(tmp_path):
    env = _env(DATABASE_URL="postgres://kis@127.0.0.1:5432/kis", PG_DUMP="kis-no-such-pg_dump")
    result = _run(["bin/backup", tmp_path / "backups"], env, check=False)
    assert result.returncode == 1
    assert "kis-no-such-pg_dump is not installed" in result.stderr
    assert result.stdout == ""
    assert list((tmp_path / "backups").iterdir()) == []


def test_sqlite_backup_restores_with_the_same_row_counts(tmp_path):
    database = tmp_path / "kis.sqlite3"
    env = _env(
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="true",
        KIS_DEMO_MODE="true",
        MEDIA_ROOT=str(_with_logo(tmp_path / "media")),
    )
    _run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    _run([PYTHON, "manage.py", "demo"], env)
    with closing(sqlite3.connect(database)) as db, db:
        db.execute(
            "INSERT INTO django_session VALUES (?, ?, datetime('now', '+1 hour'))",
            [SESSION_KEY, "e30:signed-in"],
        )

    files = _run(["bin/backup", tmp_path / "backups"], env).stdout.split()
    backup = _one(files, ".sqlite3")
    media = _one(files, "-media.tar.gz")
    assert len(files) == 2
    # No session rows in the backup, not even in the file's free pages.
    assert SESSION_KEY.encode() not in backup.read_bytes()

    restored = tmp_path / "new-server" / "kis.sqlite3"
    restored_media = tmp_path / "new-server" / "media"
    target = _env(DATABASE_URL=f"sqlite:///{restored}", MEDIA_ROOT=str(restored_media))
    _run(["bin/restore", backup], target)
    _run(["bin/restore", media], target)

    with closing(sqlite3.connect(database)) as old, closing(sqlite3.connect(restored)) as new:
        before, after = all_table_row_counts(old), all_table_row_counts(new)
        assert row_counts(new) == row_counts(old) | {"django_session": 0}
    # Every table is back with its rows, except the sessions: the table, empty.
    assert before["django_session"] == 1
    before["django_session"] = 0
    assert after == before
    # Not an empty comparison: every model's table is there, the demo's data in them.
    assert set(model_tables()) <= set(before)
    assert before["participants_participant"] > 0
    assert before["participants_enrolment"] > 0
    assert before["projects_expenditure"] > 0
    assert before["auth_user"] >= 3
    assert (restored_media / "logo" / "klub.png").read_bytes() == LOGO

    # A second restore must not overwrite the restored database by accident.
    refused = _run(["bin/restore", backup], target, check=False)
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    _run(["bin/restore", backup, "--force"], target)
    with closing(sqlite3.connect(restored)) as new:
        assert all_table_row_counts(new) == before


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_params(name: str) -> dict[str, Any]:
    settings = connection.settings_dict
    params = {
        "dbname": name,
        "host": settings["HOST"],
        "port": settings["PORT"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
    }
    return {key: value for key, value in params.items() if value}


def _pg_url(name: str) -> str:
    settings = connection.settings_dict
    auth = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        auth += ":" + quote(settings["PASSWORD"], safe="")
    host = quote(settings["HOST"] or "", safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{name}"


def _pg_connect(name: str):
    import psycopg2

    pg = psycopg2.connect(**_pg_params(name))
    pg.autocommit = True
    return pg


def _restore_database() -> str:
    return connection.settings_dict["NAME"] + RESTORE_SUFFIX


def _drop_restore_database() -> None:
    with closing(_pg_connect("postgres")) as admin, admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{_restore_database()}" WITH (FORCE)')


def _skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "the pg_dump/pg_restore round trip needs PostgreSQL: run with DATABASE_URL="
            "postgres://… (the SQLite path is tested above)"
        )
    missing = [tool for tool in ("pg_dump", "pg_restore") if not shutil.which(tool)]
    if missing:
        pytest.skip(
            f"{' and '.join(missing)} not installed (sudo apt-get install postgresql-client)"
        )


# Committed data (pg_dump reads through a connection of its own); flushed afterwards.
@pytest.mark.django_db(transaction=True)
def test_postgresql_dump_restores_with_the_same_row_counts(tmp_path):
    from participants.tests.factories import EnrolmentFactory, ParticipantFactory
    from projects.tests.factories import BudgetLineFactory, ExpenditureFactory, ProjectFactory

    _skip_unless_postgresql()
    # A transactional test that ran before this one flushed the budget categories that
    # a data migration created; its function is idempotent.
    import_module("projects.migrations.0002_budget_categories_and_roles").seed(apps, None)
    project = ProjectFactory()
    EnrolmentFactory.create_batch(3, project=project)
    ParticipantFactory.create_batch(2)
    BudgetLineFactory(project=project)
    ExpenditureFactory.create_batch(4, project=project)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_session VALUES (%s, %s, now() + interval '1 hour')",
            [SESSION_KEY, "e30:signed-in"],
        )
    before = row_counts("default")
    assert before["participants_participant"] == 5
    assert before["projects_expenditure"] == 4
    assert before["django_session"] == 1
    before["django_session"] = 0  # left out of the backup

    env = _env(
        DATABASE_URL=_pg_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(_with_logo(tmp_path / "media")),
    )
    files = _run(["bin/backup", tmp_path / "backups"], env).stdout.split()
    dump = _one(files, ".dump")
    _one(files, "-media.tar.gz")
    listing = _run(["pg_restore", "--list", dump], env).stdout
    assert "TABLE public django_session" in listing  # the table's definition …
    assert "TABLE DATA public django_session" not in listing  # … without its rows
    assert "TABLE DATA public participants_participant" in listing

    _drop_restore_database()
    restore = ["bin/restore", dump, "--database-url", _pg_url(_restore_database())]
    try:
        # A missing target database is created: a new server needs no createdb.
        _run(restore, env)
        with (
            closing(_pg_connect(_restore_database())) as new,
            closing(_pg_connect(connection.settings_dict["NAME"])) as old,
        ):
            assert row_counts(new) == before
            all_before = all_table_row_counts(old) | {"django_session": 0}
            assert all_table_row_counts(new) == all_before
        assert set(model_tables()) <= set(all_before)

        refused = _run(restore, env, check=False)
        assert refused.returncode == 1
        assert "already has" in refused.stderr
        assert "--force" in refused.stderr

        _run([*restore, "--force"], env)
        with closing(_pg_connect(_restore_database())) as new:
            assert all_table_row_counts(new) == all_before
    finally:
        _drop_restore_database()
