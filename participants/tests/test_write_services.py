"""The services of support, jobs, diagnoses, enrolments and family links: the rules
each holds for every caller (views, admin, demo, an import)."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from participants.models import (
    ActivityParticipant,
    Attendance,
    Diagnosis,
    Employment,
    FamilyLink,
    Goal,
    Participant,
    Placement,
    Session,
    SocialContract,
)
from participants.services.people import (
    ProcessingRestricted,
    diagnosis_save,
    employment_save,
    enrolment_delete,
    enrolment_event_record,
    enrolment_update,
    family_link_delete,
    family_link_update,
    participant_delete,
)
from participants.services.support import (
    activity_completion_set,
    activity_delete,
    activity_participant_remove,
    activity_participants_add,
    activity_save,
    placement_save,
    session_delete,
    session_save,
    social_contract_delete,
    social_contract_save,
)
from participants.tests.factories import EnrolmentFactory, ParticipantFactory, reason
from participants.tests.support_factories import (
    ActivityFactory,
    SessionFactory,
    assign,
    support_form,
)
from projects.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


def restrict(person: Participant) -> Participant:
    Participant.objects.filter(pk=person.pk).update(processing_restricted=True)
    return person


def _contract(person, **fields) -> SocialContract:
    values = dict(
        number="KS/1/2017",
        participant=person,
        signed_on=date(2017, 1, 2),
        start_date=date(2017, 1, 2),
        end_date=date(2017, 6, 30),
        goals="Cele",
        participant_obligations="Zobowiązania",
        centre_obligations="Zobowiązania ośrodka",
        caseworker=StaffMemberFactory(),
    )
    return SocialContract(**{**values, **fields})


# --- activities and sessions -------------------------------------------------------------


def test_people_whose_data_may_not_be_processed_are_not_assigned():
    activity = ActivityFactory()
    free = EnrolmentFactory(project=activity.project).participant
    restricted = restrict(EnrolmentFactory(project=activity.project).participant)

    with pytest.raises(ProcessingRestricted) as refused:
        activity_participants_add(activity=activity, participants=[free, restricted])

    assert "przetwarzanie danych jest ograniczone" in refused.value.message_dict["participants"][0]
    assert not ActivityParticipant.objects.exists()


def test_completion_of_a_restricted_person_is_refused():
    assignment = assign(ActivityFactory())
    restrict(assignment.participant)
    with pytest.raises(ProcessingRestricted):
        activity_completion_set(assignment=assignment, completed_on=date(2017, 6, 30))
    assignment.refresh_from_db()
    assert assignment.completed_on is None


def test_an_assignment_with_marks_stays():
    session = SessionFactory()
    marked = assign(session.activity)
    unmarked = assign(session.activity)
    Attendance.objects.create(session=session, participant=marked.participant, status="present")

    with pytest.raises(ValidationError) as refused:
        activity_participant_remove(assignment=marked)
    activity_participant_remove(assignment=unmarked)

    assert "ma już zaznaczoną obecność" in refused.value.messages[0]
    assert list(ActivityParticipant.objects.all()) == [marked]


def test_sessions_and_activities_with_records_of_restricted_people_stay():
    session = SessionFactory()
    person = assign(session.activity).participant
    Attendance.objects.create(session=session, participant=person, status="present")
    restrict(person)

    with pytest.raises(ProcessingRestricted):
        session_delete(session=session)
    with pytest.raises(ProcessingRestricted):
        activity_delete(activity=session.activity)

    assert Session.objects.exists() and Attendance.objects.exists()


def test_a_new_activity_needs_a_support_form_in_use_and_active_staff():
    form = support_form()
    form.is_active = False
    form.save()
    gone = StaffMemberFactory(is_active=False)
    with pytest.raises(ValidationError) as refused:
        activity_save(activity=ActivityFactory.build(support_form=form))
    assert "nie jest już używana" in refused.value.message_dict["support_form"][0]

    activity = ActivityFactory()
    with pytest.raises(ValidationError) as refused:
        activity_save(activity=activity, staff=[gone])
    assert gone.last_name in refused.value.message_dict["staff"][0]

    # Named before, kept: the record's history.
    activity.staff.add(gone)
    activity.name = "Nowa nazwa"
    activity_save(activity=activity, staff=[gone])
    activity.refresh_from_db()
    assert activity.name == "Nowa nazwa"


def test_a_session_in_the_admin_or_an_import_keeps_to_its_activity():
    session = SessionFactory.build(activity=ActivityFactory(), date=date(2018, 1, 2))
    with pytest.raises(ValidationError) as refused:
        session_save(session=session, staff=[])
    assert "date" in refused.value.message_dict
    session.date, session.start_time = date(2017, 3, 7), time(9, 0)
    session_save(session=session, staff=[])
    assert Session.objects.count() == 1


# --- contracts, placements, jobs, diagnoses ------------------------------------------------


def test_a_contract_names_an_active_caseworker_when_chosen():
    person = ParticipantFactory()
    gone = StaffMemberFactory(is_active=False)
    with pytest.raises(ValidationError) as refused:
        social_contract_save(contract=_contract(person, caseworker=gone))
    assert "caseworker" in refused.value.message_dict

    contract = social_contract_save(contract=_contract(person))
    contract.caseworker.is_active = False
    contract.caseworker.save()
    contract.goals = "Nowe cele"
    social_contract_save(contract=contract)  # the caseworker who signed it stays
    assert SocialContract.objects.get().goals == "Nowe cele"


def test_a_contract_of_a_restricted_person_is_neither_changed_nor_deleted():
    contract = social_contract_save(contract=_contract(ParticipantFactory()))
    restrict(contract.participant)
    contract.goals = "Zmienione"
    with pytest.raises(ProcessingRestricted):
        social_contract_save(contract=contract)
    with pytest.raises(ProcessingRestricted):
        social_contract_delete(contract=contract)
    assert SocialContract.objects.get().goals == "Cele"


def test_a_contract_moved_away_from_a_restricted_person_is_refused():
    restricted = ParticipantFactory()
    contract = social_contract_save(contract=_contract(restricted))
    restrict(restricted)
    contract.participant = ParticipantFactory()
    with pytest.raises(ProcessingRestricted):
        social_contract_save(contract=contract)
    assert SocialContract.objects.get().participant == restricted


def test_links_to_another_persons_job_or_enrolment_are_refused():
    person, other = ParticipantFactory(), ParticipantFactory()
    others_job = Employment.objects.create(
        participant=other, start_date=date(2017, 5, 2), employer="Sklep", contract="employment"
    )
    others_enrolment = EnrolmentFactory(participant=other)
    placement = Placement(
        kind="internship",
        participant=person,
        employer_name="Sklep",
        start_date=date(2017, 1, 2),
        end_date=date(2017, 4, 30),
        hours_per_month=Decimal("160"),
        outcome="hired",
        employment=others_job,
    )
    with pytest.raises(ValidationError) as refused:
        placement_save(placement=placement)
    assert "innej osoby" in refused.value.message_dict["employment"][0]

    job = Employment(
        participant=person,
        start_date=date(2017, 5, 2),
        employer="Piekarnia",
        contract="employment",
        enrolment=others_enrolment,
    )
    with pytest.raises(ValidationError) as refused:
        employment_save(employment=job)
    assert "innej osoby" in refused.value.message_dict["enrolment"][0]

    diagnosis = Diagnosis(
        participant=person, date=date(2016, 9, 10), needs="x", enrolment=others_enrolment
    )
    with pytest.raises(ValidationError):
        diagnosis_save(diagnosis=diagnosis)
    assert not Placement.objects.exists() and Employment.objects.count() == 1
    assert not Diagnosis.objects.exists()


def test_a_diagnosis_and_its_goals_are_saved_together_or_not_at_all():
    person = ParticipantFactory()
    psychologist = StaffMemberFactory()
    diagnosis = diagnosis_save(
        diagnosis=Diagnosis(participant=person, date=date(2016, 9, 10), needs="Brak motywacji"),
        staff=[psychologist],
        goals=[Goal(description="CV"), Goal(description="Kurs")],
    )
    assert list(diagnosis.staff.all()) == [psychologist]
    cv, course = diagnosis.goals.order_by("description")

    # A goal with a date achieved but not marked achieved: nothing of the call is saved.
    course.achieved_date = date(2017, 1, 2)
    with pytest.raises(ValidationError):
        diagnosis_save(diagnosis=diagnosis, goals=[course], deleted_goals=[cv])
    assert diagnosis.goals.count() == 2

    course.achieved = True
    diagnosis_save(diagnosis=diagnosis, goals=[course], deleted_goals=[cv])
    assert list(diagnosis.goals.values_list("description", "achieved")) == [("Kurs", True)]

    other = diagnosis_save(
        diagnosis=Diagnosis(participant=person, date=date(2016, 9, 11), needs="x")
    )
    with pytest.raises(ValidationError):
        diagnosis_save(diagnosis=other, goals=[course])


# --- enrolments, family links, people -----------------------------------------------------


def test_an_enrolments_start_moves_its_started_event_up_to_the_first_change():
    enrolment = EnrolmentFactory(start_date=date(2016, 9, 1))
    enrolment_event_record(
        enrolment=enrolment,
        kind="dropped_out",
        date=date(2017, 1, 10),
        recorded_by=None,
        reason=reason("moved_away"),
    )
    enrolment.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        enrolment_update(
            enrolment=enrolment, start_date=date(2017, 2, 1), referred_from=None, referral_note=""
        )
    assert "pierwsza zmiana statusu" in refused.value.message_dict["start_date"][0]

    enrolment = enrolment_update(
        enrolment=enrolment, start_date=date(2016, 10, 3), referred_from=None, referral_note="PUP"
    )
    assert (enrolment.start_date, enrolment.status, enrolment.status_date) == (
        date(2016, 10, 3),
        "dropped_out",
        date(2017, 1, 10),
    )
    assert list(enrolment.events.values_list("kind", "date")) == [
        ("started", date(2016, 10, 3)),
        ("dropped_out", date(2017, 1, 10)),
    ]


def test_restricted_peoples_records_are_not_deleted_or_relinked():
    enrolment = EnrolmentFactory()
    person = enrolment.participant
    link = FamilyLink.objects.create(
        participant=ParticipantFactory(), relative=person, relation="child"
    )
    restrict(person)

    for delete in (
        lambda: participant_delete(participant=person),
        lambda: enrolment_delete(enrolment=enrolment),
        lambda: family_link_delete(link=link),
        lambda: family_link_update(link=link, relation="spouse"),
    ):
        with pytest.raises(ProcessingRestricted):
            delete()

    assert Participant.objects.filter(pk=person.pk).exists()
    assert FamilyLink.objects.get().relation == "child"
    assert person.enrolments.exists()


def test_a_user_without_the_permission_is_refused_by_the_service(caseworker):
    """Deleting is the administrators' (kis.roles): the service refuses anyone else."""
    contract = social_contract_save(contract=_contract(ParticipantFactory()))
    with pytest.raises(PermissionDenied):
        social_contract_delete(contract=contract, user=caseworker)
    assert SocialContract.objects.exists()
