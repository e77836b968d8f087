"""Participants' rules: PESEL, duplicates, enrolment dates and the kept history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kis.lib.pesel import pesel_make
from participants.models import DropoutReason, Employment, Enrolment, EnrolmentEvent, Participant
from participants.services.people import (
    enrolment_create,
    enrolment_event_record,
    enrolment_leave_for_job,
    participant_create,
)
from participants.tests.factories import EnrolmentFactory, ParticipantFactory, reason
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

BASE = {
    "first_name": "Łucja",
    "last_name": "Wójcik",
    "legal_basis": Participant.LegalBasis.CONSENT,
    "legal_basis_date": date(2026, 1, 5),
}


@pytest.mark.parametrize(
    "pesel,message",
    [
        ("44051401358", "błędną cyfrę kontrolną"),  # last digit changed
        ("44053401359", "nie zawiera poprawnej daty urodzenia"),  # month 53
        ("4405140135", "dokładnie 11 cyfr"),
        ("4405140135a", "dokładnie 11 cyfr"),
    ],
)
def test_invalid_pesel_is_refused(pesel, message):
    with pytest.raises(ValidationError) as error:
        participant_create(
            registered_by=None, pesel=pesel, birth_date=date(1944, 5, 14), sex="M", **BASE
        )
    assert message in error.value.message_dict["pesel"][0]
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    "pesel,birth,sex",
    [("44051401359", date(1944, 5, 14), "M"), ("02270803624", date(2002, 7, 8), "F")],
)
def test_valid_pesel_with_matching_data(pesel, birth, sex):
    person = participant_create(registered_by=None, pesel=pesel, birth_date=birth, sex=sex, **BASE)
    assert (person.birth_date, person.sex) == (birth, sex)


def test_pesel_contradicting_birth_date_or_sex_is_refused():
    with pytest.raises(ValidationError) as error:
        participant_create(
            registered_by=None, pesel="44051401359", birth_date=date(1944, 5, 15), sex="F", **BASE
        )
    assert "14.05.1944" in error.value.message_dict["birth_date"][0]
    assert "mężczyzna" in error.value.message_dict["sex"][0]


def test_no_pesel_with_birth_date_and_sex():
    person = participant_create(
        registered_by=None, pesel="", birth_date=date(1990, 1, 2), sex="F", **BASE
    )
    assert person.pesel == "" and person.birth_date == date(1990, 1, 2)
    # Several people without PESEL are fine.
    participant_create(
        registered_by=None,
        pesel="",
        birth_date=date(1991, 1, 2),
        sex="M",
        **{**BASE, "first_name": "Jan"},
    )
    assert Participant.objects.count() == 2


def test_same_pesel_twice_is_refused_by_the_database():
    ParticipantFactory(pesel="44051401359", birth_date=date(1944, 5, 14), sex="M")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(pesel="44051401359", birth_date=date(1944, 5, 14), sex="M")


def test_search_text_is_folded():
    person = ParticipantFactory(first_name="Łucja", last_name="Wójcik-Żak")
    assert person.search_text.startswith("wojcik-zak lucja")


def test_postal_code_format():
    with pytest.raises(ValidationError) as error:
        participant_create(
            registered_by=None,
            pesel="",
            birth_date=date(1990, 1, 2),
            sex="F",
            postal_code="34123",
            **BASE,
        )
    assert "XX-XXX" in error.value.message_dict["postal_code"][0]


@pytest.fixture
def project():
    return ProjectFactory(start_date=date(2014, 1, 1), end_date=date(2015, 6, 30))


def test_enrolment_dates_must_lie_within_the_project(project):
    person = ParticipantFactory()
    with pytest.raises(ValidationError) as error:
        enrolment_create(
            participant=person, project=project, start_date=date(2013, 12, 31), recorded_by=None
        )
    assert "01.01.2014 – 30.06.2015" in error.value.message_dict["start_date"][0]
    assert not Enrolment.objects.exists() and not EnrolmentEvent.objects.exists()


def test_enrolment_once_per_project(project):
    person = ParticipantFactory()
    enrolment_create(
        participant=person, project=project, start_date=date(2014, 2, 3), recorded_by=None
    )
    with pytest.raises(ValidationError):
        enrolment_create(
            participant=person, project=project, start_date=date(2014, 3, 3), recorded_by=None
        )
    assert Enrolment.objects.count() == 1


def test_job_and_return_keep_the_history(project, caseworker):
    person = ParticipantFactory()
    enrolment = enrolment_create(
        participant=person, project=project, start_date=date(2014, 2, 3), recorded_by=caseworker
    )
    job = enrolment_leave_for_job(
        enrolment=enrolment,
        recorded_by=caseworker,
        start_date=date(2014, 5, 5),
        end_date=date(2014, 8, 4),
        employer="Sklep „Społem”",
        contract=Employment.Contract.EMPLOYMENT,
        is_long_term=False,
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_date) == ("left_for_job", date(2014, 5, 5))
    assert job.enrolment == enrolment
    enrolment_event_record(
        enrolment=enrolment, kind="returned", date=date(2014, 8, 11), recorded_by=caseworker
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.status_date, enrolment.end_date) == (
        "active",
        date(2014, 8, 11),
        None,
    )
    enrolment_event_record(
        enrolment=enrolment,
        kind="dropped_out",
        date=date(2014, 11, 3),
        reason=reason("alcohol_relapse"),
        note="po nawrocie",
        recorded_by=caseworker,
    )
    history = list(enrolment.events.values_list("kind", "date"))
    assert history == [
        ("started", date(2014, 2, 3)),
        ("left_for_job", date(2014, 5, 5)),
        ("returned", date(2014, 8, 11)),
        ("dropped_out", date(2014, 11, 3)),
    ]
    assert enrolment.events.get(kind="dropped_out").reason.name == "ciąg alkoholowy"
    assert Employment.objects.get().employer == "Sklep „Społem”"


def _leave(enrolment, **fields):
    return enrolment_leave_for_job(
        enrolment=enrolment,
        recorded_by=None,
        employer="Sklep",
        contract=Employment.Contract.EMPLOYMENT,
        **fields,
    )


def test_the_job_may_start_after_a_weekend(project):
    enrolment = EnrolmentFactory(project=project, start_date=date(2014, 2, 3))
    job = _leave(enrolment, exit_date=date(2014, 5, 2), start_date=date(2014, 5, 5))  # Fri, Mon
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.status_date, enrolment.end_date) == (
        "left_for_job",
        date(2014, 5, 2),
        date(2014, 5, 2),
    )
    assert enrolment.events.get(kind="left_for_job").date == date(2014, 5, 2)
    assert job.start_date == date(2014, 5, 5)


def test_the_job_may_have_started_while_the_person_was_still_in_the_project(project):
    enrolment = EnrolmentFactory(project=project, start_date=date(2014, 2, 3))
    job = _leave(enrolment, exit_date=date(2014, 5, 30), start_date=date(2014, 4, 1))
    assert job.start_date == date(2014, 4, 1)
    assert enrolment.events.get(kind="left_for_job").date == date(2014, 5, 30)


def test_without_an_exit_date_the_person_leaves_on_the_job_start(project):
    enrolment = EnrolmentFactory(project=project, start_date=date(2014, 2, 3))
    _leave(enrolment, start_date=date(2014, 5, 5))
    assert enrolment.events.get(kind="left_for_job").date == date(2014, 5, 5)


@pytest.mark.parametrize(
    "dates,field,message",
    [
        # more than four weeks after the exit
        ({"exit_date": date(2014, 5, 2), "start_date": date(2014, 5, 31)}, "start_date", "cztery"),
        # before the person joined the project
        (
            {"exit_date": date(2014, 5, 2), "start_date": date(2014, 1, 20)},
            "start_date",
            "przystąpieniem",
        ),
        # over before the exit
        (
            {
                "exit_date": date(2014, 5, 2),
                "start_date": date(2014, 3, 1),
                "end_date": date(2014, 4, 30),
            },
            "end_date",
            "skończyła się",
        ),
    ],
)
def test_a_job_that_is_not_what_the_person_left_for_is_refused(project, dates, field, message):
    enrolment = EnrolmentFactory(project=project, start_date=date(2014, 2, 3))
    with pytest.raises(ValidationError) as error:
        _leave(enrolment, **dates)
    assert message in error.value.message_dict[field][0]
    assert list(enrolment.events.values_list("kind", flat=True)) == ["started"]
    assert not Employment.objects.exists()
    enrolment.refresh_from_db()
    assert enrolment.status == "active"


def test_impossible_transitions_are_refused(project):
    enrolment = EnrolmentFactory(project=project, start_date=date(2014, 2, 3))
    with pytest.raises(ValidationError) as error:
        enrolment_event_record(
            enrolment=enrolment, kind="returned", date=date(2014, 3, 1), recorded_by=None
        )
    assert "nie można zapisać" in error.value.messages[0]
    enrolment_event_record(
        enrolment=enrolment, kind="completed", date=date(2014, 12, 1), recorded_by=None
    )
    with pytest.raises(ValidationError):
        enrolment_event_record(
            enrolment=enrolment,
            kind="dropped_out",
            date=date(2014, 12, 2),
            reason=reason("moved_away"),
            recorded_by=None,
        )
    assert enrolment.events.count() == 2


def test_dropout_needs_a_reason_and_a_sensible_date(project):
    enrolment = EnrolmentFactory(project=project, start_date=date(2014, 2, 3))
    with pytest.raises(ValidationError) as error:
        enrolment_event_record(
            enrolment=enrolment, kind="dropped_out", date=date(2014, 3, 1), recorded_by=None
        )
    assert "powód" in error.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as error:
        enrolment_event_record(
            enrolment=enrolment,
            kind="dropped_out",
            date=date(2014, 1, 1),
            reason=reason("moved_away"),
            recorded_by=None,
        )
    assert "wcześniejsza niż ostatnia zmiana" in error.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as error:
        enrolment_event_record(
            enrolment=enrolment,
            kind="dropped_out",
            date=date(2015, 7, 1),
            reason=reason("moved_away"),
            recorded_by=None,
        )
    assert "okresie projektu" in error.value.message_dict["date"][0]
    assert enrolment.events.count() == 1


def test_future_dates_are_refused():
    project = ProjectFactory(start_date=date(2024, 1, 1), end_date=date(2099, 12, 31))
    person = ParticipantFactory()
    with pytest.raises(ValidationError) as error:
        enrolment_create(
            participant=person, project=project, start_date=date(2098, 1, 1), recorded_by=None
        )
    assert "z przyszłości" in error.value.message_dict["start_date"][0]


def test_the_seeded_dropout_reasons_are_found_by_code():
    codes = dict(DropoutReason.objects.values_list("code", "name"))
    assert set(codes) == {
        "alcohol_relapse",
        "no_cooperation",
        "no_self_discipline",
        "moved_away",
        "inpatient_treatment",
        "childcare",
        "other",
    }
    assert codes[DropoutReason.OTHER] == "inny powód"


def test_reason_only_for_dropouts_in_the_database(project):
    enrolment = EnrolmentFactory(project=project, start_date=date(2014, 2, 3))
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentEvent.objects.create(
            enrolment=enrolment, kind="dropped_out", date=date(2014, 3, 3)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentEvent.objects.create(
            enrolment=enrolment,
            kind="completed",
            date=date(2014, 3, 3),
            reason=reason("moved_away"),
        )


def test_pesel_helper_makes_valid_numbers():
    from stdnum.pl import pesel

    for birth, female in [
        (date(1899, 12, 31), True),
        (date(1975, 3, 14), False),
        (date(2004, 2, 29), True),
    ]:
        number = pesel_make(birth, female, 7)
        assert pesel.is_valid(number)
        assert pesel.get_birth_date(number) == birth
        assert pesel.get_gender(number) == ("F" if female else "M")
