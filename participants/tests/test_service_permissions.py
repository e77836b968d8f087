"""Every write service checks the permission of the user at the door, also those that
name the user as who recorded or registered the record (`recorded_by`,
`registered_by`, `editor`): a user without the role is refused and nothing is written;
the role's user (and the application itself, None) may."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kis import roles
from kis.tests.factories import UserFactory
from participants.models import (
    Attendance,
    Employment,
    Enrolment,
    EnrolmentEvent,
    FamilyLink,
    Participant,
    Session,
    ShortContact,
)
from participants.services import people, rodo, support
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign
from projects.tests.factories import ProjectFactory, StaffMemberFactory
from reports.models import AnnualNarrative
from reports.services import narrative_save

pytestmark = pytest.mark.django_db


def _writes():
    """(name, the write for a user, the records it would add) for each service."""
    project = ProjectFactory()
    person, relative = ParticipantFactory(), ParticipantFactory()
    enrolment = EnrolmentFactory(participant=person, project=project)
    activity = ActivityFactory(project=project)
    assign(activity, ParticipantFactory())
    session = SessionFactory(activity=activity)
    marked = assign(activity).participant
    staff = StaffMemberFactory()
    return [
        (
            "participant_create",
            lambda user: people.participant_create(
                registered_by=user,
                first_name="Jan",
                last_name="Nowy",
                birth_date=date(1980, 1, 1),
                sex="M",
                legal_basis=Participant.LegalBasis.LEGAL_OBLIGATION,
                legal_basis_date=date(2024, 1, 8),
            ),
            Participant.objects.filter(last_name="Nowy"),
        ),
        (
            "participant_update",
            lambda user: people.participant_update(person, editor=user, last_name="Zmieniona"),
            Participant.objects.filter(last_name="Zmieniona"),
        ),
        (
            "family_link_create",
            lambda user: people.family_link_create(
                participant=person, relative=relative, relation="child", user=user
            ),
            FamilyLink.objects.all(),
        ),
        (
            "enrolment_create",
            lambda user: people.enrolment_create(
                participant=relative, project=project, start_date=date(2017, 1, 2), recorded_by=user
            ),
            Enrolment.objects.filter(participant=relative),
        ),
        (
            "enrolment_event_record",
            lambda user: people.enrolment_event_record(
                enrolment=enrolment, kind="completed", date=date(2017, 6, 30), recorded_by=user
            ),
            EnrolmentEvent.objects.filter(kind="completed"),
        ),
        (
            "enrolment_leave_for_job",
            lambda user: people.enrolment_leave_for_job(
                enrolment=enrolment,
                recorded_by=user,
                employer="Firma",
                start_date=date(2017, 6, 30),
                contract=Employment.Contract.EMPLOYMENT,
            ),
            Employment.objects.all(),
        ),
        (
            "session_save",
            lambda user: support.session_save(
                session=Session(
                    activity=activity,
                    date=date(2017, 3, 14),
                    start_time=time(9),
                    duration_hours=Decimal("2"),
                ),
                staff=[],
                user=user,
            ),
            Session.objects.filter(date=date(2017, 3, 14)),
        ),
        (
            "session_series_create",
            lambda user: support.session_series_create(
                activity=activity,
                first_date=date(2017, 4, 3),
                weekdays=[0],
                start_time=time(10),
                duration_hours=Decimal("2"),
                weeks=2,
                user=user,
            ),
            Session.objects.filter(date__gte=date(2017, 4, 3)),
        ),
        (
            "roll_call_save",
            lambda user: support.roll_call_save(
                session=session, marks={marked.pk: "present"}, seen={}, recorded_by=user
            ),
            Attendance.objects.all(),
        ),
        (
            "processing_restriction_set",
            lambda user: rodo.processing_restriction_set(
                participant=relative, restricted=True, reason="wniosek", user=user
            ),
            Participant.objects.filter(processing_restricted=True),
        ),
        (
            "contact_create",
            lambda user: support.contact_create(
                participant=relative,
                date=date(2017, 3, 9),
                kind=ShortContact.Kind.INFORMATION,
                staff=staff,
                duration_hours=Decimal("0.5"),
                user=user,
            ),
            ShortContact.objects.all(),
        ),
        (
            "narrative_save",
            lambda user: narrative_save(year=2017, section=1, text="Tekst", user=user),
            AnnualNarrative.objects.all(),
        ),
    ]


@pytest.mark.parametrize("index", range(12))
def test_a_user_without_the_role_is_refused_the_role_may(index, manager):
    name, write, written = _writes()[index]
    nobody = UserFactory()  # signed in, no role
    with pytest.raises(PermissionDenied):
        write(nobody)
    assert not written.exists(), name
    assert manager.groups.filter(name=roles.MANAGER).exists()  # whose role covers them all
    write(manager)
    assert written.exists(), name
