import pytest
from django.urls import reverse


def _nav(client) -> str:
    html = client.get(reverse("dashboard")).content.decode()
    start = html.index('id="main-nav"')
    return html[start : html.index("</nav>", start)]


def test_caseworker_navigation(caseworker_client):
    nav = _nav(caseworker_client)
    assert "Pulpit" in nav
    assert "Pracownik socjalny" in nav
    assert "Administracja" not in nav


def test_manager_navigation(manager_client):
    nav = _nav(manager_client)
    assert "Pulpit" in nav
    assert "Kierownik" in nav
    assert "Administracja" not in nav


def test_administrator_navigation(administrator_client):
    nav = _nav(administrator_client)
    assert "Administracja" in nav
    assert reverse("admin:index") in nav
    assert "Administrator" in nav


def test_dashboard_shows_club_name_and_areas(administrator_client, settings):
    settings.KIS_CLUB_NAME = "Klub Integracji Społecznej w Testowie"
    html = administrator_client.get(reverse("dashboard")).content.decode()
    assert "<h1" in html and "Klub Integracji Społecznej w Testowie" in html
    assert "Konfiguracja: użytkownicy" in html  # the admin tile


@pytest.mark.django_db
def test_user_without_role_is_told_to_ask_for_one(client, no_role_user):
    client.force_login(no_role_user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Twoje konto nie ma jeszcze roli" in html


def test_current_area_is_the_most_specific(caseworker):
    from kis.navigation import navigation_for

    items = navigation_for(caseworker, reverse("participants:activity_list") + "sessions/5/")
    assert [i["url_name"] for i in items if i["current"]] == ["participants:activity_list"]
    items = navigation_for(caseworker, reverse("participants:list") + "7/")
    assert [i["url_name"] for i in items if i["current"]] == ["participants:list"]
    items = navigation_for(caseworker, "/")
    assert [i["url_name"] for i in items if i["current"]] == ["dashboard"]
