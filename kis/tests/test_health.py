"""/healthz: 200 without login when the database answers and is migrated, 503 otherwise;
nothing about people in it.

The unhealthy cases run the application in a child process with settings of their own
(a database server that is not there, a database never migrated): the test database
of this process stays as it is.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="localhost")
login = Client(raise_request_exception=False).get("/accounts/login/", HTTP_HOST="localhost")
print(json.dumps({"status": response.status_code, "body": response.content.decode(),
                  "login_status": login.status_code}))
"""


def _child(**env: str) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE", "DJANGO", "PG"))
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "kis.settings", "DEBUG": "true"} | env
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthy_without_login():
    response = Client().get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "tasks": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_only_get_and_head():
    assert Client().post(reverse("healthz")).status_code == 405
    assert Client().head(reverse("healthz")).status_code == 200


def test_database_unreachable_is_503():
    # Nothing listens on port 1 of the loopback: the connection is refused at once.
    result = _child(DATABASE_URL="postgres://kis@127.0.0.1:1/kis")
    assert result["status"] == 503
    assert json.loads(result["body"]) == {
        "status": "error",
        "checks": {"database": "error", "migrations": "error", "tasks": "error"},
    }


def test_database_not_migrated_is_503(tmp_path):
    result = _child(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert result["status"] == 503
    assert json.loads(result["body"])["checks"] == {
        "database": "ok",
        "migrations": "error",
        "tasks": "error",
    }


def test_plain_http_in_production_is_not_redirected(tmp_path):
    """The proxy and monitoring ask over plain HTTP on localhost: no HTTPS redirect
    (every other URL is redirected in production)."""
    database = tmp_path / "kis.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "DJANGO"))},
            "DJANGO_SETTINGS_MODULE": "kis.settings",
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{database}",
        },
        check=True,
        capture_output=True,
    )
    production = {
        "DEBUG": "false",
        "SECRET_KEY": "test-" + "x7Kp2qLm9Zr4" * 5,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    result = _child(**production)
    assert result["status"] == 200, result
    assert result["login_status"] == 301  # the redirect is on for everything else
    assert json.loads(result["body"])["status"] == "ok"
