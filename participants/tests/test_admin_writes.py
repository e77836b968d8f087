"""The participants' admin writes through the services: the app's rules hold there, a
refusal is shown on the page next to the form, and nothing is half saved."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from kis.models import AccessLog
from kis.tests.html_forms import edit_form_data
from participants.models import (
    ActivityParticipant,
    Attendance,
    CommunityEvent,
    FamilyLink,
    Goal,
    Participant,
)
from participants.tests.factories import DiagnosisFactory, EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign

pytestmark = pytest.mark.django_db

RESTRICTED = "przetwarzanie danych jest ograniczone (art. 18 RODO)"


def _page(client, url) -> dict:
    return edit_form_data(client.get(url).content.decode())


def _with_row(data: dict, prefix: str, row: dict) -> dict:
    n = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data = {**data, f"{prefix}-TOTAL_FORMS": [str(n + 1)]}
    return {**data, **{f"{prefix}-{n}-{key}": [value] for key, value in row.items()}}


def test_a_participant_registered_in_admin_is_registered_by_the_administrator(
    administrator_client, administrator
):
    from participants.tests.test_views import VALID_FORM

    url = reverse("admin:participants_participant_add")
    data = {**_page(administrator_client, url), **VALID_FORM}
    data.update(birth_date="08.07.2002", sex="F")  # admin does not read them from the PESEL

    response = administrator_client.post(url, data)

    assert response.status_code == 302
    person = Participant.objects.get()
    assert person.registered_by == administrator
    assert LogEntry.objects.get_for_object(person).get().actor == administrator


def test_a_restricted_person_is_not_changed_in_admin_and_the_refusal_is_logged(
    administrator_client,
):
    person = ParticipantFactory(city="Lipnica Dolna")
    url = reverse("admin:participants_participant_change", args=[person.pk])
    data = _page(administrator_client, url)
    Participant.objects.filter(pk=person.pk).update(processing_restricted=True)
    data["city"] = ["Oświęcim"]

    response = administrator_client.post(url, data)

    assert response.status_code == 200
    assert RESTRICTED in response.content.decode()
    assert 'value="Oświęcim"' in response.content.decode()  # what was typed is kept
    person.refresh_from_db()
    assert person.city == "Lipnica Dolna"
    assert AccessLog.objects.filter(action="refused", participant_ref=person.pk).exists()


def test_the_restriction_is_not_set_or_lifted_in_admin(administrator_client):
    person = ParticipantFactory()
    url = reverse("admin:participants_participant_change", args=[person.pk])
    data = _page(administrator_client, url)
    data.update(processing_restricted=["on"], restriction_reason=["wniosek"])

    assert administrator_client.post(url, data).status_code == 302

    person.refresh_from_db()
    assert not person.processing_restricted  # the managers' button on the card


def test_a_restricted_person_cannot_be_added_to_an_event_in_admin(administrator_client):
    free = ParticipantFactory()
    restricted = ParticipantFactory(processing_restricted=True)
    url = reverse("admin:participants_communityevent_add")
    data = _page(administrator_client, url)
    data.update(
        name=["Piknik"],
        date=["06.06.2017"],
        place=["Park"],
        outside_count=["0"],
        participants=[str(free.pk), str(restricted.pk)],
    )

    response = administrator_client.post(url, data)

    assert response.status_code == 200
    assert restricted.full_name in response.content.decode()
    assert not CommunityEvent.objects.exists()


def test_activity_admin_assigns_only_people_enrolled_in_its_project(administrator_client):
    activity = ActivityFactory(name="Trening")
    outsider = ParticipantFactory()
    url = reverse("admin:participants_activity_change", args=[activity.pk])
    data = _page(administrator_client, url)
    data["name"] = ["Trening – zmieniony"]
    row = {"participant": str(outsider.pk), "completed_on": "", "id": "", "activity": ""}

    response = administrator_client.post(url, _with_row(data, "assignments", row))

    assert response.status_code == 200
    assert "Nie są uczestnikami projektu" in response.content.decode()
    activity.refresh_from_db()
    assert activity.name == "Trening" and not ActivityParticipant.objects.exists()

    enrolled = EnrolmentFactory(project=activity.project).participant
    row["participant"] = str(enrolled.pk)
    response = administrator_client.post(url, _with_row(data, "assignments", row))
    assert response.status_code == 302
    assert ActivityParticipant.objects.get().participant == enrolled


def test_activity_admin_keeps_an_assignment_with_attendance(administrator_client):
    session = SessionFactory()
    assignment = assign(session.activity)
    Attendance.objects.create(session=session, participant=assignment.participant, status="present")
    url = reverse("admin:participants_activity_change", args=[session.activity_id])
    data = _page(administrator_client, url)
    data["assignments-0-DELETE"] = ["on"]

    response = administrator_client.post(url, data)

    assert response.status_code == 200
    assert "ma już zaznaczoną obecność" in response.content.decode()
    assert ActivityParticipant.objects.exists()


def test_deleting_several_participants_is_all_or_nothing(administrator_client):
    free = ParticipantFactory()
    restricted = ParticipantFactory(processing_restricted=True)
    url = reverse("admin:participants_participant_changelist")

    response = administrator_client.post(
        url,
        {"action": "delete_selected", "_selected_action": [free.pk, restricted.pk], "post": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert RESTRICTED in response.content.decode()
    assert Participant.objects.count() == 2


def test_a_family_link_with_a_restricted_person_is_refused_in_admin(administrator_client):
    person = ParticipantFactory()
    restricted = ParticipantFactory(processing_restricted=True)
    url = reverse("admin:participants_familylink_add")
    data = _page(administrator_client, url)
    data.update(participant=[str(person.pk)], relative=[str(restricted.pk)], relation=["child"])

    response = administrator_client.post(url, data)

    assert response.status_code == 200
    assert not FamilyLink.objects.exists()


def test_action_plan_goals_are_written_in_admin_through_the_service(administrator_client):
    diagnosis = DiagnosisFactory(date=date(2016, 9, 10))
    url = reverse("admin:participants_diagnosis_change", args=[diagnosis.pk])
    data = _page(administrator_client, url)
    row = {"description": "Przygotowanie CV", "target_date": "", "achieved": "unknown", "id": ""}
    row["achieved_date"] = "01.02.2017"  # a date achieved, not marked achieved

    refused = administrator_client.post(url, _with_row(data, "goals", row))
    row["achieved"] = "true"
    saved = administrator_client.post(url, _with_row(data, "goals", row))

    assert refused.status_code == 200 and saved.status_code == 302
    assert list(Goal.objects.values_list("description", "achieved")) == [("Przygotowanie CV", True)]
