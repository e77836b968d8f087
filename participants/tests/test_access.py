"""Record-level access, the audit trail, restriction of processing, the subject-access
export and optimistic locking."""

import json
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kis import roles
from kis.models import AccessLog
from kis.tests.clients import https_client
from kis.tests.factories import UserFactory
from participants.models import Activity, Attendance, Participant
from participants.services.support import roll_call_save
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import (
    ActivityFactory,
    SessionFactory,
    assign,
    support_form,
)
from projects.tests.factories import ProjectFactory, ProjectStaffFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(caseworker):
    """The caseworker works in project A (as staff); project B is somebody else's."""
    mine, theirs = ProjectFactory(title="Projekt A"), ProjectFactory(title="Projekt B")
    ProjectStaffFactory(project=mine, staff_member=StaffMemberFactory(user=caseworker))
    seen = EnrolmentFactory(
        project=mine, participant=ParticipantFactory(last_name="Widoczna")
    ).participant
    hidden = EnrolmentFactory(
        project=theirs, participant=ParticipantFactory(last_name="Ukryta")
    ).participant
    own = ParticipantFactory(last_name="Zarejestrowana", registered_by=caseworker)
    return {"mine": mine, "theirs": theirs, "seen": seen, "hidden": hidden, "own": own}


def test_caseworker_sees_only_his_people(caseworker_client, world):
    listing = caseworker_client.get(reverse("participants:list")).content.decode()
    assert "Widoczna" in listing and "Zarejestrowana" in listing
    assert "Ukryta" not in listing
    searched = caseworker_client.get(reverse("participants:list"), {"q": "ukryta"}).content.decode()
    assert "Ukryta" not in searched
    assert (
        caseworker_client.get(reverse("participants:detail", args=[world["seen"].pk])).status_code
        == 200
    )
    for name in ("detail", "edit"):
        assert (
            caseworker_client.get(
                reverse(f"participants:{name}", args=[world["hidden"].pk])
            ).status_code
            == 404
        )
    assert (
        caseworker_client.get(reverse("participants:enrol", args=[world["hidden"].pk])).status_code
        == 404
    )
    enrol = caseworker_client.get(
        reverse("participants:project_enrol", args=[world["mine"].pk]), {"q": "ukryta"}
    )
    assert "Ukryta" not in enrol.content.decode()


def test_activities_follow_the_projects(caseworker_client, world):
    theirs = ActivityFactory(project=world["theirs"], name="Zajęcia cudze")
    mine = ActivityFactory(project=world["mine"], name="Zajęcia moje")
    session = SessionFactory(activity=theirs)
    listing = caseworker_client.get(reverse("participants:activity_list")).content.decode()
    assert "Zajęcia moje" in listing and "Zajęcia cudze" not in listing
    assert (
        caseworker_client.get(reverse("participants:activity_detail", args=[mine.pk])).status_code
        == 200
    )
    for url in (
        reverse("participants:activity_detail", args=[theirs.pk]),
        reverse("participants:roll_call", args=[session.pk]),
        reverse("participants:session_attendance_pdf", args=[session.pk]),
    ):
        assert caseworker_client.get(url).status_code == 404, url


def test_a_caseworker_creates_activities_in_his_projects_and_opens_them(caseworker_client, world):
    url = reverse("participants:activity_create")
    form = caseworker_client.get(url).content.decode()
    assert "Projekt A" in form and "Projekt B" not in form
    data = {
        "support_form": support_form().pk,
        "name": "Grupa wsparcia",
        "planned_hours": "10",
        "start_date": "01.03.2017",
        "end_date": "30.06.2017",
    }
    refused = caseworker_client.post(url, {**data, "project": world["theirs"].pk})
    assert refused.status_code == 200 and not Activity.objects.exists()
    response = caseworker_client.post(url, {**data, "project": world["mine"].pk}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "participants:activity_detail", args=[Activity.objects.get().pk]
    )


