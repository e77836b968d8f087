from datetime import date, time
from decimal import Decimal

import factory

from participants.models import Activity, ActivityParticipant, Session, ShortContact, SupportForm
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from projects.tests.factories import ProjectFactory, StaffMemberFactory


def support_form(name: str = "trening kompetencji społecznych") -> SupportForm:
    return SupportForm.objects.get(name=name)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    project = factory.SubFactory(ProjectFactory)  # 01.06.2016 – 31.05.2019
    support_form = factory.LazyFunction(support_form)
    name = factory.Sequence(lambda n: f"Trening kompetencji społecznych – grupa {n}")
    planned_hours = Decimal("24")
    start_date = date(2017, 1, 2)
    end_date = date(2017, 6, 30)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    date = date(2017, 3, 7)
    start_time = factory.Sequence(lambda n: time(8 + n % 10, 0))
    duration_hours = Decimal("3.5")


class ShortContactFactory(factory.django.DjangoModelFactory):
    """One-off help written straight to the database, for tests about something else
    (the tests of the service go through it)."""

    class Meta:
        model = ShortContact

    participant = factory.SubFactory(ParticipantFactory)
    date = date(2017, 3, 9)
    kind = ShortContact.Kind.COUNSELLING
    staff = factory.SubFactory(StaffMemberFactory, role="psychologist")
    duration_hours = Decimal("1")


def assign(activity: Activity, participant=None, **kwargs) -> ActivityParticipant:
    """Enrol a person in the activity's project and assign him or her to it."""
    enrolment = EnrolmentFactory(
        project=activity.project, **({"participant": participant} if participant else {}), **kwargs
    )
    return ActivityParticipant.objects.create(activity=activity, participant=enrolment.participant)
