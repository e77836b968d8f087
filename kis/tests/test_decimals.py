"""Issue 17, point 2: amounts and hours typed the Polish way, in the app and in admin."""

from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from kis.lib.decimals import DecimalInput, DecimalInputField, parse_decimal
from kis.lib.models import DecimalField
from participants.forms.support import SessionSeriesForm, ShortContactForm
from projects.models import BudgetLine, Indicator, Project
from projects.services import budget_plan_warnings
from projects.tests.factories import (
    BudgetLineFactory,
    FundingProgrammeFactory,
    IndicatorFactory,
    ProjectFactory,
    category,
)
from projects.tests.test_admin import _inline_management, _krzeszowice

D = Decimal
SPELLINGS = ["899 346,16", "899\xa0346,16", "899\u202f346,16", "899346,16", "899346.16"]


@pytest.mark.parametrize("text", [*SPELLINGS, " 899 346,16 zł", "899 346.16"])
def test_every_spelling_of_an_amount_is_the_same_amount(text):
    assert parse_decimal(text, 2) == D("899346.16")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,5", D("1.5")),
        ("1.5", D("1.5")),
        ("0,25", D("0.25")),
        (",5", D("0.5")),
        ("12", D("12")),
        ("1 200", D("1200")),
        ("-150,00", D("-150.00")),
        ("−150,00", D("-150.00")),
        ("0,125", D("0.125")),  # not a thousands group: no leading zero in thousands
        ("1234.567", D("1234.567")),  # four digits before: decimals (refused for places)
    ],
)
def test_numbers_that_can_be_read_one_way_only(text, value):
    assert parse_decimal(text, 2) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1.234", "ambiguous"),
        ("1,234", "ambiguous"),
        ("999.999", "ambiguous"),
        ("1,234,5", "separators"),
        ("1.234,56", "separators"),
        ("1,234.56", "separators"),
        ("8 99346", "grouping"),
        ("1 23,50", "grouping"),
        ("12a", "invalid"),
        ("1,", "invalid"),
        ("zł", "invalid"),
        ("1e5", "invalid"),
        ("NaN", "invalid"),
    ],
)
def test_what_could_be_read_two_ways_is_refused_in_polish(text, code):
    with pytest.raises(ValidationError) as error:
        parse_decimal(text, 2)
    assert error.value.code == code
    with translation.override("pl"):
        field = DecimalInputField(max_digits=14, decimal_places=2)
        with pytest.raises(ValidationError) as error:
            field.clean(text)
        message = error.value.messages[0]
    assert any(word in message for word in ("Wpisz", "Użyj", "tysiące", "Tysiące")), message


def test_with_three_decimals_kept_a_comma_is_a_decimal_comma():
    assert parse_decimal("1,234", 3) == D("1.234")


def test_an_amount_is_shown_back_formatted():
    field = DecimalInputField(max_digits=14, decimal_places=2, fixed_places=True)
    with translation.override("pl"):
        assert field.widget.format_value(D("899346.16")) == "899\xa0346,16"
        assert field.widget.format_value(D("1200")) == "1\xa0200,00"
        # What was typed and understood comes back formatted; the rest as typed.
        assert field.widget.format_value(field.prepare_value("899346.16")) == "899\xa0346,16"
        assert field.prepare_value("1.234") == "1.234"
    hours = DecimalInputField(max_digits=4, decimal_places=2)
    with translation.override("pl"):
        assert hours.widget.format_value(D("1.50")) == "1,5"
        assert hours.widget.format_value(D("2.00")) == "2"
    html = hours.widget.render("h", D("1.50"))
    assert 'inputmode="decimal"' in html and 'type="text"' in html


def test_every_model_decimal_uses_the_field_that_reads_polish_amounts():
    decimals = [
        f
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, models.DecimalField) and model._meta.app_label in APPS
    ]
    assert len(decimals) >= 18
    wrong = [str(f) for f in decimals if not isinstance(f, DecimalField)]
    assert not wrong, f"use kis.lib.models.DecimalField: {wrong}"
    # and it makes no migration: migrations see Django's field
    assert decimals[0].deconstruct()[1] == "django.db.models.DecimalField"


APPS = {"kis", "projects", "participants", "reports"}


