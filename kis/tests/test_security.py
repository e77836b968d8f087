"""Hardened login and HTTP headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from kis.models import AccessLog

BASE_DIR = Path(__file__).resolve().parents[2]


def test_lock_out_after_repeated_failures(client, caseworker):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": caseworker.username, "password": "wrong-password-1"})
    response = client.post(
        url, {"username": caseworker.username, "password": "correct-horse-battery-staple"}
    )
    assert response.status_code in (403, 429)
    assert "Konto zablokowane" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert AccessLog.objects.filter(action="login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_other_users_are_not_locked_out(client, caseworker, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": caseworker.username, "password": "wrong-password-1"}
        )
    response = client.post(
        reverse("login"), {"username": manager.username, "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_scripts_or_styles(caseworker_client):
    import re

    html = caseworker_client.get(reverse("dashboard")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file
    assert " style=" not in html and "<style" not in html


def test_sessions_expire_after_30_minutes_idle():
    # Ended by kis.sessions.SessionIdleMiddleware (kis/tests/test_sessions.py).
    assert settings.KIS_SESSION_IDLE_SECONDS == 30 * 60
    assert "kis.sessions.SessionIdleMiddleware" in settings.MIDDLEWARE


def test_password_needs_12_characters():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("krotkie-123")
    validate_password("dlugie-haslo-kis-2026")


def test_production_settings_pass_the_deployment_checks():
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DEBUG": "false",
        "SECRET_KEY": "Zq8rT5vW2xY7pL9mN4bK6" * 3,
        "ALLOWED_HOSTS": "kis.example.pl",
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
