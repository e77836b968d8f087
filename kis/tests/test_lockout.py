"""Failed logins behind a reverse proxy: the real client's address for the lock-out,
the access log and the change log; a growing delay per user name and address that an
attacker cannot turn against a known user at another computer."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse

from kis.lib.client import client_address
from kis.lockout import delay_after, login_username
from kis.models import AccessLog
from kis.tests.clients import https_client
from participants.tests.factories import ParticipantFactory

# About the feature, not who sees whom (record-level access: test_access.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]

PASSWORD = "correct-horse-battery-staple"  # UserFactory's
WRONG = "wrong-password-1"
PROXY = "10.0.0.2"  # nginx in front of gunicorn
ATTACKER = "203.0.113.66"
USER_AT_WORK = "198.51.100.7"


@pytest.fixture
def one_proxy(settings):
    settings.KIS_PROXY_COUNT = 1


def via_proxy(forwarded: str) -> Client:
    """A browser behind our proxy: X-Forwarded-For as nginx passes it on (what the
    client sent, then the address nginx saw), the proxy as the peer."""
    return https_client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def wait(seconds: int) -> None:
    """As if the failed attempts so far were `seconds` older."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


# --- The proxy scenario of the penetration test ------------------------------------------


def test_an_attacker_behind_the_proxy_cannot_lock_out_the_real_user(one_proxy, caseworker):
    """Today's failure: without django-ipware axes took the proxy's address, so failures
    through the proxy locked the user name for everybody behind it."""
    for forged in ["", USER_AT_WORK, "1.2.3.4", "::1", "not-an-address"] * 2:
        attacker = via_proxy(f"{forged}, {ATTACKER}" if forged else ATTACKER)
        login(attacker, caseworker.username, WRONG)
    assert login(via_proxy(ATTACKER), caseworker.username, PASSWORD).status_code == 429

    response = login(via_proxy(USER_AT_WORK), caseworker.username, PASSWORD)

    assert response.status_code == 302
    assert response.wsgi_request.user == caseworker
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_the_access_log_records_the_real_client_not_a_forged_entry(one_proxy, caseworker):
    forged = via_proxy(f"1.2.3.4, {ATTACKER}")
    login(forged, caseworker.username, WRONG)
    login(forged, caseworker.username, PASSWORD)

    entries = AccessLog.objects.order_by("pk")
    assert [(e.action, e.ip_address) for e in entries] == [
        (AccessLog.Action.LOGIN_FAILED, ATTACKER),
        (AccessLog.Action.LOGIN, ATTACKER),
    ]


def test_the_change_log_records_the_real_client_not_a_forged_entry(one_proxy, caseworker):
    person = ParticipantFactory(processing_restricted=False)
    browser = via_proxy(f"1.2.3.4, {USER_AT_WORK}")
    browser.force_login(caseworker)
    caseworker.user_permissions.add(*_restrict_permission())

    browser.post(
        reverse("participants:restriction", args=[person.pk]), {"restrict": "1", "reason": "x"}
    )

    change = LogEntry.objects.get_for_object(person).latest("pk")
    assert change.changes_dict["processing_restricted"] == ["False", "True"]
    assert change.remote_addr == USER_AT_WORK


def test_without_a_proxy_the_header_is_ignored(caseworker):
    """Without AXES_PROXY_COUNT anybody can write X-Forwarded-For: it is not evidence,
    and a value that is not an address made PostgreSQL refuse the change (a 500)."""
    person = ParticipantFactory()
    login(https_client(HTTP_X_FORWARDED_FOR="not-an-address, 1.2.3.4"), "nobody", WRONG)
    client = https_client(HTTP_X_FORWARDED_FOR="not-an-address, 1.2.3.4")
    client.force_login(caseworker)
    caseworker.user_permissions.add(*_restrict_permission())

    client.post(
        reverse("participants:restriction", args=[person.pk]), {"restrict": "1", "reason": "x"}
    )

    assert LogEntry.objects.get_for_object(person).latest("pk").remote_addr == "127.0.0.1"
    assert AccessLog.objects.get(action=AccessLog.Action.LOGIN_FAILED).ip_address == "127.0.0.1"


def _restrict_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="restrict_processing")


