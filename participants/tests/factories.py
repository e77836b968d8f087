from datetime import date

import factory

from kis.lib.pesel import pesel_make
from participants.models import (
    Diagnosis,
    DropoutReason,
    Employment,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    Participant,
    Sex,
)
from projects.tests.factories import ProjectFactory


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    first_name = "Katarzyna"
    last_name = factory.Sequence(lambda n: f"Testowska-{n}")
    sex = Sex.FEMALE
    birth_date = date(1975, 3, 14)
    pesel = factory.Sequence(lambda n: pesel_make(date(1975, 3, 14), True, n))
    city = "Lipnica Dolna"
    postal_code = "34-123"
    legal_basis = Participant.LegalBasis.LEGAL_OBLIGATION
    legal_basis_date = date(2024, 1, 8)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    participant = factory.SubFactory(ParticipantFactory)
    project = factory.SubFactory(ProjectFactory)
    start_date = date(2016, 9, 1)
    status_date = factory.SelfAttribute("start_date")

    @factory.post_generation
    def started(self, create, extracted, **kwargs):
        if create:
            EnrolmentEvent.objects.create(enrolment=self, kind="started", date=self.start_date)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    participant = factory.SubFactory(ParticipantFactory)
    start_date = date(2017, 5, 2)
    employer = "Piekarnia „Kłos”"
    contract = Employment.Contract.EMPLOYMENT


class DiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnosis

    participant = factory.SubFactory(ParticipantFactory)
    date = date(2016, 9, 10)
    needs = "Brak motywacji"


def group(name_start: str) -> ExclusionGroup:
    return ExclusionGroup.objects.get(name__startswith=name_start)


def reason(code: str) -> DropoutReason:
    return DropoutReason.objects.get(code=code)
