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
