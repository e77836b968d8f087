"""Issue 17, point 1 and issue 18: the idle timeout without a session write per request,
and a form sent after the session ended kept across the login."""

import html
import json
import re
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kis import sessions
from kis.models import KeptForm
from kis.tests.clients import https_client

pytestmark = pytest.mark.django_db
IDLE = 30 * 60


class Clock:
    def __init__(self, monkeypatch):
        self.now = int(time.time())
        monkeypatch.setattr(sessions, "_now", lambda: self.now)

    def wait(self, seconds: int) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def _session_writes(client, url, times=1) -> int:
    with CaptureQueriesContext(connection) as queries:
        for _ in range(times):
            assert client.get(url).status_code == 200
    return sum(
        1
        for q in queries.captured_queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def test_the_settings_write_no_session_per_request():
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.KIS_SESSION_IDLE_SECONDS == IDLE
    # The row outlives the idle time: the middleware ends the session, knowing whose.
    assert settings.SESSION_COOKIE_AGE > settings.KIS_SESSION_IDLE_SECONDS


def test_at_most_one_session_write_a_minute(caseworker_client, clock):
    url = reverse("dashboard")
    caseworker_client.get(url)  # the first request after login notes the time
    assert _session_writes(caseworker_client, url, times=5) == 0
    clock.wait(59)
    assert _session_writes(caseworker_client, url) == 0
    clock.wait(2)
    assert _session_writes(caseworker_client, url, times=3) == 1


def test_a_session_ends_after_30_idle_minutes_and_activity_keeps_it(caseworker_client, clock):
    url = reverse("dashboard")
    caseworker_client.get(url)
    for _ in range(4):  # two hours of work, a request every 20 minutes
        clock.wait(20 * 60)
        assert caseworker_client.get(url).status_code == 200
    clock.wait(IDLE + 1)
    response = caseworker_client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Sesja zakończyła się po 30 minutach bez aktywności" in response.content.decode()
    assert caseworker_client.get(url).status_code == 302  # and it stays ended


def test_status_does_not_extend_and_keepalive_does(caseworker_client, clock):
    caseworker_client.get(reverse("dashboard"))
    clock.wait(20 * 60)
    status = caseworker_client.get(reverse("session_status")).json()
    assert status == {"remaining": 10 * 60, "idle": IDLE}
    assert caseworker_client.get(reverse("session_status")).json()["remaining"] == 10 * 60
    keepalive = caseworker_client.post(reverse("session_keepalive")).json()
    assert keepalive["remaining"] == IDLE
    clock.wait(IDLE + 1)
    assert caseworker_client.post(reverse("session_keepalive")).status_code == 401
    assert https_client().get(reverse("session_status")).status_code == 401


def _expired_post(client, clock, url, data, **extra):
    client.get(reverse("dashboard"))
    clock.wait(IDLE + 5)
    response = client.post(url, data, **extra)
    assert response.status_code == 302
    login, query = response.url.split("?", 1)
    assert login == reverse("login")
    return parse_qs(query)["next"][0]


def test_a_form_sent_after_the_session_ended_is_kept_across_the_login(
    caseworker_client, caseworker, clock
):
    url = reverse("participants:create")
    data = {"first_name": "Anna", "last_name": "Nowak", "notes": "Długa rozmowa…\nO pracy."}
    next_url = _expired_post(caseworker_client, clock, url, data)
    assert next_url.startswith(url + "?kis_restore=")
    kept = KeptForm.objects.get()
    assert kept.user == caseworker and kept.path == url
    assert ["first_name", ["Anna"]] in kept.data
    assert not any(name == "csrfmiddlewaretoken" for name, _values in kept.data)
    login_page = caseworker_client.get(reverse("login")).content.decode()
    assert "dane zostały zachowane" in login_page
    # Nothing was saved.
    from participants.models import Participant

    assert not Participant.objects.exists()

    caseworker_client.force_login(caseworker)
    page = caseworker_client.get(next_url).content.decode()
    assert "Sesja wygasła — Twoje dane zostały zachowane" in page
    attribute = re.search(r'data-kept-form="([^"]*)"', page).group(1)
    assert json.loads(html.unescape(attribute)) == kept.data
    assert not KeptForm.objects.exists()  # used once, then gone
    again = caseworker_client.get(next_url).content.decode()
    assert "data-kept-form" not in again and "nie są już przechowywane" in again


def test_the_kept_form_is_its_users_only(caseworker_client, caseworker, clock, manager):
    url = reverse("participants:create")
    next_url = _expired_post(caseworker_client, clock, url, {"first_name": "Anna"})
    other = https_client()
    other.force_login(manager)
    page = other.get(next_url).content.decode()
    assert "data-kept-form" not in page
    assert KeptForm.objects.exists()  # still there for its own user


def test_files_are_not_kept_and_the_user_is_told(caseworker_client, caseworker, clock):
    url = reverse("participants:create")
    upload = SimpleUploadedFile("skan.pdf", b"%PDF-1.4 personal", content_type="application/pdf")
    next_url = _expired_post(caseworker_client, clock, url, {"first_name": "Anna", "file": upload})
    kept = KeptForm.objects.get()
    assert kept.had_files and all(name != "file" for name, _values in kept.data)
    caseworker_client.force_login(caseworker)
    page = caseworker_client.get(next_url).content.decode()
    assert "Załączonych plików nie zachowano: wybierz je ponownie." in page


def test_kept_forms_are_short_lived(caseworker_client, caseworker, clock):
    url = reverse("participants:create")
    next_url = _expired_post(caseworker_client, clock, url, {"first_name": "Anna"})
    KeptForm.objects.update(created_at=timezone.now() - timedelta(minutes=31))
    caseworker_client.force_login(caseworker)
    assert "data-kept-form" not in caseworker_client.get(next_url).content.decode()
    # The next form kept removes those past their time.
    _expired_post(caseworker_client, clock, url, {"first_name": "Ewa"})
    assert [d for k in KeptForm.objects.all() for d in k.data] == [["first_name", ["Ewa"]]]


def test_a_login_or_an_anonymous_post_keeps_nothing(client):
    response = client.post(reverse("participants:create"), {"first_name": "Anna"})
    assert response.status_code == 302 and "kis_restore" not in response.url
    assert not KeptForm.objects.exists()


def test_every_page_carries_the_idle_time_for_the_script(caseworker_client):
    page = caseworker_client.get(reverse("dashboard")).content.decode()
    assert f'data-idle="{IDLE}"' in page and "js/session." in page
    assert urlsplit(reverse("session_keepalive")).path in page


def test_an_empty_form_is_kept_too(caseworker_client, caseworker, clock):
    next_url = _expired_post(caseworker_client, clock, reverse("participants:create"), {})
    assert KeptForm.objects.get().data == [] and "kis_restore" in next_url