def test_the_dashboard_offers_only_sessions_the_user_may_open(caseworker, world):
    today = timezone.localdate()
    current = ProjectFactory(
        start_date=today - timedelta(days=30), end_date=today + timedelta(days=30)
    )
    other = ProjectFactory(start_date=current.start_date, end_date=current.end_date)
    staff = caseworker.staff_member
    ProjectStaffFactory(project=current, staff_member=staff)
    dates = {"start_date": current.start_date, "end_date": current.end_date}
    own = ActivityFactory(project=current, name="Zajęcia moje", **dates)
    own.staff.add(staff)
    own_session = SessionFactory(activity=own, date=today)
    # Led by the caseworker, in an activity of a project that is not his: he takes
    # this session's roll call (and opens nothing else of that activity).
    substitute = SessionFactory(
        activity=ActivityFactory(project=other, name="Zajęcia cudze", **dates), date=today
    )
    substitute.staff.add(staff)

    client = https_client()
    client.force_login(caseworker)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Zajęcia moje" in html and "Zajęcia cudze" in html
    assert client.get(reverse("participants:roll_call", args=[own_session.pk])).status_code == 200
    assert client.get(reverse("participants:roll_call", args=[substitute.pk])).status_code == 200
    theirs = reverse("participants:activity_detail", args=[substitute.activity_id])
    assert client.get(theirs).status_code == 404

    without_staff = UserFactory(role=roles.CASEWORKER)
    client.force_login(without_staff)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Zajęcia moje" not in html and "Zajęcia cudze" not in html


def test_the_card_links_only_to_activities_the_user_may_open(caseworker_client, world):
    person = world["own"]  # registered by the caseworker, supported in somebody else's project
    assignment = assign(ActivityFactory(project=world["theirs"], name="Zajęcia cudze"), person)
    assignment.completed_on = date(2017, 6, 30)
    assignment.save()
    html = caseworker_client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "Zajęcia cudze" in html
    activity = assignment.activity
    for url in (
        reverse("participants:activity_detail", args=[activity.pk]),
        reverse("participants:certificate_pdf", args=[activity.pk, assignment.pk]),
    ):
        assert url not in html
        assert caseworker_client.get(url).status_code == 404


def test_manager_sees_everybody(manager_client, world):
    listing = manager_client.get(reverse("participants:list")).content.decode()
    assert all(name in listing for name in ("Widoczna", "Ukryta", "Zarejestrowana"))


def test_small_centre_setting_gives_caseworkers_everybody(
    caseworker_client, world, caseworkers_see_all
):
    assert "Ukryta" in caseworker_client.get(reverse("participants:list")).content.decode()


def test_changes_are_recorded_with_their_fields(caseworker_client, caseworker):
    from participants.tests.test_views import VALID_FORM

    caseworker_client.post(reverse("participants:create"), VALID_FORM)
    person = Participant.objects.get()
    created = LogEntry.objects.get_for_object(person).get()
    assert created.action == LogEntry.Action.CREATE and created.actor == caseworker
    assert created.changes_dict["last_name"][1] == "Wójcik"
    data = {**VALID_FORM, "phone": "600 100 200", "version": person.version}
    assert (
        caseworker_client.post(reverse("participants:edit", args=[person.pk]), data).status_code
        == 302
    )
    update = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).get()
    assert update.changes_dict["phone"] == ["", "600 100 200"]
    assert update.remote_addr == "127.0.0.1"


def test_reads_exports_and_logins_are_recorded(client, manager, manager_client):
    person = ParticipantFactory()
    manager_client.get(reverse("participants:detail", args=[person.pk]))
    manager_client.get(reverse("participants:export_json", args=[person.pk]))
    actions = list(
        AccessLog.objects.filter(participant_ref=person.pk).values_list("action", "username")
    )
    assert actions == [("export", manager.username), ("view", manager.username)]
    client.post(reverse("login"), {"username": manager.username, "password": "wrong-password-1"})
    client.post(
        reverse("login"), {"username": manager.username, "password": "correct-horse-battery-staple"}
    )
    logins = list(
        AccessLog.objects.filter(action__in=["login", "login_failed"]).values_list(
            "action", "username"
        )
    )
    assert ("login_failed", manager.username) in logins and ("login", manager.username) in logins


def test_roll_call_marks_are_in_the_audit_trail(caseworker):
    activity = ActivityFactory()
    person = assign(activity).participant
    session = SessionFactory(activity=activity)
    roll_call_save(session=session, marks={person.pk: "present"}, seen={}, recorded_by=caseworker)
    roll_call_save(
        session=session,
        marks={person.pk: "absent"},
        seen={person.pk: "present"},
        recorded_by=caseworker,
    )
    mark = Attendance.objects.get()
    entries = LogEntry.objects.get_for_object(mark).order_by("pk")
    assert [e.changes_dict["status"] for e in entries] == [
        ["None", "present"],
        ["present", "absent"],
    ]
    assert all(e.actor == caseworker for e in entries)


