import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Expenditure
from projects.tests.factories import (
    BudgetLineFactory,
    ExpenditureFactory,
    IndicatorFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectStaffFactory,
    category,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = ProjectFactory(title="Aktywność daje możliwość")
    BudgetLineFactory(project=project, year=2017, planned_amount=Decimal("360000.00"))
    ExpenditureFactory(project=project, date=date(2017, 2, 1), amount=Decimal("307882.81"))
    ExpenditureFactory(
        project=project,
        date=date(2017, 9, 1),
        amount=Decimal("45600.00"),
        source=Expenditure.Source.MUNICIPALITY,
    )
    IndicatorFactory(project=project, name="Uczestnicy z IPD", unit="percent", target_total=100)
    ProjectStaffFactory(
        project=project, staff_member__first_name="Krystyna", staff_member__last_name="Żurawska"
    )
    return project


def test_anonymous_is_sent_to_login(client, project):
    for url in (reverse("projects:list"), reverse("projects:detail", args=[project.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_user_without_a_role_is_refused(client, no_role_user, project):
    client.force_login(no_role_user)
    for url in (reverse("projects:list"), reverse("projects:detail", args=[project.pk])):
        response = client.get(url)
        assert response.status_code == 403
        assert "Brak dostępu" in response.content.decode()


def test_manager_sees_the_budget_in_polish_format(manager_client, project):
    html = manager_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Aktywność daje możliwość" in html
    assert "899\xa0346,16\xa0zł" in html  # total value
    assert "764\xa0444,23\xa0zł (85,00\xa0%)" in html
    assert "353\xa0482,81\xa0zł" in html  # spent in 2017
    text = re.sub(r"<[^>]+>", "", html)  # the spent figures are links to their documents
    assert "UE: 307\xa0882,81\xa0zł" in text
    assert "gmina: 45\xa0600,00\xa0zł" in text
    assert "98,19\xa0%" in html  # 353 482,81 of 360 000,00
    assert "Krystyna Żurawska" in html
    assert "Uczestnicy z IPD" in html


def test_manager_project_list(manager_client, project):
    html = manager_client.get(reverse("projects:list")).content.decode()
    assert reverse("projects:detail", args=[project.pk]) in html
    assert "353\xa0482,81\xa0zł" in html
    assert "98,19\xa0%" in html


def test_caseworker_sees_the_project_but_not_the_money(caseworker_client, project):
    html = caseworker_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Aktywność daje możliwość" in html
    assert "Krystyna Żurawska" in html
    assert "zł" not in html
    assert "Wykonanie budżetu" not in html
    listing = caseworker_client.get(reverse("projects:list")).content.decode()
    assert "Aktywność daje możliwość" in listing and "zł" not in listing


def test_navigation_shows_projects_to_caseworkers_and_managers(caseworker_client, manager_client):
    for client in (caseworker_client, manager_client):
        assert reverse("projects:list") in client.get(reverse("dashboard")).content.decode()


def test_organisation_heads_the_page(manager_client, project):
    OrganisationFactory(name="Ośrodek Pomocy Społecznej w Brzozówce", club_name="KIS „Razem”")
    html = manager_client.get(reverse("projects:list")).content.decode()
    assert "KIS „Razem”" in html and "Ośrodek Pomocy Społecznej w Brzozówce" in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _project_with_lines(n: int):
    """A project with n budget lines (distinct year × category), each with two costs."""
    project = ProjectFactory(start_date=date(2016, 1, 1), end_date=date(2024, 12, 31))
    pairs = [(y, c) for y in range(2016, 2025) for c in range(1, 7)][:n]
    for year, order in pairs:
        BudgetLineFactory(project=project, year=year, category=category(order))
        ExpenditureFactory.create_batch(
            2, project=project, category=category(order), date=date(year, 5, 1)
        )
    return project


def test_project_page_queries_do_not_grow_with_budget_lines(
    manager_client, django_assert_max_num_queries
):
    small, large = _project_with_lines(2), _project_with_lines(50)
    assert large.budget_lines.count() == 50
    small_count = _queries(manager_client, reverse("projects:detail", args=[small.pk]))
    large_count = _queries(manager_client, reverse("projects:detail", args=[large.pk]))
    assert small_count == large_count
    with django_assert_max_num_queries(22):  # incl. session save and enrolment counts
        manager_client.get(reverse("projects:detail", args=[large.pk]))


def test_project_list_queries_do_not_grow(manager_client):
    ProjectFactory.create_batch(2)
    two = _queries(manager_client, reverse("projects:list"))
    ProjectFactory.create_batch(48)
    assert _queries(manager_client, reverse("projects:list")) == two


def test_logo_is_served_to_signed_in_users_only(client, caseworker, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    logo_url = reverse("projects:logo")
    client.force_login(caseworker)
    assert client.get(logo_url).status_code == 404  # no profile yet
    organisation = OrganisationFactory()
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    organisation.logo.save("logo.png", ContentFile(png))
    response = client.get(logo_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png
    assert logo_url in client.get(reverse("dashboard")).content.decode()
    client.logout()
    assert client.get(logo_url).status_code == 302
