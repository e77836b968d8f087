from datetime import date
from decimal import Decimal

import factory

from projects.models import (
    BudgetCategory,
    BudgetLine,
    Expenditure,
    FundingProgramme,
    Indicator,
    Organisation,
    Project,
    ProjectStaff,
    StaffMember,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("id",)

    id = 1
    name = "Ośrodek Pomocy Społecznej w Testowicach"
    club_name = "Klub Integracji Społecznej w Testowicach"
    city = "Testowice"


class FundingProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingProgramme

    short_name = factory.Sequence(lambda n: f"PRG{n}")
    name = factory.LazyAttribute(lambda p: f"Program {p.short_name}")
    kind = FundingProgramme.Kind.EU


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Projekt testowy {n}")
    number = factory.Sequence(lambda n: f"RPMP.09.01.01-12-{n:04d}/16")
    programme = factory.SubFactory(FundingProgrammeFactory)
    start_date = date(2016, 6, 1)
    end_date = date(2019, 5, 31)
    total_value = Decimal("899346.16")
    cofinancing = Decimal("764444.23")
    own_contribution = Decimal("134901.93")
    target_participants = 60


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Wskaźnik {n}")
    target_total = Decimal("60")


def category(order: int) -> BudgetCategory:
    """One of the six seeded categories (1 = Aktywna integracja … 6 = Obsługa adm.)."""
    return BudgetCategory.objects.get(order=order)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    category = factory.LazyFunction(lambda: category(1))
    year = 2017
    planned_amount = Decimal("1000.00")


class ExpenditureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expenditure

    project = factory.SubFactory(ProjectFactory)
    category = factory.LazyFunction(lambda: category(1))
    date = date(2017, 3, 15)
    amount = Decimal("100.00")
    source = Expenditure.Source.EU
    document_number = factory.Sequence(lambda n: f"FV/{n}/2017")


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    first_name = "Grażyna"
    last_name = factory.Sequence(lambda n: f"Testowska{n}")
    role = StaffMember.Role.PSYCHOLOGIST
    employment_type = StaffMember.Employment.MANDATE
    hours_per_week = Decimal("10")


class ProjectStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectStaff

    project = factory.SubFactory(ProjectFactory)
    staff_member = factory.SubFactory(StaffMemberFactory)
