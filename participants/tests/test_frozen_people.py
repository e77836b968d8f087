"""Anonymised people on the paths that still let them through: the roll call (no new
marks, neither through the service nor on the page) and the subject-access export
(nobody left to give it to: refused in the selector, so on every door)."""

import pytest
from django.urls import reverse

from kis.models import AccessLog
from participants.models import Attendance
from participants.selectors.rodo import subject_data
from participants.services.anonymise import participant_anonymise
from participants.services.people import ProcessingRestricted
from participants.services.support import roll_call_save
from participants.tests.factories import ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def roll_call():
    """A session of an activity with two people on its list, the second anonymised."""
    activity = ActivityFactory()
    kept = assign(activity, ParticipantFactory(last_name="Obecna")).participant
    gone = assign(activity, ParticipantFactory(last_name="Usunięta")).participant
    participant_anonymise(gone)
    gone.refresh_from_db()
    return SessionFactory(activity=activity), kept, gone


def test_the_roll_call_service_refuses_a_mark_for_an_anonymised_person(roll_call, caseworker):
    session, kept, gone = roll_call
    with pytest.raises(ProcessingRestricted) as refused:
        roll_call_save(
            session=session,
            marks={kept.pk: "present", gone.pk: "present"},
            seen={},
            recorded_by=caseworker,
        )
    assert refused.value.people == [gone]
    assert "anonim" in " ".join(refused.value.messages)
    assert not Attendance.objects.exists()
    # Valid marks are still taken.
    roll_call_save(session=session, marks={kept.pk: "present"}, seen={}, recorded_by=caseworker)
    assert list(Attendance.objects.values_list("participant_id", flat=True)) == [kept.pk]


def test_the_roll_call_page_offers_no_mark_for_an_anonymised_person(
    roll_call, caseworker_client, caseworkers_see_all
):
    session, kept, gone = roll_call
    url = reverse("participants:roll_call", args=[session.pk])
    page = caseworker_client.get(url).content.decode()
    assert f'name="mark_{kept.pk}"' in page
    assert f'name="mark_{gone.pk}"' not in page
    assert f'name="seen_{gone.pk}"' not in page
    assert "dane zanonimizowane: bez oznaczeń" in page
    # A mark posted anyway (an old page, a crafted request) is refused, nothing saved.
    response = caseworker_client.post(
        url, {f"mark_{kept.pk}": "present", f"mark_{gone.pk}": "absent"}, follow=True
    )
    assert "zanonimizowane" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_subject_access_export_of_an_anonymised_person_is_refused_by_the_selector():
    person = ParticipantFactory()
    assert subject_data(person)["person"]  # somebody's data can be exported
    participant_anonymise(person)
    person.refresh_from_db()
    with pytest.raises(ProcessingRestricted) as refused:
        subject_data(person)
    assert refused.value.people == [person]
    assert "nie ma komu przekazać" in " ".join(refused.value.messages)


def test_the_selector_refuses_a_restricted_person_too():
    person = ParticipantFactory(processing_restricted=True)
    with pytest.raises(ProcessingRestricted):
        subject_data(person)


@pytest.mark.parametrize("name", ["participants:export_json", "participants:export_pdf"])
def test_the_export_views_refuse_an_anonymised_person_with_the_reason(manager_client, name):
    person = ParticipantFactory()
    participant_anonymise(person)
    response = manager_client.get(reverse(name, args=[person.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("participants:detail", args=[person.pk])
    assert "nie ma komu przekazać kopii danych" in response.content.decode()
    logged = AccessLog.objects.filter(participant=person.pk)
    assert logged.filter(action=AccessLog.Action.REFUSED).exists()
    assert not logged.filter(action=AccessLog.Action.EXPORT).exists()


@pytest.mark.parametrize(("count", "text"), [(1, "1 osobę"), (3, "3 osoby"), (5, "5 osób")])
def test_the_assignment_message_has_polish_plural_forms(
    caseworker_client, caseworkers_see_all, count, text
):
    from participants.tests.factories import EnrolmentFactory
    from projects.tests.factories import ProjectStaffFactory, StaffMemberFactory

    activity = ActivityFactory()
    ProjectStaffFactory(project=activity.project, staff_member=StaffMemberFactory())
    people = [EnrolmentFactory(project=activity.project).participant for _ in range(count)]
    response = caseworker_client.post(
        reverse("participants:activity_assign", args=[activity.pk]),
        {"participants": [p.pk for p in people]},
        follow=True,
    )
    assert f"Przypisano {text}." in response.content.decode()


def test_an_anonymised_person_cannot_be_restricted_or_released(manager, manager_client):
    from participants.services.rodo import processing_restriction_set

    person = ParticipantFactory()
    participant_anonymise(person)
    person.refresh_from_db()
    with pytest.raises(ProcessingRestricted):
        processing_restriction_set(participant=person, restricted=True, reason="x", user=manager)
    card = manager_client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert reverse("participants:restriction", args=[person.pk]) not in card
    response = manager_client.post(
        reverse("participants:restriction", args=[person.pk]),
        {"restrict": "1", "reason": "wniosek"},
        follow=True,
    )
    assert "zanonimizowane" in response.content.decode()
    person.refresh_from_db()
    assert not person.processing_restricted