def test_audit_trail_is_append_only_and_searchable(administrator_client, manager_client, manager):
    person = ParticipantFactory(last_name="Szukana")
    manager_client.get(reverse("participants:detail", args=[person.pk]))
    entry = AccessLog.objects.get(action="view")
    for url in (
        reverse("admin:kis_accesslog_change", args=[entry.pk]),
        reverse("admin:kis_accesslog_delete", args=[entry.pk]),
    ):
        response = administrator_client.post(url, {"what": "changed", "post": "yes"})
        assert response.status_code in (403, 302)
    assert AccessLog.objects.get(pk=entry.pk).what == "card"
    assert administrator_client.get(reverse("admin:kis_accesslog_add")).status_code == 403
    html = manager_client.get(reverse("audit"), {"participant": person.pk}).content.decode()
    assert manager.username in html and "otworzył(a) kartę" in html
    card = manager_client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "Kto otwierał lub eksportował dane" in card


def test_caseworker_cannot_read_the_audit_trail(caseworker_client):
    assert caseworker_client.get(reverse("audit")).status_code == 403


def test_restricted_processing_blocks_edits_and_exports(manager_client):
    person = ParticipantFactory(last_name="Ograniczona")
    url = reverse("participants:restriction", args=[person.pk])
    manager_client.post(url, {"restrict": "1", "reason": "wniosek osoby z 12.05.2026"})
    person.refresh_from_db()
    assert person.processing_restricted
    for name in ("edit", "enrol", "export_json", "export_pdf"):
        response = manager_client.get(
            reverse(f"participants:{name}", args=[person.pk]), follow=True
        )
        assert "Przetwarzanie danych tej osoby jest ograniczone" in response.content.decode(), name
    assert AccessLog.objects.filter(participant_ref=person.pk, action="refused").count() == 4
    assert not AccessLog.objects.filter(action="export").exists()
    manager_client.post(url, {"restrict": "0"})
    person.refresh_from_db()
    assert not person.processing_restricted
    assert (
        manager_client.get(reverse("participants:export_json", args=[person.pk])).status_code == 200
    )


def test_roll_call_refuses_marks_of_restricted_people(caseworker):
    from django.core.exceptions import ValidationError

    activity = ActivityFactory()
    person = assign(activity, ParticipantFactory(processing_restricted=True)).participant
    with pytest.raises(ValidationError):
        roll_call_save(
            session=SessionFactory(activity=activity),
            marks={person.pk: "present"},
            seen={},
            recorded_by=caseworker,
        )
    assert not Attendance.objects.exists()


def test_subject_access_export(manager_client, caseworker):
    person = ParticipantFactory(first_name="Łucja", last_name="Żółkiewska", phone="600 700 800")
    enrolment = EnrolmentFactory(participant=person)
    activity = ActivityFactory(project=enrolment.project, name="Trening kompetencji")
    from participants.models import ActivityParticipant

    ActivityParticipant.objects.create(activity=activity, participant=person)
    session = SessionFactory(
        activity=activity, date=date(2017, 3, 7), duration_hours=Decimal("3.5")
    )
    roll_call_save(session=session, marks={person.pk: "present"}, seen={}, recorded_by=caseworker)
    manager_client.get(reverse("participants:detail", args=[person.pk]))
    data = json.loads(
        manager_client.get(reverse("participants:export_json", args=[person.pk])).content
    )
    assert data["person"]["last_name"] == "Żółkiewska" and data["person"]["phone"] == "600 700 800"
    (history,) = data["enrolment_history"]
    assert history["kind"] == "rozpoczął(ęła) udział"
    assert history["project"] == enrolment.project.title
    assert data["attendance"] == [
        {
            "date": "2017-03-07",
            "activity": "Trening kompetencji",
            "hours": "3.50",
            "status": "obecny",
            "dependants": 0,  # not the care point
        }
    ]
    assert [e["action"] for e in data["access_log"]] == [
        "otworzył(a) kartę",
        "wyeksportował(a) dane",
    ]
    response = manager_client.get(reverse("participants:export_pdf", args=[person.pk]))
    assert response["Content-Disposition"].startswith("inline")
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    assert "Żółkiewska" in text and "Trening kompetencji" in text


def test_caseworker_cannot_export(caseworker_client):
    person = ParticipantFactory()
    assert (
        caseworker_client.get(reverse("participants:export_json", args=[person.pk])).status_code
        == 403
    )


