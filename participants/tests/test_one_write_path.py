"""One write path (issue 13): every rule holds whichever door the data come through –
the app's views, the admin, the services called by an import or a command.

Each test is one of the bypasses found: admin attendance for a restricted person,
admin enrolment history out of step with the status, an anonymised person renamed
through the edit form, views saving forms past the services."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kis.models import AccessLog
from kis.tests.html_forms import edit_form_data
from participants.models import (
    Activity,
    Attendance,
    CommunityEvent,
    Diagnosis,
    Employment,
    Enrolment,
    EnrolmentEvent,
    Participant,
    Placement,
    Session,
    SocialContract,
)
from participants.services.anonymise import participant_anonymise
from participants.services.people import (
    ProcessingRestricted,
    employment_save,
    enrolment_create,
    enrolment_event_record,
    participant_update,
)
from participants.services.support import social_contract_save
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign
from projects.tests.factories import ProjectFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

ANONYMISED = "dane zostały zanonimizowane i nie można ich już zmieniać"
RESTRICTED = "przetwarzanie danych jest ograniczone (art. 18 RODO)"


def _with_row(data: dict, prefix: str, row: dict) -> dict:
    """The page's own form with one more row in the inline `prefix`."""
    n = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data = {**data, f"{prefix}-TOTAL_FORMS": [str(n + 1)]}
    return {**data, **{f"{prefix}-{n}-{key}": [value] for key, value in row.items()}}


# --- the admin --------------------------------------------------------------------------


def test_admin_cannot_mark_attendance_of_a_restricted_person(administrator_client):
    session = SessionFactory()
    restricted = assign(session.activity).participant
    Participant.objects.filter(pk=restricted.pk).update(processing_restricted=True)
    url = reverse("admin:participants_session_change", args=[session.pk])
    page = administrator_client.get(url).content.decode()

    row = {"participant": str(restricted.pk), "status": "present", "id": "", "session": ""}
    response = administrator_client.post(url, _with_row(edit_form_data(page), "attendance", row))

    assert response.status_code in (200, 302)
    assert not Attendance.objects.exists()
    assert "liście obecności spotkania w aplikacji" in page  # where attendance is taken


def test_admin_enrolment_history_stays_in_step_with_the_status(administrator_client):
    enrolment = EnrolmentFactory()
    url = reverse("admin:participants_enrolment_change", args=[enrolment.pk])
    page = administrator_client.get(url).content.decode()

    data = _with_row(
        edit_form_data(page),
        "events",
        {"date": "01.03.2017", "kind": "completed", "reason": "", "note": "", "id": ""},
    )
    response = administrator_client.post(url, data)

    assert response.status_code == 302
    enrolment.refresh_from_db()
    kinds = list(enrolment.events.values_list("kind", flat=True))
    assert (kinds, enrolment.status) == (["started"], "active")
    assert "na karcie uczestnika w aplikacji" in page  # where the history is recorded


def test_admin_cannot_type_an_enrolments_status(administrator_client):
    enrolment = EnrolmentFactory()
    url = reverse("admin:participants_enrolment_change", args=[enrolment.pk])
    data = edit_form_data(administrator_client.get(url).content.decode())
    data.update(status=["completed"], status_date=["01.03.2017"], end_date=["01.03.2017"])

    assert administrator_client.post(url, data).status_code == 302

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_date) == ("active", None)


def test_admin_adds_an_enrolment_with_its_history(administrator_client, administrator):
    person = ParticipantFactory()
    project = ProjectFactory()
    url = reverse("admin:participants_enrolment_add")
    data = edit_form_data(administrator_client.get(url).content.decode())
    data.update(participant=[str(person.pk)], project=[str(project.pk)], start_date=["01.09.2016"])

    assert administrator_client.post(url, data).status_code == 302

    enrolment = Enrolment.objects.get()
    event = enrolment.events.get()
    assert (enrolment.status, event.kind, event.recorded_by) == ("active", "started", administrator)


def test_admin_refuses_to_enrol_in_a_closed_project(administrator_client):
    person = ParticipantFactory()
    project = ProjectFactory(status="settled")
    url = reverse("admin:participants_enrolment_add")
    data = edit_form_data(administrator_client.get(url).content.decode())
    data.update(participant=[str(person.pk)], project=[str(project.pk)], start_date=["01.09.2016"])

    response = administrator_client.post(url, data)

    assert response.status_code == 200
    assert "nie można do niego zapisać nikogo nowego" in response.content.decode()
    assert not Enrolment.objects.exists() and not EnrolmentEvent.objects.exists()


