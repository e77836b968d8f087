"""Backups: what `bin/backup` and `bin/restore` need from Python, and row counts.

The database is found exactly as `kis/settings.py` finds it (`DATABASE_URL` from the
environment or `.env`, default the SQLite file `db.sqlite3` next to manage.py), but
without loading Django's settings, so that a backup also runs where SECRET_KEY is not
at hand. Run as a module for the scripts' sub-commands::

    python -m kis.lib.backup env [--database-url URL]       # shell assignments
    python -m kis.lib.backup sqlite-copy SRC DST [--replace] [--without-sessions]
    python -m kis.lib.backup pg-dump-options                # pg_dump's --exclude-table-data
    python -m kis.lib.backup pg-prepare [--database-url URL] [--force]
    python -m kis.lib.backup summary [--database-url URL]

`row_counts()` (used by the tests) counts the rows of every table of the project's
models, through Django or through a plain DB-API connection.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# libpq's environment variables for the connection options a DATABASE_URL may carry
# in its query string (`?sslmode=require`); other options are Django's own.
_LIBPQ_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "channel_binding": "PGCHANNELBINDING",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
# Tables whose rows a backup leaves out (their structure is kept, so a restore works):
# the signed-in sessions. A session key is as good as a password until it expires, and
# a restored server signs everybody in again anyway.
SESSION_TABLES = ("django_session",)


class BackupError(Exception):
    """A refusal or failure worth one clear sentence to the operator."""


def _env() -> environ.Env:
    env = environ.Env()
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
    return env


def database_settings(url: str | None = None) -> dict[str, Any]:
    """Django's DATABASES entry for `url`, or for the app's configured database."""
    if url:
        return environ.Env.db_url_config(url)
    return _env().db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")


def media_root() -> Path:
    """MEDIA_ROOT as the settings compute it (uploaded files: the centre's logo)."""
    return Path(_env().path("MEDIA_ROOT", default=BASE_DIR / "media"))


def vendor(db: dict[str, Any]) -> str:
    """ "postgresql" or "sqlite" (the backends a backup knows), else BackupError."""
    engine = db.get("ENGINE", "")
    if engine.endswith(("postgresql", "postgis", "postgresql_psycopg2")):
        return "postgresql"
    if engine.endswith(("sqlite3", "spatialite")):
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine or 'this database'}.")


def libpq_environment(db: dict[str, Any]) -> dict[str, str]:
    """PG* variables that point pg_dump, pg_restore and psql at `db` (the password
    travels in PGPASSWORD, never on a command line). Empty parts are left out so that
    the caller's own PG* variables or ~/.pgpass still apply."""
    values = {
        "PGDATABASE": db.get("NAME"),
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
    }
    for option, value in (db.get("OPTIONS") or {}).items():
        if option in _LIBPQ_OPTION_ENV:
            values[_LIBPQ_OPTION_ENV[option]] = value
    return {name: str(value) for name, value in values.items() if value not in (None, "")}


def shell_assignments(url: str | None = None) -> str:
    """`export NAME=value` lines, shell-quoted, for bin/backup and bin/restore to
    `eval`: KIS_DB_VENDOR, KIS_DB_NAME, KIS_MEDIA_ROOT and for PostgreSQL the PG*
    variables of libpq."""
    db = database_settings(url)
    values = {
        "KIS_DB_VENDOR": vendor(db),
        "KIS_DB_NAME": str(db.get("NAME") or ""),
        "KIS_MEDIA_ROOT": str(media_root()),
    }
    if values["KIS_DB_VENDOR"] == "postgresql":
        values.update(libpq_environment(db))
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in values.items())


# --- SQLite ------------------------------------------------------------------------------


