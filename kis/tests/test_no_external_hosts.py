"""No page may load anything from another host (privacy, offline intranets)."""

import re

import pytest
from django.urls import reverse

from kis.tests.clients import https_client

# Any src/href/action/url() pointing at an absolute or protocol-relative address.
EXTERNAL = re.compile(r"""(?:src|href|action|srcset)\s*=\s*["']\s*(?:https?:)?//""", re.I)
CSS_EXTERNAL = re.compile(
    r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//)""", re.I
)
STATIC_REF = re.compile(r"""(?:src|href)="(/static/[^"]+)\"""")


def _pages(client_by_role):
    yield "login", client_by_role(None).get(reverse("login"))
    for role in ("caseworker", "manager", "administrator"):
        client = client_by_role(role)
        yield f"{role} dashboard", client.get(reverse("dashboard"))
        yield f"{role} password change", client.get(reverse("password_change"))
    yield "admin index", client_by_role("administrator").get(reverse("admin:index"))


@pytest.fixture
def client_by_role(client, caseworker, manager, administrator):
    users = {"caseworker": caseworker, "manager": manager, "administrator": administrator}

    def get(role):
        client.logout()
        if role:
            client.force_login(users[role])
        return client

    return get


def test_pages_reference_no_other_host(client_by_role):
    checked = 0
    for label, response in _pages(client_by_role):
        assert response.status_code == 200, label
        html = response.content.decode()
        assert not EXTERNAL.search(html), f"{label}: {EXTERNAL.search(html).group(0)}"
        for static_url in STATIC_REF.findall(html):
            # Served by the app itself (WhiteNoise, from the collected files).
            served = https_client().get(static_url)
            assert served.status_code == 200, f"{label}: {static_url} is not served by the app"
            if static_url.endswith(".css"):
                css = b"".join(served.streaming_content).decode("utf-8")
                assert not CSS_EXTERNAL.search(css), static_url
        checked += 1
    assert checked == 8


def test_detector_catches_a_cdn():
    assert EXTERNAL.search('<link href="https://cdn.jsdelivr.net/x.css">')
    assert EXTERNAL.search("<script src='//cdn.example.com/x.js'>")
    assert not EXTERNAL.search('<a href="/static/x.css">')