def test_participant_edit_conflict_is_refused_with_what_changed(caseworker_client, manager_client):
    from participants.tests.test_views import VALID_FORM

    caseworker_client.post(reverse("participants:create"), VALID_FORM)
    person = Participant.objects.get()
    url = reverse("participants:edit", args=[person.pk])
    opened = timezone.now() - timedelta(seconds=1)
    stale = {**VALID_FORM, "version": person.version, "opened_at": opened.isoformat()}
    # The manager saves first.
    assert manager_client.post(url, {**stale, "phone": "511 222 333"}).status_code == 302
    # The caseworker's form was opened before: refused, with the manager's change shown.
    response = caseworker_client.post(url, {**stale, "city": "Oświęcim"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "ktoś inny zapisał ten rekord" in html
    assert "511 222 333" in html
    person.refresh_from_db()
    assert (person.phone, person.city) == ("511 222 333", "Lipnica Dolna")


def test_enrolment_event_conflict(caseworker_client, manager_client, caseworkers_see_all):
    from participants.tests.factories import reason

    enrolment = EnrolmentFactory(start_date=date(2016, 9, 1))
    person = enrolment.participant
    url = reverse("participants:enrolment_event", args=[person.pk, enrolment.pk, "dropped_out"])
    data = {"date": "01.10.2017", "reason": reason("moved_away").pk, "version": enrolment.version}
    job = reverse("participants:leave_for_job", args=[person.pk, enrolment.pk])
    assert (
        manager_client.post(
            job,
            {
                "start_date": "02.05.2017",
                "employer": "Sklep",
                "contract": "employment",
                "version": enrolment.version,
            },
        ).status_code
        == 302
    )
    response = caseworker_client.post(url, data)
    assert "Ktoś inny zmienił ten udział w projekcie" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "left_for_job"


def test_conflict_with_a_change_made_outside_a_request(caseworker_client):
    """A change by a command (no user in the audit entry) is reported, not a crash."""
    from participants.services.people import participant_update
    from participants.tests.test_views import VALID_FORM

    caseworker_client.post(reverse("participants:create"), VALID_FORM)
    person = Participant.objects.get()
    opened = timezone.now() - timedelta(seconds=1)
    stale = {**VALID_FORM, "version": person.version, "opened_at": opened.isoformat()}
    participant_update(person, phone="699 000 111")  # e.g. an import, no request
    response = caseworker_client.post(reverse("participants:edit", args=[person.pk]), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ktoś inny zapisał ten rekord" in html and "699 000 111" in html


def _registration(**changes) -> dict:
    from participants.tests.test_views import VALID_FORM

    return {**VALID_FORM, **changes}


def _reveals(html: str, person) -> bool:
    return person.last_name in html or reverse("participants:detail", args=[person.pk]) in html


def test_a_pesel_already_registered_to_somebody_unseen_is_not_revealed(caseworker_client, world):
    hidden = world["hidden"]
    response = caseworker_client.post(
        reverse("participants:create"), _registration(pesel=hidden.pesel, last_name="Nowa")
    )
    html = response.content.decode()
    assert "Uczestnik z tym numerem PESEL jest już zarejestrowany" in html
    assert "zapytaj kierownika" in html
    assert not _reveals(html, hidden)
    assert not Participant.objects.filter(last_name="Nowa").exists()
    # Somebody the caseworker sees is still linked.
    seen = world["seen"]
    html = caseworker_client.post(
        reverse("participants:create"), _registration(pesel=seen.pesel, last_name="Nowa")
    ).content.decode()
    assert reverse("participants:detail", args=[seen.pk]) in html


def test_the_same_name_and_birth_date_of_somebody_unseen_is_not_revealed(caseworker_client, world):
    hidden = world["hidden"]
    data = _registration(
        pesel="",
        first_name=hidden.first_name,
        last_name=hidden.last_name,
        birth_date=hidden.birth_date.strftime("%d.%m.%Y"),
        sex=hidden.sex,
    )
    response = caseworker_client.post(reverse("participants:create"), data)
    html = response.content.decode()
    assert "Osoba o tym samym imieniu, nazwisku i dacie urodzenia jest już zarejestrowana" in html
    assert "zapytaj kierownika" in html
    assert reverse("participants:detail", args=[hidden.pk]) not in html
    assert Participant.objects.filter(last_name=hidden.last_name).count() == 1
    # A different person after all: the tick registers him or her.
    response = caseworker_client.post(
        reverse("participants:create"), {**data, "confirm_not_duplicate": "on"}
    )
    assert response.status_code == 302
    assert Participant.objects.filter(last_name=hidden.last_name).count() == 2


def test_the_card_does_not_name_relatives_the_user_may_not_see(caseworker_client, world):
    from participants.models import FamilyLink

    seen, hidden, own = world["seen"], world["hidden"], world["own"]
    FamilyLink.objects.create(participant=seen, relative=hidden, relation="child")
    FamilyLink.objects.create(participant=hidden, relative=seen, relation="parent")
    FamilyLink.objects.create(participant=seen, relative=own, relation="sibling")

    html = caseworker_client.get(reverse("participants:detail", args=[seen.pk])).content.decode()

    assert not _reveals(html, hidden)
    assert html.count("członek rodziny (brak dostępu)") == 2
    assert own.last_name in html and reverse("participants:detail", args=[own.pk]) in html


def _event_data(people, **changes) -> dict:
    return {
        "name": "Piknik rodzinny",
        "date": "06.06.2025",
        "place": "Park Miejski",
        "outside_count": "0",
        "participants": [p.pk for p in people],
        **changes,
    }


def test_a_restricted_person_cannot_be_added_to_a_community_event(
    caseworker_client, caseworkers_see_all
):
    from participants.models import CommunityEvent

    restricted = ParticipantFactory(last_name="Ograniczona", processing_restricted=True)
    other = ParticipantFactory(last_name="Zwyczajna")
    # The form lists nobody; its picker searches on the server.
    pick = reverse("participants:people_pick", args=["event"])
    assert caseworker_client.get(pick, {"q": "zwyczajna"}).json()["results"]
    assert caseworker_client.get(pick, {"q": "ograniczona"}).json()["results"] == []

    response = caseworker_client.post(
        reverse("participants:event_create"), _event_data([restricted, other])
    )

    assert response.status_code == 200 and response.context["form"].errors["participants"]
    assert not CommunityEvent.objects.exists()


def test_a_restricted_person_stays_on_an_event_untouched(caseworker_client, caseworkers_see_all):
    from participants.models import CommunityEvent

    restricted = ParticipantFactory(last_name="Ograniczona")
    other = ParticipantFactory(last_name="Zwyczajna")
    event = CommunityEvent.objects.create(name="Wigilia", date=date(2024, 12, 20), place="Klub")
    event.participants.set([restricted, other])
    Participant.objects.filter(pk=restricted.pk).update(processing_restricted=True)
    url = reverse("participants:event_edit", args=[event.pk])
    form = caseworker_client.get(url).content.decode()
    assert "przetwarzanie danych jest ograniczone: Ograniczona Katarzyna" in form

    response = caseworker_client.post(url, _event_data([other], name="Wigilia klubowa"))

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.name == "Wigilia klubowa"
    assert set(event.participants.all()) == {restricted, other}


def test_the_event_service_refuses_restricted_and_anonymised_people(caseworker):
    from django.utils import timezone as tz

    from participants.models import CommunityEvent
    from participants.services.people import ProcessingRestricted
    from participants.services.support import community_event_save

    restricted = ParticipantFactory(processing_restricted=True)
    anonymised = ParticipantFactory(anonymised_at=tz.now())
    event = CommunityEvent(name="Piknik", date=date(2025, 6, 6), place="Park")
    for person in (restricted, anonymised):
        with pytest.raises(ProcessingRestricted) as refused:
            community_event_save(event=event, participants=[person])
        assert refused.value.people == [person]
        assert "Przetwarzanie danych jest ograniczone" in refused.value.messages[0]
    assert not CommunityEvent.objects.exists()


def test_a_restricted_person_cannot_be_linked_as_a_relative(caseworker_client, caseworkers_see_all):
    from participants.models import FamilyLink

    person = ParticipantFactory(last_name="Kowal")
    restricted = ParticipantFactory(last_name="Ograniczona", processing_restricted=True)
    url = reverse("participants:family_add", args=[person.pk])
    assert "Ograniczona" not in caseworker_client.get(url, {"q": "ograniczona"}).content.decode()

    response = caseworker_client.post(url, {"relative": restricted.pk, "relation": "child"})

    assert response.status_code == 200 and response.context["form"].errors["relative"]
    assert not FamilyLink.objects.exists()


def test_the_family_service_refuses_and_the_view_logs_it(caseworker, rf):
    from participants.models import FamilyLink
    from participants.services.people import ProcessingRestricted, family_link_create
    from participants.views.people import log_refusal

    person = ParticipantFactory()
    restricted = ParticipantFactory(processing_restricted=True)
    with pytest.raises(ProcessingRestricted) as refused:
        family_link_create(participant=person, relative=restricted, relation="child")
    assert not FamilyLink.objects.exists()
    request = rf.post("/participants/1/family/")
    request.user = caseworker
    log_refusal(request, refused.value)
    assert list(AccessLog.objects.values_list("action", "participant_ref")) == [
        ("refused", restricted.pk)
    ]