class FakeRequest:
    def __init__(self, remote_addr="10.0.0.2", forwarded=None):
        self.META = {"REMOTE_ADDR": remote_addr}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    "proxies, remote_addr, forwarded, expected",
    [
        (0, "10.0.0.2", "1.2.3.4", "10.0.0.2"),  # no proxy: the header is the client's word
        (1, "10.0.0.2", "1.2.3.4", "1.2.3.4"),
        (1, "10.0.0.2", "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # forged leftmost entry
        (1, "10.0.0.2", "6.6.6.6,1.2.3.4 ", "1.2.3.4"),
        (2, "10.0.0.3", "6.6.6.6, 1.2.3.4, 10.0.0.2", "1.2.3.4"),  # two proxies
        (2, "10.0.0.3", "1.2.3.4", "10.0.0.3"),  # did not pass both proxies
        (1, "10.0.0.2", None, "10.0.0.2"),  # reached the app directly
        (1, "10.0.0.2", "", "10.0.0.2"),
        (1, "10.0.0.2", "6.6.6.6, garbage", "10.0.0.2"),  # not an address
        (1, "10.0.0.2", "2001:DB8::1", "2001:db8::1"),
        (0, "", None, None),
    ],
)
def test_client_address(settings, proxies, remote_addr, forwarded, expected):
    settings.KIS_PROXY_COUNT = proxies
    assert client_address(FakeRequest(remote_addr, forwarded)) == expected


def test_axes_uses_the_same_client_address():
    from axes.helpers import get_client_ip_address

    assert settings.AXES_CLIENT_IP_CALLABLE == "kis.lib.client.client_address"
    request = FakeRequest("10.0.0.2", "6.6.6.6, 1.2.3.4")
    assert get_client_ip_address(request) == client_address(request)


# --- The growing delay -------------------------------------------------------------------


def fail(client, username, times=settings.AXES_FAILURE_LIMIT):
    for _ in range(times):
        login(client, username, WRONG)


def test_the_first_wait_is_a_minute(client, caseworker):
    fail(client, caseworker.username)
    locked = login(client, caseworker.username, PASSWORD)
    assert locked.status_code == 429
    assert "1 minutę" in locked.content.decode()
    wait(59)
    assert login(client, caseworker.username, PASSWORD).status_code == 429
    wait(2)
    assert login(client, caseworker.username, PASSWORD).status_code == 302


def test_each_further_failure_doubles_the_wait(client, caseworker):
    fail(client, caseworker.username)
    for minutes in (2, 4, 8):
        wait(60 * minutes // 2 + 1)  # the previous wait is over: one more try …
        response = login(client, caseworker.username, WRONG)
        assert response.status_code == 429  # … which fails and starts a longer wait
        assert f"{minutes} minut" in response.content.decode()
        wait(60 * minutes - 10)
        assert login(client, caseworker.username, PASSWORD).status_code == 429
    wait(11)
    assert login(client, caseworker.username, PASSWORD).status_code == 302


def test_attempts_while_waiting_do_not_lengthen_the_wait(client, caseworker):
    fail(client, caseworker.username)
    fail(client, caseworker.username, times=10)
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT
    wait(61)
    assert login(client, caseworker.username, PASSWORD).status_code == 302


def test_the_same_user_at_another_computer_is_not_delayed(caseworker):
    fail(https_client(REMOTE_ADDR=ATTACKER), caseworker.username, times=12)
    assert (
        login(https_client(REMOTE_ADDR=USER_AT_WORK), caseworker.username, PASSWORD).status_code
        == 302
    )


def test_the_wait_never_exceeds_the_cool_off():
    cool_off = timedelta(hours=1)
    limit = 5
    waits = [delay_after(failures, limit, cool_off) for failures in range(limit, limit + 80)]
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert waits == sorted(waits)
    assert max(waits) == cool_off


# --- User names that are not user names --------------------------------------------------


def test_a_user_name_over_the_limit_is_a_form_error(client):
    """Today's failure: the length was checked only in the HTML, so the attempt reached
    django-axes, whose 255-character column made PostgreSQL fail the request (a 500)."""
    response = login(client, "u" * 300, WRONG)
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not AccessAttempt.objects.exists()


def test_the_admin_login_records_long_user_names_cut_to_size(client):
    """The admin's login form has no such check: the name recorded is cut instead."""
    response = client.post(reverse("admin:login"), {"username": "u" * 300, "password": WRONG})
    assert response.status_code == 200
    assert [len(name) for name in AccessAttempt.objects.values_list("username", flat=True)] == [150]


@pytest.mark.parametrize(
    "posted, expected",
    [("pracownik", "pracownik"), ("a\x00b", "ab"), ("x" * 400, "x" * 150), (None, None)],
)
def test_login_username(rf, posted, expected):
    request = rf.post("/", {} if posted is None else {"username": posted})
    assert login_username(request) == expected
    assert login_username(request, {"username": posted}) == expected
