"""Administrators configure projects in Django admin alone."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from projects.models import (
    BudgetLine,
    Expenditure,
    Indicator,
    IndicatorValue,
    Project,
    ProjectStaff,
)
from projects.tests.factories import (
    BudgetLineFactory,
    ExpenditureFactory,
    FundingProgrammeFactory,
    IndicatorFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectStaffFactory,
    StaffMemberFactory,
    category,
)

pytestmark = pytest.mark.django_db

INLINES = ("indicators", "budget_lines", "expenditures", "assignments")


def _inline_management(rows: dict[str, list[dict]]) -> dict:
    data = {}
    for prefix in INLINES:
        forms = rows.get(prefix, [])
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(forms)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for i, form in enumerate(forms):
            data.update({f"{prefix}-{i}-{key}": value for key, value in form.items()})
    return data


def _krzeszowice(programme, **overrides) -> dict:
    data = {
        "title": "Aktywność daje możliwość",
        "number": "RPMP.09.01.01-12-0032/16",
        "programme": str(programme.pk),
        "status": "active",
        "funding_decision": "Uchwała Nr 921/16 Zarządu Województwa Małopolskiego",
        "decision_date": "23.06.2016",
        "start_date": "01.06.2016",
        "end_date": "31.05.2019",
        "total_value": "899346.16",
        "cofinancing": "764444.23",
        "own_contribution": "134901.93",
        "target_participants": "60",
        "target_groups": "Osoby zagrożone ubóstwem lub wykluczeniem społecznym",
        "partners": "",
        "description": "",
    }
    data.update(overrides)
    return data


def test_every_admin_page_loads_for_an_administrator(administrator_client):
    project = ProjectFactory()
    objects = [
        OrganisationFactory(),
        project.programme,
        project,
        IndicatorFactory(project=project),
        IndicatorValue.objects.create(
            indicator=Indicator.objects.get(project=project),
            date=project.start_date,
            value_total=Decimal("12"),
            source="Zestawienie zaświadczeń",
        ),
        category(1),
        BudgetLineFactory(project=project),
        ExpenditureFactory(project=project),
        StaffMemberFactory(),
        ProjectStaffFactory(project=project),
    ]
    checked = 0
    for obj in objects:
        meta = obj._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        for url in (reverse(f"{base}_changelist"), reverse(f"{base}_change", args=[obj.pk])):
            assert administrator_client.get(url).status_code == 200, url
            checked += 1
        if meta.model_name != "organisation":  # one profile only, already there
            assert administrator_client.get(reverse(f"{base}_add")).status_code == 200
    registered = {m for m in admin.site._registry if m._meta.app_label == "projects"}
    assert registered == {type(o) for o in objects}
    assert checked == 20


def test_admin_configures_a_project_end_to_end(administrator_client):
    programme = FundingProgrammeFactory(short_name="RPO WM")
    psychologist = StaffMemberFactory()
    data = _krzeszowice(programme) | _inline_management(
        {
            "indicators": [
                {
                    "order": "1",
                    "name": "Uczestnicy projektu",
                    "kind": "output",
                    "nature": "hard",
                    "unit": "persons",
                    "measure": "participants",
                    "target_total": "60",
                    "target_women": "36",
                    "target_men": "24",
                    "measurement": "",
                }
            ],
            "budget_lines": [
                {"year": "2017", "category": str(category(1).pk), "planned_amount": "360000.00"}
            ],
            "expenditures": [
                {
                    "date": "10.03.2017",
                    "category": str(category(1).pk),
                    "amount": "307882.81",
                    "source": "eu",
                    "document_number": "FV/1/2017",
                    "description": "",
                },
                {
                    "date": "10.10.2017",
                    "category": str(category(1).pk),
                    "amount": "45600.00",
                    "source": "municipality",
                    "document_number": "FV/2/2017",
                    "description": "",
                },
            ],
            "assignments": [
                {"staff_member": str(psychologist.pk), "role": "", "hours_per_week": "10"}
            ],
        }
    )
    response = administrator_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    project = Project.objects.get()
    assert project.total_value == Decimal("899346.16")
    assert Indicator.objects.filter(project=project).count() == 1
    assert BudgetLine.objects.filter(project=project).count() == 1
    assert Expenditure.objects.filter(project=project).count() == 2
    assert ProjectStaff.objects.filter(project=project).count() == 1
    change = administrator_client.get(reverse("admin:projects_project_change", args=[project.pk]))
    html = change.content.decode()
    assert "353\xa0482,81\xa0zł" in html  # the read-only execution table
    assert "85,00\xa0%" in html  # co-financing rate


def test_admin_refuses_a_project_that_does_not_add_up(administrator_client):
    programme = FundingProgrammeFactory()
    data = _krzeszowice(programme, own_contribution="134901.94") | _inline_management({})
    response = administrator_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "musi być równa sumie dofinansowania i wkładu własnego" in html
    assert 'value="134\xa0901,94"' in html  # what was typed is kept, formatted
    assert not Project.objects.exists()


def test_admin_refuses_an_expenditure_outside_the_project(administrator_client):
    data = _krzeszowice(FundingProgrammeFactory()) | _inline_management(
        {
            "expenditures": [
                {
                    "date": "01.06.2019",
                    "category": str(category(1).pk),
                    "amount": "10",
                    "source": "eu",
                    "document_number": "",
                    "description": "",
                }
            ],
        }
    )
    response = administrator_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 200
    assert "poza okresem projektu" in response.content.decode()
    assert not Project.objects.exists() and not Expenditure.objects.exists()


def test_admin_warns_about_overspending(administrator_client):
    project = ProjectFactory()
    BudgetLineFactory(
        project=project, year=2017, category=category(1), planned_amount=Decimal("100")
    )
    response = administrator_client.post(
        reverse("admin:projects_expenditure_add"),
        {
            "project": project.pk,
            "category": category(1).pk,
            "date": "05.05.2017",
            "amount": "150.00",
            "source": "eu",
            "document_number": "FV/9",
            "description": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "przekroczenie o 50,00\xa0zł" in response.content.decode()
    assert Expenditure.objects.count() == 1


def test_manager_cannot_change_projects_in_admin(manager_client):
    response = manager_client.get(reverse("admin:projects_project_changelist"))
    assert response.status_code == 302  # not staff: sent to the admin login
