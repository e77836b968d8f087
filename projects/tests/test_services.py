"""Writes of projects, programmes, budgets and staff go through projects.services, in
admin as anywhere: the rules across records hold there too."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kis.tests.html_forms import edit_form_data
from participants.models import SocialContract
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ActivityFactory
from projects.models import (
    BudgetLine,
    Expenditure,
    FundingProgramme,
    Organisation,
    Project,
    ProjectStaff,
    StaffMember,
)
from projects.services import (
    programme_save,
    project_save,
    project_staff_save,
    staff_active_check,
    staff_member_delete,
)
from projects.tests.factories import (
    BudgetLineFactory,
    ExpenditureFactory,
    FundingProgrammeFactory,
    OrganisationFactory,
    ProjectFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db


def _page(client, url) -> dict:
    return edit_form_data(client.get(url).content.decode())


def test_a_project_keeps_its_records_within_its_dates():
    """01.06.2016 – 31.05.2019, with an enrolment, an activity in 2017, spending and a
    plan in 2018."""
    project = ProjectFactory()
    EnrolmentFactory(project=project, start_date=date(2016, 9, 1))
    ActivityFactory(project=project, start_date=date(2017, 1, 2), end_date=date(2017, 6, 30))
    ExpenditureFactory(project=project, date=date(2018, 3, 15))
    BudgetLineFactory(project=project, year=2018)

    project.start_date, project.end_date = date(2017, 1, 1), date(2017, 12, 31)
    with pytest.raises(ValidationError) as refused:
        project_save(project=project)

    errors = refused.value.message_dict
    assert "udziały w projektach: 1" in errors["start_date"][0]
    assert "wydatki: 1" in errors["end_date"][0] and "pozycje budżetu: 1" in errors["end_date"][0]
    project.refresh_from_db()
    assert project.end_date == date(2019, 5, 31)

    project.start_date, project.end_date = date(2016, 6, 1), date(2018, 12, 31)
    project_save(project=project)  # still covers them all
    project.refresh_from_db()
    assert project.end_date == date(2018, 12, 31)


def test_admin_refuses_project_dates_that_leave_records_outside(administrator_client):
    """Its own rows (spending, plan) are checked by their forms on the page; the records
    kept elsewhere (enrolments, activities) by the service."""
    project = ProjectFactory()
    ActivityFactory(project=project, start_date=date(2017, 1, 2), end_date=date(2017, 6, 30))
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = _page(administrator_client, url)
    data["end_date"] = ["31.12.2016"]
    data["title"] = ["Nowy tytuł"]

    response = administrator_client.post(url, data)

    assert response.status_code == 200
    assert "część zapisów projektu znalazłaby się poza nim (zajęcia: 1)" in (
        response.content.decode()
    )
    project.refresh_from_db()
    assert project.end_date == date(2019, 5, 31) and project.title != "Nowy tytuł"


def test_a_programme_rate_below_its_projects_is_refused(administrator_client):
    programme = FundingProgrammeFactory()
    ProjectFactory(programme=programme, title="Aktywność daje możliwość")  # 85 %
    programme.max_cofinancing_rate = Decimal("60")
    with pytest.raises(ValidationError) as refused:
        programme_save(programme=programme)
    assert "Aktywność daje możliwość (85,00\xa0%)" in refused.value.messages[0]

    url = reverse("admin:projects_fundingprogramme_change", args=[programme.pk])
    data = _page(administrator_client, url)
    data["max_cofinancing_rate"] = ["60"]
    response = administrator_client.post(url, data)
    assert response.status_code == 200
    assert "mają już wyższy poziom dofinansowania" in response.content.decode()
    assert FundingProgramme.objects.get().max_cofinancing_rate is None


def test_a_staff_member_with_contracts_is_not_deleted_but_explained():
    member = StaffMemberFactory()
    SocialContract.objects.create(
        number="KS/1/2017",
        participant=ParticipantFactory(),
        signed_on=date(2017, 1, 2),
        start_date=date(2017, 1, 2),
        end_date=date(2017, 6, 30),
        goals="x",
        participant_obligations="x",
        centre_obligations="x",
        caseworker=member,
    )
    with pytest.raises(ValidationError) as refused:
        staff_member_delete(member=member)
    assert "kontrakty socjalne" in refused.value.messages[0]
    assert StaffMember.objects.exists()


def test_staff_no_longer_active_are_not_newly_chosen():
    gone = StaffMemberFactory(is_active=False)
    with pytest.raises(ValidationError) as refused:
        staff_active_check(chosen=[gone])
    assert gone.full_name in refused.value.message_dict["staff"][0]
    staff_active_check(chosen=[gone], before=[gone])  # named before: stays


def test_the_services_check_the_users_permission(caseworker, manager):
    project = ProjectFactory()
    with pytest.raises(PermissionDenied):
        project_save(project=project, user=manager)  # managers follow, administrators configure
    with pytest.raises(PermissionDenied):
        project_staff_save(
            assignment=ProjectStaff(project=project, staff_member=StaffMemberFactory()),
            user=caseworker,
        )
    assert not ProjectStaff.objects.exists()


def test_admin_writes_inline_rows_through_the_services(administrator_client):
    project = ProjectFactory()
    line = BudgetLineFactory(project=project, year=2017)
    spent = ExpenditureFactory(project=project, date=date(2017, 3, 15))
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = _page(administrator_client, url)
    data["budget_lines-0-planned_amount"] = ["2500.00"]
    data["expenditures-0-DELETE"] = ["on"]

    response = administrator_client.post(url, data)

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.planned_amount == Decimal("2500.00")
    assert not Expenditure.objects.filter(pk=spent.pk).exists()
    # A budget line outside the project's years is refused, nothing else saved.
    data = _page(administrator_client, url)
    data["budget_lines-0-year"] = ["2020"]
    data["title"] = ["Inny tytuł"]
    response = administrator_client.post(url, data)
    assert response.status_code == 200
    assert BudgetLine.objects.get().year == 2017
    assert Project.objects.get().title != "Inny tytuł"


def test_staff_admin_assigns_a_staff_member_to_projects_through_the_service(
    administrator_client,
):
    member = StaffMemberFactory()
    project = ProjectFactory()
    url = reverse("admin:projects_staffmember_change", args=[member.pk])
    data = _page(administrator_client, url)
    data.update(
        {
            "assignments-TOTAL_FORMS": ["1"],
            "assignments-0-project": [str(project.pk)],
            "assignments-0-role": [""],
            "assignments-0-hours_per_week": ["10"],
        }
    )

    response = administrator_client.post(url, data)

    assert response.status_code == 302
    assert ProjectStaff.objects.get().project == project


def test_the_centres_profile_is_saved_in_admin(administrator_client):
    OrganisationFactory()
    url = reverse("admin:projects_organisation_change", args=[1])
    data = _page(administrator_client, url)
    data["city"] = ["Lipnica Dolna"]
    data["regon"] = ["12345"]  # not a REGON: refused next to the field

    refused = administrator_client.post(url, data)
    data["regon"] = [""]
    saved = administrator_client.post(url, data)

    assert refused.status_code == 200 and saved.status_code == 302
    assert Organisation.objects.get().city == "Lipnica Dolna"