def test_admin_enrolment_keeps_its_start_event_with_the_start(administrator_client):
    enrolment = EnrolmentFactory()
    url = reverse("admin:participants_enrolment_change", args=[enrolment.pk])
    data = edit_form_data(administrator_client.get(url).content.decode())
    data["start_date"] = ["15.09.2016"]

    assert administrator_client.post(url, data).status_code == 302

    enrolment.refresh_from_db()
    assert enrolment.start_date == enrolment.status_date == date(2016, 9, 15)
    assert list(enrolment.events.values_list("date", flat=True)) == [date(2016, 9, 15)]


# --- anonymised people are frozen -------------------------------------------------------


@pytest.fixture
def anonymised():
    person = EnrolmentFactory().participant
    participant_anonymise(person)
    return person


def test_an_anonymised_person_cannot_be_renamed_through_the_edit_form(manager_client, anonymised):
    from participants.tests.test_views import VALID_FORM

    url = reverse("participants:edit", args=[anonymised.pk])
    data = {**VALID_FORM, "first_name": "Jan", "last_name": "Kowalski", "version": 99}
    response = manager_client.post(url, data, follow=True)

    anonymised.refresh_from_db()
    assert (anonymised.first_name, anonymised.last_name) == ("Anonim", f"#{anonymised.pk}")
    assert response.redirect_chain[-1][0] == reverse("participants:detail", args=[anonymised.pk])
    assert AccessLog.objects.filter(action="refused", participant_ref=anonymised.pk).exists()
    response = manager_client.get(url, follow=True)
    html = response.content.decode()
    assert "dane tej osoby zostały zanonimizowane" in html.lower()
    assert url not in html  # the card offers no edit


@pytest.mark.parametrize(
    "name", ["contract_create", "placement_create", "employment_create", "diagnosis_create"]
)
def test_nothing_is_recorded_for_an_anonymised_person_in_the_app(manager_client, anonymised, name):
    url = reverse(f"participants:{name}", args=[anonymised.pk])
    response = manager_client.post(url, {"start_date": "01.09.2016"})
    assert response.status_code == 302
    assert response.url == reverse("participants:detail", args=[anonymised.pk])


def test_an_anonymised_person_cannot_be_changed_in_admin(administrator_client, anonymised):
    url = reverse("admin:participants_participant_change", args=[anonymised.pk])
    page = administrator_client.get(url)
    assert page.status_code == 200  # shown, read only

    response = administrator_client.post(url, {"first_name": "Jan", "last_name": "Kowalski"})
    assert response.status_code == 403
    delete = reverse("admin:participants_participant_delete", args=[anonymised.pk])
    assert administrator_client.post(delete, {"post": "yes"}).status_code == 403
    anonymised.refresh_from_db()
    assert anonymised.first_name == "Anonim"


def test_an_anonymised_persons_records_cannot_be_changed_in_admin(administrator_client, anonymised):
    contract = SocialContract.objects.create(
        number="KS/1/2017",
        participant=anonymised,
        signed_on=date(2017, 1, 2),
        start_date=date(2017, 1, 2),
        end_date=date(2017, 6, 30),
        goals="",
        participant_obligations="",
        centre_obligations="",
        caseworker=StaffMemberFactory(),
    )
    url = reverse("admin:participants_socialcontract_change", args=[contract.pk])
    data = edit_form_data(administrator_client.get(url).content.decode())
    data["goals"] = ["Cele Jana Kowalskiego z ul. Polnej 3"]
    data["participant_obligations"] = data["centre_obligations"] = ["Jan Kowalski, ul. Polna 3"]

    response = administrator_client.post(url, data)

    assert response.status_code == 200
    assert ANONYMISED in response.content.decode()
    contract.refresh_from_db()
    assert contract.goals == ""


