"""The participant data EU monitoring needs: the territory (the voivodeship from the
TERYT code, the centre's as the default), the labour-market status on joining, and the
situation on leaving (recorded with the exit, or later on the card)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from participants.forms.people import ParticipantForm
from participants.models import Employment, EnrolmentEvent
from participants.services.people import (
    enrolment_create,
    enrolment_event_record,
    enrolment_leave_for_job,
    exit_situation_set,
)
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from projects.tests.factories import OrganisationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_voivodeship_follows_from_the_teryt_code():
    person = ParticipantFactory.build(municipality_code="1213023", pesel="")
    person.full_clean()
    assert person.voivodeship == "12"
    person.voivodeship = "14"
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert error.value.message_dict["voivodeship"] == [
        "Kod TERYT gminy wskazuje województwo małopolskie."
    ]
    for wrong in ("1213", "9913023", "1200023", "1213026", "12130231"):
        person = ParticipantFactory.build(municipality_code=wrong, pesel="")
        with pytest.raises(ValidationError) as error:
            person.full_clean()
        assert "municipality_code" in error.value.message_dict, wrong


def test_a_new_participant_starts_with_the_centres_territory(caseworker):
    OrganisationFactory(
        voivodeship="12", county="oświęcimski", municipality="Brzeszcze",
        municipality_code="1213023", degurba="2",
    )  # fmt: skip
    form = ParticipantForm(user=caseworker)
    initial = {name: form[name].value() for name in
               ("citizenship", "country", "voivodeship", "county", "municipality",
                "municipality_code", "degurba")}  # fmt: skip
    assert initial == {
        "citizenship": "pl",
        "country": "Polska",
        "voivodeship": "12",
        "county": "oświęcimski",
        "municipality": "Brzeszcze",
        "municipality_code": "1213023",
        "degurba": "2",
    }
    edited = ParticipantForm(user=caseworker, instance=ParticipantFactory(county=""))
    assert edited["county"].value() == ""  # an existing person keeps his or her own


def test_ethnic_origin_needs_the_sensitive_data_permission(caseworker, no_role_user):
    assert {"minority", "foreign_origin", "housing_exclusion"} <= set(
        ParticipantForm(user=caseworker).fields
    )
    fields = ParticipantForm(user=no_role_user).fields
    assert "minority" not in fields and "foreign_origin" not in fields
    assert "housing_exclusion" in fields


def test_the_labour_status_on_joining_is_kept_with_the_enrolment():
    person = ParticipantFactory(labour_status="long_term")
    project = ProjectFactory(start_date=date(2024, 1, 1), end_date=date(2027, 12, 31))
    enrolment = enrolment_create(
        participant=person, project=project, start_date=date(2024, 3, 1), recorded_by=None
    )
    assert enrolment.labour_status_at_start == "long_term"
    person.labour_status = "employed"  # later, the person works: the start stays as it was
    person.save()
    enrolment.refresh_from_db()
    assert enrolment.labour_status_at_start == "long_term"


@pytest.fixture
def enrolment():
    project = ProjectFactory(start_date=date(2024, 1, 1), end_date=date(2027, 12, 31))
    return EnrolmentFactory(project=project, start_date=date(2024, 2, 1))


def test_leaving_for_a_job_gives_the_situation_by_the_kind_of_job(enrolment):
    enrolment_leave_for_job(
        enrolment=enrolment,
        recorded_by=None,
        start_date=date(2024, 6, 1),
        employer="Spółdzielnia Socjalna „Razem”",
        contract=Employment.Contract.SOCIAL_COOPERATIVE,
    )
    assert enrolment.events.last().situation == "cooperative"


def test_the_situation_on_leaving_is_recorded_and_corrected(enrolment, caseworker, manager):
    enrolment_event_record(
        enrolment=enrolment, kind="completed", date=date(2024, 9, 30), recorded_by=None
    )
    assert enrolment.events.last().situation == ""
    exit_situation_set(enrolment=enrolment, situation="job_seeking", user=caseworker)
    assert enrolment.events.last().situation == "job_seeking"
    with pytest.raises(ValidationError):
        exit_situation_set(enrolment=enrolment, situation="nonsense", user=caseworker)


def test_no_situation_while_taking_part_nor_for_the_restricted(enrolment, caseworker):
    with pytest.raises(ValidationError) as error:
        exit_situation_set(enrolment=enrolment, situation="employed", user=caseworker)
    assert "nadal uczestniczy" in str(error.value)
    enrolment_event_record(
        enrolment=enrolment, kind="dropped_out", date=date(2024, 5, 1), recorded_by=None,
        reason=EnrolmentEvent._meta.get_field("reason").related_model.objects.first(),
    )  # fmt: skip
    person = enrolment.participant
    person.processing_restricted = True
    person.save()
    with pytest.raises(ValidationError):
        exit_situation_set(enrolment=enrolment, situation="employed", user=caseworker)


def test_a_situation_only_on_leaving(enrolment):
    """Returning after a job carries no situation, even if one is passed."""
    enrolment_leave_for_job(
        enrolment=enrolment, recorded_by=None, start_date=date(2024, 6, 1),
        employer="Sklep", contract="employment",
    )  # fmt: skip
    event = enrolment_event_record(
        enrolment=enrolment, kind="returned", date=date(2024, 9, 1), recorded_by=None,
        situation="employed",
    )  # fmt: skip
    assert event.situation == ""


def test_the_situation_page_on_the_card(caseworker_client, caseworkers_see_all, enrolment):
    person = enrolment.participant
    url = reverse("participants:exit_situation", args=[person.pk, enrolment.pk])
    assert caseworker_client.get(url).status_code == 404  # still taking part
    page = reverse("participants:enrolment_event", args=[person.pk, enrolment.pk, "completed"])
    form = caseworker_client.get(page).content.decode()
    assert 'name="situation"' in form
    response = caseworker_client.post(
        page, {"date": "30.09.2024", "situation": "education", "version": enrolment.version}
    )
    assert response.status_code == 302
    assert enrolment.events.last().situation == "education"
    card = caseworker_client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "kształci się lub szkoli" in card and url in card
    response = caseworker_client.post(url, {"situation": "employed"})
    assert response.status_code == 302 and enrolment.events.last().situation == "employed"


def test_a_user_without_the_permission_may_not_set_it(enrolment, no_role_user):
    enrolment_event_record(
        enrolment=enrolment, kind="completed", date=date(2024, 9, 30), recorded_by=None
    )
    with pytest.raises(PermissionDenied):
        exit_situation_set(enrolment=enrolment, situation="employed", user=no_role_user)
