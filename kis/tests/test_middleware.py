"""What the browser may keep: nothing that a signed-in user was shown."""

import pytest
from django.urls import reverse

from kis.tests.clients import https_client
from kis.tests.matrix_data import args_for, build
from kis.tests.test_url_matrix import EXPECTED

pytestmark = pytest.mark.django_db

# The papers with personal data named by the penetration test.
PERSONAL_DOCUMENTS = [
    "participants:detail",
    "participants:export_json",
    "participants:export_pdf",
    "participants:session_attendance_pdf",
    "participants:activity_month_pdf",
    "participants:certificate_pdf",
    "reports:annual_xlsx",
]


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_personal_documents_are_not_kept_in_the_browser_cache():
    """Today's failure: these carried only `Vary: Cookie`, so on a shared computer the
    card, the exports and the PDFs stayed in the browser's cache for the next user."""
    data = build()
    client = https_client()
    client.force_login(data["users"]["manager"])
    for name in PERSONAL_DOCUMENTS:
        response = client.get(reverse(name, args=args_for(name, data)))
        assert response.status_code == 200, name
        assert {"no-store", "private"} <= cache_control(response), name
        assert "public" not in cache_control(response), name


def test_every_page_of_a_signed_in_user_is_no_store():
    data = build()
    client = https_client()
    client.force_login(data["users"]["admin"])
    for name in sorted(EXPECTED):
        response = client.get(reverse(name, args=args_for(name, data)))
        assert {"no-store", "private"} <= cache_control(response), (name, response.status_code)
    # The admin's pages and the refusals too.
    for url in [reverse("admin:index"), "/participants/999999/", "/no-such-page/"]:
        assert {"no-store", "private"} <= cache_control(client.get(url)), url
    # Signed out, nothing personal: the public statement keeps its default caching.
    client.logout()
    assert "no-store" not in cache_control(client.get(reverse("accessibility")))
