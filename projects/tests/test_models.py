"""Rules of projects and budgets, checked in the model and in the database itself."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import BudgetLine, Expenditure, Organisation, Project
from projects.services import budget_line_set, expenditure_create, project_create
from projects.tests.factories import (
    BudgetLineFactory,
    FundingProgrammeFactory,
    IndicatorFactory,
    ProjectFactory,
    category,
)

pytestmark = pytest.mark.django_db

KRZESZOWICE = dict(
    title="Aktywność daje możliwość",
    number="RPMP.09.01.01-12-0032/16",
    funding_decision="Uchwała Nr 921/16 Zarządu Województwa Małopolskiego",
    decision_date=date(2016, 6, 23),
    start_date=date(2016, 6, 1),
    end_date=date(2019, 5, 31),
    total_value=Decimal("899346.16"),
    cofinancing=Decimal("764444.23"),
    own_contribution=Decimal("134901.93"),
    target_participants=60,
)


def test_krzeszowice_project_adds_up_to_the_grosz():
    project = project_create(programme=FundingProgrammeFactory(), **KRZESZOWICE)
    project.refresh_from_db()
    assert project.total_value == Decimal("899346.16")
    assert project.cofinancing + project.own_contribution == project.total_value
    assert project.cofinancing_rate == Decimal("85.00")


def test_one_grosz_off_is_refused_with_a_polish_message():
    with pytest.raises(ValidationError) as error:
        project_create(**{**KRZESZOWICE, "total_value": Decimal("899346.17")})
    message = " ".join(error.value.message_dict["total_value"])
    assert "musi być równa sumie dofinansowania i wkładu własnego" in message
    assert "764\xa0444,23\xa0zł + 134\xa0901,93\xa0zł = 899\xa0346,16\xa0zł" in message
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"total_value": Decimal("899346.17")},
        {"own_contribution": Decimal("134901.92")},
        {"end_date": date(2016, 5, 31)},
        {"cofinancing": Decimal("-1.00"), "total_value": Decimal("134900.93")},
    ],
)
def test_database_refuses_inconsistent_projects_even_without_the_form(values):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(**{**KRZESZOWICE, **values})


def test_database_accepts_sums_that_floating_point_would_get_wrong():
    # 0.1 + 0.2 != 0.3 in floating point; SQLite keeps decimals as floats.
    Project.objects.create(
        **{
            **KRZESZOWICE,
            "number": "",
            "total_value": Decimal("0.30"),
            "cofinancing": Decimal("0.10"),
            "own_contribution": Decimal("0.20"),
        }
    )
    Project.objects.create(
        **{
            **KRZESZOWICE,
            "number": "X",
            "total_value": Decimal("60365.83"),
            "cofinancing": Decimal("54320.00"),
            "own_contribution": Decimal("6045.83"),
        }
    )
    assert Project.objects.count() == 2


def test_club_programme_without_external_funding():
    project = project_create(
        title="Program KIS 2025",
        is_club_programme=True,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        total_value=Decimal("50000.00"),
        cofinancing=Decimal("0"),
        own_contribution=Decimal("50000.00"),
    )
    assert project.programme is None
    assert project.cofinancing_rate == Decimal("0.00")


def test_cofinancing_above_the_programmes_maximum_rate_is_refused():
    pfron = FundingProgrammeFactory(short_name="PFRON", max_cofinancing_rate=Decimal("60"))
    base = dict(
        title="Piknik Przyjaźni",
        programme=pfron,
        start_date=date(2007, 6, 1),
        end_date=date(2007, 9, 30),
    )
    # Więcbork 2007: 3 900,00 of 6 500,00 = exactly 60 %.
    project_create(
        **base,
        total_value=Decimal("6500.00"),
        cofinancing=Decimal("3900.00"),
        own_contribution=Decimal("2600.00"),
    )
    with pytest.raises(ValidationError) as error:
        project_create(
            **base,
            total_value=Decimal("6500.00"),
            cofinancing=Decimal("3900.65"),
            own_contribution=Decimal("2599.35"),
        )
    assert "program dopuszcza najwyżej 60,00\xa0%" in " ".join(
        error.value.message_dict["cofinancing"]
    )


def test_end_before_start_is_refused_in_the_form_layer():
    with pytest.raises(ValidationError) as error:
        project_create(**{**KRZESZOWICE, "end_date": date(2016, 1, 1)})
    assert "Data zakończenia nie może być wcześniejsza" in error.value.message_dict["end_date"][0]


def test_project_number_is_unique_but_may_be_empty():
    ProjectFactory(number="")
    ProjectFactory(number="")
    ProjectFactory(number="ABC/1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(number="ABC/1")


def test_budget_line_is_unique_per_project_category_and_year():
    project = ProjectFactory()
    budget_line_set(project=project, category=category(1), year=2017, planned_amount=Decimal("10"))
    budget_line_set(project=project, category=category(1), year=2017, planned_amount=Decimal("20"))
    assert BudgetLine.objects.get().planned_amount == Decimal("20.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(
            project=project, category=category(1), year=2017, planned_amount=Decimal("5")
        )


def test_budget_line_outside_the_project_years_is_refused():
    project = ProjectFactory()  # 2016-2019
    with pytest.raises(ValidationError) as error:
        budget_line_set(
            project=project, category=category(1), year=2020, planned_amount=Decimal("1")
        )
    assert "Projekt trwa od 2016 do 2019" in error.value.message_dict["year"][0]


def test_negative_plan_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLineFactory(planned_amount=Decimal("-0.01"))


def test_expenditure_outside_the_project_dates_is_refused_and_not_saved():
    project = ProjectFactory()
    with pytest.raises(ValidationError) as error:
        expenditure_create(
            project=project,
            category=category(1),
            date=date(2019, 6, 1),
            amount=Decimal("10.00"),
            source=Expenditure.Source.EU,
        )
    assert "poza okresem projektu (01.06.2016 – 31.05.2019)" in error.value.message_dict["date"][0]
    assert not Expenditure.objects.exists()


def test_expenditure_must_be_positive():
    project = ProjectFactory()
    with pytest.raises(ValidationError) as error:
        expenditure_create(
            project=project,
            category=category(1),
            date=date(2017, 1, 2),
            amount=Decimal("0"),
            source=Expenditure.Source.EU,
        )
    assert "Kwota musi być większa od zera" in error.value.message_dict["amount"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Expenditure.objects.create(
            project=project,
            category=category(1),
            date=date(2017, 1, 2),
            amount=Decimal("-5"),
            source=Expenditure.Source.EU,
        )


def test_overspending_is_recorded_with_a_warning():
    project = ProjectFactory()
    BudgetLineFactory(
        project=project, category=category(2), year=2017, planned_amount=Decimal("100.00")
    )
    _expenditure, warnings = expenditure_create(
        project=project,
        category=category(2),
        date=date(2017, 5, 5),
        amount=Decimal("80.00"),
        source=Expenditure.Source.EU,
    )
    assert warnings == []
    _expenditure, warnings = expenditure_create(
        project=project,
        category=category(2),
        date=date(2017, 6, 5),
        amount=Decimal("30.50"),
        source=Expenditure.Source.MUNICIPALITY,
    )
    assert Expenditure.objects.count() == 2
    assert warnings == [
        "Praca socjalna 2017: wydano 110,50\xa0zł z 100,00\xa0zł planu – przekroczenie o 10,50\xa0zł."
    ]


def test_indicator_targets_by_sex_must_add_up_for_persons():
    indicator = IndicatorFactory.build(
        project=ProjectFactory(),
        target_total=Decimal("60"),
        target_women=Decimal("36"),
        target_men=Decimal("20"),
    )
    with pytest.raises(ValidationError):
        indicator.full_clean()
    indicator.target_men = Decimal("24")
    indicator.full_clean()


def test_percentage_indicator_cannot_exceed_100():
    indicator = IndicatorFactory.build(
        project=ProjectFactory(), unit="percent", target_total=Decimal("101")
    )
    with pytest.raises(ValidationError):
        indicator.full_clean()


@pytest.mark.parametrize(
    "regon,valid", [("072228543", True), ("072228544", False), ("12345", False)]
)
def test_regon_is_validated(regon, valid):
    organisation = Organisation(name="OPS", regon=regon)
    if valid:
        organisation.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            organisation.full_clean()
        assert "poprawny numer REGON" in error.value.message_dict["regon"][0]


def test_postal_code_is_validated():
    with pytest.raises(ValidationError) as error:
        Organisation(name="OPS", postal_code="32620").full_clean()
    assert "XX-XXX" in error.value.message_dict["postal_code"][0]


def test_there_is_only_one_organisation():
    Organisation.objects.create(name="OPS w Testowicach")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(id=2, name="Drugi ośrodek")


def test_andrychow_competition_ranking_and_values():
    project = project_create(
        title="Wykorzystaj swoją szansę",
        programme=FundingProgrammeFactory(),
        start_date=date(2018, 7, 1),
        end_date=date(2021, 12, 31),
        ranking_position=15,
        ranking_total=56,
        total_value=Decimal("1216630.61"),
        cofinancing=Decimal("1031544.93"),
        own_contribution=Decimal("185085.68"),
    )
    assert (project.ranking_position, project.ranking_total) == (15, 56)
    with pytest.raises(ValidationError) as error:
        project_create(**{**KRZESZOWICE, "number": "", "ranking_position": 57, "ranking_total": 56})
    assert "Miejsce nie może być dalsze" in error.value.message_dict["ranking_position"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(**{**KRZESZOWICE, "ranking_position": 57, "ranking_total": 56})