def test_an_anonymised_person_cannot_be_changed_through_the_services(anonymised):
    with pytest.raises(ProcessingRestricted) as refused:
        participant_update(anonymised, first_name="Jan", last_name="Kowalski")
    assert ANONYMISED in refused.value.messages[0]
    anonymised.refresh_from_db()
    assert anonymised.first_name == "Anonim"

    enrolment = anonymised.enrolments.get()
    for write in (
        lambda: enrolment_event_record(
            enrolment=enrolment, kind="completed", date=date(2017, 1, 2), recorded_by=None
        ),
        lambda: enrolment_create(
            participant=anonymised,
            project=ProjectFactory(),
            start_date=date(2017, 1, 2),
            recorded_by=None,
        ),
        lambda: employment_save(
            employment=Employment(
                participant=anonymised,
                start_date=date(2017, 1, 2),
                employer="Piekarnia",
                contract="employment",
            )
        ),
        lambda: social_contract_save(
            contract=SocialContract(
                number="KS/2/2017",
                participant=anonymised,
                signed_on=date(2017, 1, 2),
                start_date=date(2017, 1, 2),
                end_date=date(2017, 6, 30),
                goals="x",
                participant_obligations="x",
                centre_obligations="x",
                caseworker=StaffMemberFactory(),
            )
        ),
    ):
        with pytest.raises(ProcessingRestricted):
            write()
    assert not Employment.objects.exists() and not SocialContract.objects.exists()
    assert list(enrolment.events.values_list("kind", flat=True)) == ["started"]


# --- the app's views write through the services -------------------------------------------


def _goals_management() -> dict:
    return {
        "goals-TOTAL_FORMS": "2",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
    }


def _view_writes():
    """(name, module, service, url, data, what must not exist after a refusal)."""
    activity = ActivityFactory()
    person = EnrolmentFactory(project=activity.project).participant
    session = SessionFactory(activity=activity)
    staff = StaffMemberFactory(role="social_worker")  # a contract's caseworker is one
    pk = person.pk
    return [
        (
            "new activity",
            "support",
            "activity_save",
            reverse("participants:activity_create"),
            {
                "project": activity.project_id,
                "support_form": activity.support_form_id,
                "name": "Warsztaty kulinarne",
                "planned_hours": "24",
                "start_date": "02.01.2017",
                "end_date": "30.06.2017",
            },
            lambda: Activity.objects.filter(name="Warsztaty kulinarne").exists(),
        ),
        (
            "activity edit",
            "support",
            "activity_save",
            reverse("participants:activity_edit", args=[activity.pk]),
            {
                "project": activity.project_id,
                "support_form": activity.support_form_id,
                "name": "Nowa nazwa",
                "planned_hours": "24",
                "start_date": "02.01.2017",
                "end_date": "30.06.2017",
            },
            lambda: Activity.objects.filter(name="Nowa nazwa").exists(),
        ),
        (
            "new session",
            "support",
            "session_save",
            reverse("participants:session_create", args=[activity.pk]),
            {"date": "14.03.2017", "start_time": "16:00", "duration_hours": "3,5"},
            lambda: Session.objects.filter(date=date(2017, 3, 14)).exists(),
        ),
        (
            "session edit",
            "support",
            "session_save",
            reverse("participants:session_edit", args=[session.pk]),
            {"date": "21.03.2017", "start_time": "16:00", "duration_hours": "3,5"},
            lambda: Session.objects.filter(date=date(2017, 3, 21)).exists(),
        ),
        (
            "social contract",
            "support",
            "social_contract_save",
            reverse("participants:contract_create", args=[pk]),
            {
                "number": "KS/7/2017",
                "signed_on": "02.01.2017",
                "start_date": "02.01.2017",
                "end_date": "30.06.2017",
                "goals": "Cele",
                "participant_obligations": "Zobowiązania",
                "centre_obligations": "Zobowiązania ośrodka",
                "caseworker": staff.pk,
                "status": "in_force",
            },
            lambda: SocialContract.objects.exists(),
        ),
        (
            "placement",
            "support",
            "placement_save",
            reverse("participants:placement_create", args=[pk]),
            {
                "kind": "internship",
                "employer_name": "Piekarnia",
                "start_date": "02.01.2017",
                "end_date": "30.06.2017",
                "hours_per_month": "160",
                "outcome": "ongoing",
            },
            lambda: Placement.objects.exists(),
        ),
        (
            "community event",
            "support",
            "community_event_save",
            reverse("participants:event_create"),
            {"name": "Piknik", "date": "06.06.2017", "place": "Park", "outside_count": "0"},
            lambda: CommunityEvent.objects.exists(),
        ),
        (
            "job",
            "people",
            "employment_save",
            reverse("participants:employment_create", args=[pk]),
            {"start_date": "02.05.2017", "employer": "Piekarnia", "contract": "employment"},
            lambda: Employment.objects.exists(),
        ),
        (
            "diagnosis and goals",
            "people",
            "diagnosis_save",
            reverse("participants:diagnosis_create", args=[pk]),
            {
                "date": "10.09.2016",
                "needs": "Brak motywacji",
                "has_action_plan": "on",
                **_goals_management(),
                "goals-0-description": "Przygotowanie CV",
            },
            lambda: Diagnosis.objects.exists(),
        ),
    ]