@pytest.mark.django_db
def test_every_admin_form_and_inline_reads_polish_amounts(administrator):
    request = RequestFactory().get("/")
    request.user = administrator
    checked = 0
    for model_admin in admin.site._registry.values():
        admins = [model_admin, *model_admin.get_inline_instances(request)]
        for each in admins:
            form = (
                each.get_form(request)
                if isinstance(each, admin.ModelAdmin)
                else each.get_formset(request).form
            )
            for name, field in form.base_fields.items():
                if isinstance(field, forms.DecimalField):
                    assert isinstance(field, DecimalInputField), f"{each}: {name}"
                    assert isinstance(field.widget, DecimalInput), f"{each}: {name}"
                    checked += 1
    assert checked >= 15


def test_plain_and_model_forms_of_the_app_read_polish_hours():
    series = SessionSeriesForm(
        data={
            "first_date": "02.03.2026",
            "weekdays": ["0"],
            "start_time": "10:00",
            "duration_hours": "1,5",
            "repeat": "weekly",
            "weeks": "2",
        }
    )
    assert series.is_valid(), series.errors
    assert series.cleaned_data["duration_hours"] == D("1.5")
    assert isinstance(ShortContactForm.base_fields["duration_hours"], DecimalInputField)


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_admin_saves_each_spelling_of_the_project_value_alike(administrator_client, spelling):
    data = _krzeszowice(
        FundingProgrammeFactory(),
        total_value=spelling,
        cofinancing="764 444,23",
        own_contribution="134901.93",
    ) | _inline_management(
        {
            "budget_lines": [
                {"year": "2017", "category": str(category(1).pk), "planned_amount": spelling}
            ]
        }
    )
    response = administrator_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    project = Project.objects.get()
    assert (project.total_value, project.cofinancing, project.own_contribution) == (
        D("899346.16"),
        D("764444.23"),
        D("134901.93"),
    )
    assert BudgetLine.objects.get().planned_amount == D("899346.16")
    page = administrator_client.get(reverse("admin:projects_project_change", args=[project.pk]))
    assert 'value="899\xa0346,16"' in page.content.decode()


@pytest.mark.django_db
def test_admin_refuses_an_ambiguous_amount_next_to_the_field(administrator_client):
    data = _krzeszowice(FundingProgrammeFactory(), total_value="899.346") | _inline_management({})
    response = administrator_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 200
    assert "można odczytać na dwa sposoby" in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_admin_takes_hours_with_a_decimal_comma(administrator_client):
    project = ProjectFactory()
    from projects.tests.factories import StaffMemberFactory

    member = StaffMemberFactory()
    response = administrator_client.post(
        reverse("admin:projects_projectstaff_add"),
        {"project": project.pk, "staff_member": member.pk, "role": "", "hours_per_week": "1,5"},
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert project.assignments.get().hours_per_week == D("1.5")


@pytest.mark.django_db
def test_budget_lines_far_from_the_project_value_warn():
    project = ProjectFactory(total_value=D("899346.16"))
    assert budget_plan_warnings(project) == []  # no lines yet: nothing to compare
    line = BudgetLineFactory(project=project, planned_amount=D("89934616.00"))
    with translation.override("pl"):
        [warning] = budget_plan_warnings(project)
    assert "89\xa0934\xa0616,00\xa0zł" in warning and "10\xa0000,00\xa0%" in warning
    line.planned_amount = D("850000")
    line.save()
    assert budget_plan_warnings(project) == []  # within a tenth


@pytest.mark.django_db
def test_admin_shows_the_budget_warning(administrator_client):
    data = _krzeszowice(FundingProgrammeFactory()) | _inline_management(
        {
            "budget_lines": [
                {"year": "2017", "category": str(category(1).pk), "planned_amount": "89934616"}
            ]
        }
    )
    response = administrator_client.post(reverse("admin:projects_project_add"), data, follow=True)
    assert "Pozycje budżetu dają razem" in response.content.decode()


@pytest.mark.django_db
def test_the_app_form_for_an_indicator_value_reads_each_spelling(manager_client):
    indicator = IndicatorFactory(
        project=ProjectFactory(), unit=Indicator.Unit.HOURS, target_total=D("900000")
    )
    url = reverse("projects:indicator_value_create", args=[indicator.project_id, indicator.pk])
    for spelling in SPELLINGS[:1] + SPELLINGS[3:]:
        response = manager_client.post(
            url, {"date": "30.06.2017", "value_total": spelling, "source": "Lista", "note": ""}
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    assert set(indicator.values.values_list("value_total", flat=True)) == {D("899346.16")}