def sqlite_copy(
    source: str | Path,
    target: str | Path,
    *,
    replace: bool = False,
    without_sessions: bool = False,
) -> Path:
    """A consistent copy of the SQLite database `source` (which may be in use) through
    SQLite's online backup API, checked with `PRAGMA integrity_check`, written next to
    `target` and moved into place. Without `replace` an existing target is refused;
    with it, the target's journal files (-wal, -shm, -journal) are removed too, since
    SQLite would otherwise replay the old database's journal into the new one.
    `without_sessions` (a backup) empties the copy's session tables (SESSION_TABLES)."""
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise BackupError(f"No SQLite database at {source}.")
    if target.exists() and not replace:
        raise BackupError(f"{target} exists; not overwriting it.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        # Read-only: a mistyped path must not create an empty database.
        with (
            closing(sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
            if without_sessions:
                _sqlite_empty_session_tables(dst)
            (result,) = dst.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{source} is not a readable SQLite database: {error}") from error
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy of {source} fails SQLite's integrity check: {result}")
    for suffix in _SQLITE_SIDE_FILES:
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(partial, target)
    return target


def _sqlite_empty_session_tables(connection: sqlite3.Connection) -> None:
    """Delete the rows of the session tables (the tables stay), then VACUUM so that the
    deleted rows do not linger in the file's free pages."""
    existing = {
        name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    for table in SESSION_TABLES:
        if table in existing:
            connection.execute(f"DELETE FROM {_quote(table)}")
    connection.commit()
    connection.execute("VACUUM")


# --- PostgreSQL --------------------------------------------------------------------------


def _pg_connect(db: dict[str, Any], dbname: str | None = None) -> Any:
    import psycopg2

    params: dict[str, Any] = {
        "dbname": dbname or db["NAME"],
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    options = {k: v for k, v in (db.get("OPTIONS") or {}).items() if k in _LIBPQ_OPTION_ENV}
    connection = psycopg2.connect(**{k: v for k, v in params.items() if v is not None}, **options)
    connection.autocommit = True
    return connection


def pg_dump_options() -> list[str]:
    """pg_dump's options that leave the rows of SESSION_TABLES out of a dump (their
    definitions stay in it)."""
    return [f"--exclude-table-data={table}" for table in SESSION_TABLES]


def pg_user_table_count(connection: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        return cursor.fetchone()[0]


def pg_prepare_target(
    db: dict[str, Any], *, force: bool = False, maintenance_db: str = "postgres"
) -> str:
    """Make the PostgreSQL database of `db` an empty one to restore into: an empty
    existing database is used as it is, a missing one is created; one with tables is
    refused unless `force`, which drops it and creates it again (same owner, encoding
    and locale) through `maintenance_db`. Returns what was done, for the operator."""
    import psycopg2
    from psycopg2 import sql

    name = db["NAME"]
    try:
        connection = _pg_connect(db)
    except psycopg2.OperationalError as error:
        if f'database "{name}" does not exist' not in str(error):
            raise BackupError(f"Cannot connect to database {name}: {error}".strip()) from error
        existing = None
    else:
        try:
            tables = pg_user_table_count(connection)
        finally:
            connection.close()
        if tables == 0:
            return f"database {name} exists and is empty"
        if not force:
            raise BackupError(
                f"Database {name} already has {tables} tables: restore only into an empty "
                "database. Use --force to drop it and create it again (its data is lost)."
            )
        existing = tables

    try:
        admin = _pg_connect(db, maintenance_db)
    except psycopg2.OperationalError as error:
        raise BackupError(
            f"Cannot connect to the maintenance database {maintenance_db} to "
            f"{'re-create' if existing else 'create'} {name}: {error}".strip()
        ) from error
    try:
        with admin.cursor() as cursor:
            create = sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
            if existing is not None:
                cursor.execute(
                    "SELECT pg_get_userbyid(datdba), pg_encoding_to_char(encoding), "
                    "datcollate, datctype, current_user "
                    "FROM pg_database WHERE datname = %s",
                    [name],
                )
                owner, encoding, collate, ctype, me = cursor.fetchone()
                create += sql.SQL(" ENCODING {} LC_COLLATE {} LC_CTYPE {}").format(
                    sql.Literal(encoding), sql.Literal(collate), sql.Literal(ctype)
                )
                if owner != me:
                    create += sql.SQL(" OWNER {}").format(sql.Identifier(owner))
                cursor.execute(
                    sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
                )
            cursor.execute(create)
    except psycopg2.Error as error:
        raise BackupError(f"Could not prepare database {name}: {error}".strip()) from error
    finally:
        admin.close()
    if existing is not None:
        return f"database {name} dropped ({existing} tables) and created again, empty"
    return f"database {name} created"


# --- Row counts ---------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def model_tables() -> list[str]:
    """The tables of every installed model (many-to-many tables included), and
    django_migrations."""
    from django.apps import apps

    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    }
    return sorted(tables | {"django_migrations"})


def count_rows(connection: Any, tables: list[str]) -> dict[str, int]:
    """Rows of each of `tables` through a DB-API connection (sqlite3 or psycopg2)."""
    cursor = connection.cursor()
    try:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {_quote(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts
    finally:
        cursor.close()


def row_counts(connection_or_alias: Any = "default") -> dict[str, int]:
    """Rows of every table of the project's models (and of django_migrations).

    `connection_or_alias` is a Django database alias, a Django connection, or a plain
    DB-API connection (sqlite3, psycopg2) to a database with the same schema, e.g. a
    restored backup; the two kinds of result compare equal when the data is the same.
    """
    from django.apps import apps
    from django.db import connections
    from django.db.backends.base.base import BaseDatabaseWrapper

    if isinstance(connection_or_alias, BaseDatabaseWrapper):
        connection_or_alias = connection_or_alias.alias
    if not isinstance(connection_or_alias, str):
        return count_rows(connection_or_alias, model_tables())
    alias = connection_or_alias
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            # The base manager: a default manager may leave rows out.
            counts[meta.db_table] = model._base_manager.using(alias).count()
    counts |= count_rows(connections[alias], ["django_migrations"])
    return dict(sorted(counts.items()))


def all_tables(connection: Any) -> list[str]:
    """Every user table of the database behind a DB-API connection, whether a model
    knows it or not (schema-qualified when outside PostgreSQL's `public`)."""
    cursor = connection.cursor()
    try:
        if isinstance(connection, sqlite3.Connection):
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            return [name for (name,) in cursor.fetchall()]
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_catalog.pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
            "ORDER BY schemaname, tablename"
        )
        return [
            table if schema == "public" else f"{schema}.{table}"
            for schema, table in cursor.fetchall()
        ]
    finally:
        cursor.close()


def all_table_row_counts(connection: Any) -> dict[str, int]:
    """Rows of every user table of a DB-API connection's database."""
    cursor = connection.cursor()
    try:
        counts = {}
        for table in all_tables(connection):
            quoted = ".".join(_quote(part) for part in table.split(".", 1))
            cursor.execute(f"SELECT count(*) FROM {quoted}")
            counts[table] = cursor.fetchone()[0]
        return counts
    finally:
        cursor.close()


def summary(url: str | None = None) -> str:
    """ "N tables, M rows" of a database, to confirm a restore."""
    db = database_settings(url)
    if vendor(db) == "sqlite":
        connection = sqlite3.connect(Path(db["NAME"]).resolve().as_uri() + "?mode=ro", uri=True)
    else:
        connection = _pg_connect(db)
    try:
        counts = all_table_row_counts(connection)
    finally:
        connection.close()
    return f"{len(counts)} tables, {sum(counts.values())} rows"


# --- Command line (for bin/backup and bin/restore) ---------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kis.lib.backup")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("env", "pg-prepare", "summary"):
        command = commands.add_parser(name)
        command.add_argument("--database-url", default=None)
        if name == "pg-prepare":
            command.add_argument("--force", action="store_true")
    copy = commands.add_parser("sqlite-copy")
    copy.add_argument("source")
    copy.add_argument("target")
    copy.add_argument("--replace", action="store_true")
    copy.add_argument("--without-sessions", action="store_true")
    commands.add_parser("pg-dump-options")
    args = parser.parse_args(argv)
    try:
        if args.command == "env":
            sys.stdout.write(shell_assignments(args.database_url))
        elif args.command == "sqlite-copy":
            sqlite_copy(
                args.source,
                args.target,
                replace=args.replace,
                without_sessions=args.without_sessions,
            )
        elif args.command == "pg-dump-options":
            print("\n".join(pg_dump_options()))
        elif args.command == "pg-prepare":
            print(pg_prepare_target(database_settings(args.database_url), force=args.force))
        elif args.command == "summary":
            print(summary(args.database_url))
    except BackupError as error:
        print(f"{parser.prog} {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
