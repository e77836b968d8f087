import pytest
from django.urls import reverse

from kis.tests.urls_util import all_urls

# Pages a visitor who is not signed in may open.
PUBLIC_URL_NAMES = {"login", "set_language", "admin:login", "accessibility", "healthz"}
# The session's state for static/js/session.js answers 401 itself (kis/tests/test_sessions.py).
PUBLIC_URL_NAMES |= {"session_keepalive", "session_status"}


def test_url_enumeration_finds_the_app_and_admin():
    urls = all_urls()
    assert {"dashboard", "password_change", "logout", "admin:index"} <= set(urls)
    assert "admin:auth_user_change" in urls  # a URL with an argument is covered too


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(all_urls()) - PUBLIC_URL_NAMES))
def test_anonymous_is_redirected_to_login_from_every_url(client, name):
    url = all_urls()[name]
    response = client.get(url)
    assert response.status_code == 302, url
    # The admin sends visitors to its own login page, which signs in the same way.
    login_urls = (reverse("login") + "?next=", reverse("admin:login") + "?next=")
    assert response.url.startswith(login_urls), url


@pytest.mark.django_db
def test_login_page_is_polish(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="pl">' in html
    assert "Zaloguj się" in html
    assert "Nazwa użytkownika" in html
    assert "Hasło" in html


@pytest.mark.django_db
def test_english_browser_still_gets_polish(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="pl">' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html


def test_wrong_password_shows_polish_error(client, caseworker):
    response = client.post(
        reverse("login"), {"username": caseworker.username, "password": "wrong-password-1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wprowadź poprawne wartości pól nazwa użytkownika oraz hasło" in html
    assert not response.wsgi_request.user.is_authenticated
    # What was typed in the user name is kept.
    assert f'value="{caseworker.username}"' in html


def test_login_redirects_to_dashboard(client, caseworker):
    response = client.post(
        reverse("login"),
        {"username": caseworker.username, "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    dashboard = client.get(response.url)
    assert dashboard.status_code == 200
    assert "Ewa Ślusarczyk" in dashboard.content.decode()


def test_logout_ends_the_session(caseworker_client):
    response = caseworker_client.post(reverse("logout"))
    assert response.status_code == 302
    assert caseworker_client.get(reverse("dashboard")).status_code == 302


def test_password_change_in_polish(caseworker_client, caseworker):
    url = reverse("password_change")
    page = caseworker_client.get(url)
    assert "Zmień hasło" in page.content.decode()
    response = caseworker_client.post(
        url,
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "short",
            "new_password2": "short",
        },
    )
    assert response.status_code == 200
    assert (
        "To hasło jest za krótkie. Musi zawierać co najmniej 12 znaków."
        in response.content.decode()
    )
    response = caseworker_client.post(
        url,
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "nowe-dlugie-haslo-2026",
            "new_password2": "nowe-dlugie-haslo-2026",
        },
    )
    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.check_password("nowe-dlugie-haslo-2026")


def test_admin_is_polish_with_system_header(administrator_client):
    html = administrator_client.get(reverse("admin:index")).content.decode()
    assert "KIS – system Klubu Integracji Społecznej" in html
    assert "Użytkownicy" in html


def test_caseworker_cannot_open_admin(caseworker_client):
    response = caseworker_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_accessibility_statement_is_public_and_from_settings(client, settings, db):
    from datetime import date

    from projects.tests.factories import OrganisationFactory

    OrganisationFactory(name="Ośrodek Pomocy Społecznej w Testowicach", email="kis@ops.example.pl")
    settings.KIS_ACCESSIBILITY_UPDATED = date(2026, 11, 20)
    html = client.get(reverse("accessibility")).content.decode()
    assert "Deklaracja dostępności" in html
    assert "Ośrodek Pomocy Społecznej w Testowicach zobowiązuje się" in html
    assert "kis@ops.example.pl" in html and "20.11.2026" in html
    # Linked from every page's footer, the login page included.
    assert reverse("accessibility") in client.get(reverse("login")).content.decode()
