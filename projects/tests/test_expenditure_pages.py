"""Recording spending outside admin: the expenditure form on the project's page
(managers and accountants), through `expenditure_save`, audited; the documents behind
each "spent" figure one click away."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from kis import roles
from kis.tests.clients import https_client
from kis.tests.factories import UserFactory
from projects.models import Expenditure
from projects.tests.factories import (
    BudgetLineFactory,
    ExpenditureFactory,
    ProjectFactory,
    category,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = ProjectFactory(
        title="Aktywność daje możliwość", start_date=date(2017, 1, 1), end_date=date(2018, 12, 31)
    )
    BudgetLineFactory(project=project, year=2017, category=category(1), planned_amount=1000)
    ExpenditureFactory(project=project, date=date(2017, 2, 1), amount=Decimal("300.00"),
                       document_number="FV/1/2017")  # fmt: skip
    ExpenditureFactory(
        project=project, date=date(2017, 5, 1), category=category(2), amount=Decimal("45.50"),
        source=Expenditure.Source.MUNICIPALITY, document_number="R/7/2017",
    )  # fmt: skip
    ExpenditureFactory(project=project, date=date(2018, 3, 1), amount=Decimal("10.00"),
                       document_number="FV/9/2018")  # fmt: skip
    return project


@pytest.fixture
def accountant():
    return UserFactory(role=roles.ACCOUNTANT, first_name="Anna", last_name="Rachunek")


def _client(user):
    client = https_client()
    client.force_login(user)
    return client


def _post(client, project, **fields):
    data = {
        "date": "15.03.2017",
        "document_number": "FV/33/2017",
        "category": category(1).pk,
        "amount": "1234,56",
        "source": "eu",
        "description": "Materiały",
        **fields,
    }
    return client.post(reverse("projects:expenditure_create", args=[project.pk]), data)


@pytest.mark.parametrize("who", ["manager", "accountant"])
def test_manager_and_accountant_record_an_expenditure(who, request, project):
    client = _client(request.getfixturevalue(who))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("projects:expenditure_create", args=[project.pk]) in page
    response = _post(client, project)
    assert response.status_code == 302
    saved = Expenditure.objects.get(document_number="FV/33/2017")
    assert saved.amount == Decimal("1234.56") and saved.project == project
    # Audited like every change of spending.
    assert LogEntry.objects.get_for_object(saved).filter(action=LogEntry.Action.CREATE).exists()
    after = client.get(response.url).content.decode()
    # 1 234,56 over a plan of 1 000,00 in 2017 (with the 300,00 before): a warning, saved.
    assert "1\xa0234,56\xa0zł" in after and "ponad plan" in after.lower()


def test_bad_input_is_refused_next_to_the_field(manager, project):
    client = _client(manager)
    response = _post(client, project, date="15.03.2016", amount="0")
    assert response.status_code == 200
    html = response.content.decode()
    assert "poza okresem projektu" in html and "Kwota musi być większa od zera" in html
    assert not Expenditure.objects.filter(document_number="FV/33/2017").exists()


def test_correct_and_delete(manager, project):
    client = _client(manager)
    cost = Expenditure.objects.get(document_number="R/7/2017")
    url = reverse("projects:expenditure_edit", args=[project.pk, cost.pk])
    form = client.get(url).content.decode()
    assert "45,50" in form
    response = client.post(url, {
        "date": "01.05.2017", "document_number": "R/7/2017", "category": cost.category_id,
        "amount": "46,50", "source": "municipality", "description": "",
    })  # fmt: skip
    assert response.status_code == 302
    cost.refresh_from_db()
    assert cost.amount == Decimal("46.50")
    delete = reverse("projects:expenditure_delete", args=[project.pk, cost.pk])
    assert client.post(delete).status_code == 302
    assert not Expenditure.objects.filter(pk=cost.pk).exists()


def test_an_expenditure_of_another_project_is_not_found(manager, project):
    other = ExpenditureFactory(project=ProjectFactory())
    url = reverse("projects:expenditure_edit", args=[project.pk, other.pk])
    assert _client(manager).get(url).status_code == 404


def test_caseworker_is_refused(caseworker, project):
    client = _client(caseworker)
    assert _post(client, project).status_code == 403
    cost = Expenditure.objects.first()
    for url in (
        reverse("projects:expenditure_list", args=[project.pk]),
        reverse("projects:expenditure_edit", args=[project.pk, cost.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("projects:expenditure_delete", args=[project.pk, cost.pk])).status_code == 403  # fmt: skip
    assert Expenditure.objects.filter(pk=cost.pk).exists()
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("projects:expenditure_list", args=[project.pk]) not in page


def test_accountant_sees_no_people(accountant, project):
    client = _client(accountant)
    assert client.get(reverse("participants:list")).status_code == 403
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200
    assert client.get(reverse("reports:index")).status_code == 403


def test_each_spent_figure_links_to_its_documents(manager, project, django_assert_max_num_queries):
    client = _client(manager)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    base = reverse("projects:expenditure_list", args=[project.pk])
    cases = {
        f"?year=2017&amp;category={category(1).pk}": (["FV/1/2017"], "300,00"),
        "?year=2017": (["FV/1/2017", "R/7/2017"], "345,50"),
        "?year=2017&amp;source=municipality": (["R/7/2017"], "45,50"),
        "?source=eu": (["FV/1/2017", "FV/9/2018"], "310,00"),
        "": (["FV/1/2017", "R/7/2017", "FV/9/2018"], "355,50"),
    }
    for query, (documents, total) in cases.items():
        assert f'href="{base}{query}"' in page, query
        with django_assert_max_num_queries(15):
            listing = client.get(base + query.replace("&amp;", "&")).content.decode()
        for number in ("FV/1/2017", "R/7/2017", "FV/9/2018"):
            assert (number in listing) == (number in documents), (query, number)
        assert f"{total}\xa0zł" in listing, query


def test_the_document_list_pages_and_keeps_its_total(manager, project):
    for _n in range(105):
        ExpenditureFactory(project=project, date=date(2018, 6, 1), amount=Decimal("1.00"))
    client = _client(manager)
    url = reverse("projects:expenditure_list", args=[project.pk]) + "?year=2018"
    first = client.get(url).content.decode()
    assert "106 dokumentów" in first and "115,00\xa0zł" in first
    second = client.get(url + "&page=2").content.decode()
    assert "115,00\xa0zł" in second and "FV/9/2018" in first + second