def test_every_view_write_goes_through_its_service(manager_client, monkeypatch):
    """Each view is made to meet a refusal only its service could give: the refusal is
    shown next to the form and nothing is saved. A view saving the form itself would
    save (or would not even name the service)."""
    writes = _view_writes()
    assert len(writes) == 9
    for name, module, service, url, data, saved in writes:
        calls = []

        def refuse(*args, _calls=calls, **kwargs):
            _calls.append(kwargs)
            raise ValidationError("Odmowa usługi (test)")

        monkeypatch.setattr(f"participants.views.{module}.{service}", refuse)
        response = manager_client.post(url, data)

        assert calls, f"{name}: the view did not call {service}"
        assert calls[0].get("user") in (None, response.wsgi_request.user), name
        assert response.status_code == 200, name
        assert "Odmowa usługi (test)" in response.content.decode(), name
        assert not saved(), f"{name}: saved although the service refused"


def test_a_rule_held_only_by_the_activity_service_holds_in_the_view(manager_client):
    """Shortening an activity past its sessions, or moving it to a project where its
    people are not enrolled, would leave records outside it."""
    activity = ActivityFactory(start_date=date(2017, 1, 2), end_date=date(2017, 6, 30))
    SessionFactory(activity=activity, date=date(2017, 6, 20))
    assign(activity)
    other = ProjectFactory()
    url = reverse("participants:activity_edit", args=[activity.pk])
    data = {
        "project": activity.project_id,
        "support_form": activity.support_form_id,
        "name": activity.name,
        "planned_hours": "24",
        "start_date": "02.01.2017",
        "end_date": "31.05.2017",
    }

    shortened = manager_client.post(url, data)
    moved = manager_client.post(url, {**data, "end_date": "30.06.2017", "project": other.pk})

    assert shortened.status_code == 200
    assert "Spotkania poza nowymi datami: 1 (np. 20.06.2017)" in str(
        shortened.context["form"].errors["end_date"]
    )
    assert moved.status_code == 200
    assert "Nie są uczestnikami projektu" in str(moved.context["form"].errors["project"])
    activity.refresh_from_db()
    assert (activity.end_date, activity.project_id) == (date(2017, 6, 30), data["project"])


def test_a_session_at_a_taken_time_is_a_form_error(manager_client):
    session = SessionFactory(date=date(2017, 3, 7), start_time=time(16, 0))
    url = reverse("participants:session_create", args=[session.activity_id])
    response = manager_client.post(
        url, {"date": "07.03.2017", "start_time": "16:00", "duration_hours": "2"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start_time"]
    assert Session.objects.count() == 1


def test_the_event_service_keeps_the_people_the_user_may_not_see(caseworker, settings):
    """The rule is the service's: whoever saves, the people he or she cannot see stay."""
    from participants.services.support import community_event_save

    settings.KIS_CASEWORKERS_SEE_ALL = False
    hidden = ParticipantFactory(last_name="Niewidoczna")
    mine = ParticipantFactory(registered_by=caseworker)
    event = community_event_save(
        event=CommunityEvent(name="Piknik", date=date(2017, 6, 6), place="Park"),
        participants=[hidden, mine],
    )

    community_event_save(event=event, participants=[], user=caseworker)

    assert set(event.participants.all()) == {hidden}
    with pytest.raises(ValidationError):
        community_event_save(event=event, participants=[ParticipantFactory()], user=caseworker)
