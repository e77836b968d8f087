"""Production mode refuses to start without a real secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _import_settings(**env_vars) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_vars)
    return subprocess.run(
        [sys.executable, "-c", "import kis.settings as s; print(s.DEBUG)"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "secret",
    ["", "django-insecure-" + "x" * 60, "too-short", "a" * 60],
)
def test_production_refuses_weak_or_missing_secret(secret):
    result = _import_settings(DEBUG="false", SECRET_KEY=secret)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_secret():
    result = _import_settings(DEBUG="false", SECRET_KEY="Zq8" + "rT5vW2xY7pL9mN4bK6" * 3)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_mode_runs_without_a_secret():
    result = _import_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_polish_defaults(settings):
    assert settings.LANGUAGE_CODE == "pl"
    assert settings.TIME_ZONE == "Europe/Warsaw"
    assert [code for code, _name in settings.LANGUAGES] == ["pl", "en"]


def test_connections_are_checked_before_reuse(settings):
    """With CONN_MAX_AGE and no health checks, every worker's first request after a
    database restart failed on the connection the database had closed."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_connection_closed_by_the_database_is_replaced_at_the_next_request():
    import time
    from contextlib import closing

    from django.db import close_old_connections, connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a closed in-memory SQLite database would be lost")
    import psycopg2

    connection.close()
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60  # connections kept between requests
    try:
        connection.ensure_connection()
        pid = connection.connection.get_backend_pid()
        params = connection.get_connection_params()
        with closing(psycopg2.connect(**params)) as other:
            other.autocommit = True
            with other.cursor() as cursor:  # as a restart of the server would
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                for _ in range(100):  # until the server has ended it
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                    if cursor.fetchone() == (0,):
                        break
                    time.sleep(0.05)
        close_old_connections()  # what Django does when the next request starts
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = max_age
