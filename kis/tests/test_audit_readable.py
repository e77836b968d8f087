"""The audit trail as a data protection officer reads it (issue 17, point 11): fields by
their labels, values as the application shows them (choices by name, dates and amounts
the Polish way, people and projects by name), actions in Polish; admin's lists of
personal data are logged like card reads."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from kis.audit_search import changes_for, shown_changes
from kis.models import AccessLog
from participants.models import Attendance, Participant
from participants.services.merge import participant_merge
from participants.services.people import participant_create
from participants.services.rodo import processing_restriction_set
from participants.services.support import roll_call_save
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign
from projects.models import Expenditure
from projects.tests.factories import ExpenditureFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _rows(model, pk, user):
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk=str(pk)
    ).order_by("pk")
    return shown_changes(entries.select_related("content_type", "actor"), user)


def _changes(row) -> dict[str, tuple[str, str]]:
    return {c["field"]: (c["old"], c["new"]) for c in row["changes"]}


def test_a_new_person_reads_in_polish(manager):
    person = participant_create(
        registered_by=manager,
        first_name="Łucja",
        last_name="Wójcik",
        sex="F",
        birth_date=date(1975, 3, 14),
        legal_basis=Participant.LegalBasis.LEGAL_OBLIGATION,
        legal_basis_date=date(2024, 1, 8),
        city="Lipnica Dolna",
    )
    row = _rows(Participant, person.pk, manager)[0]
    changes = _changes(row)
    assert row["action"] == "utworzenie"
    assert row["record"] == "Uczestnik: Łucja Wójcik"
    assert changes["Imię"] == ("", "Łucja")
    assert changes["Płeć"] == ("", "kobieta")
    assert changes["Data urodzenia"] == ("", "14.03.1975")
    assert changes["Podstawa przetwarzania danych"][1].startswith("obowiązek prawny")
    assert "first_name" not in changes and "sex" not in changes

    processing_restriction_set(participant=person, restricted=True, reason="Wniosek")
    last = _rows(Participant, person.pk, manager)[-1]
    assert last["action"] == "zmiana"
    assert _changes(last)["Przetwarzanie ograniczone"] == ("nie", "tak")


def test_people_and_projects_by_name(manager, caseworker):
    project = ProjectFactory(title="Aktywni w Lipnicy")
    person = ParticipantFactory(first_name="Jan", last_name="Nowak", sex="M")
    enrolment = EnrolmentFactory(participant=person, project=project)
    changes = _changes(_rows(type(enrolment), enrolment.pk, manager)[0])
    assert changes["Projekt"] == ("", "Aktywni w Lipnicy")
    assert changes["Uczestnik"] == ("", "Jan Nowak")

    activity = ActivityFactory(project=project, name="Warsztaty")
    assign(activity, ParticipantFactory(first_name="Anna", last_name="Obecna"))
    session = SessionFactory(activity=activity, date=date(2017, 3, 7))
    mark_person = activity.participants.get()
    roll_call_save(
        session=session, marks={mark_person.pk: "present"}, seen={}, recorded_by=caseworker
    )
    mark = Attendance.objects.get(session=session)
    row = _rows(Attendance, mark.pk, manager)[0]
    assert row["record"].endswith("Anna Obecna")  # the roll call's entry names its number
    assert _changes(row)["Obecność"] == ("", "obecny")


def test_amounts_the_polish_way(manager):
    spent = ExpenditureFactory(amount=Decimal("1250.50"))
    amount = _changes(_rows(Expenditure, spent.pk, manager)[0])["Kwota"][1]
    assert amount == "1\xa0250,50"


def test_the_audit_page_reads_in_polish(manager, manager_client):
    person = participant_create(
        registered_by=manager,
        first_name="Łucja",
        last_name="Wójcik",
        sex="F",
        birth_date=date(1975, 3, 14),
        legal_basis=Participant.LegalBasis.LEGAL_OBLIGATION,
        legal_basis_date=date(2024, 1, 8),
    )
    manager_client.get(reverse("participants:detail", args=[person.pk]))
    page = manager_client.get(reverse("audit"), {"participant": person.pk}).content.decode()
    for polish in ("Imię", "kobieta", "14.03.1975", "utworzenie", "Wójcik Łucja", "karta"):
        assert polish in page, polish
    # Nor the other side of relations, nor the record's number as a change.
    assert ".None" not in page and "<strong>ID</strong>" not in page
    for raw in ("first_name", "birth_date", ">F<", "1975-03-14", ">create<"):
        assert raw not in page, raw
    xlsx = manager_client.get(reverse("audit_xlsx"), {"participant": person.pk})
    assert xlsx.status_code == 200


def test_a_merge_shows_the_merged_away_identity(manager):
    kept = ParticipantFactory(first_name="Jan", last_name="Podwójny", pesel="")
    other = ParticipantFactory(first_name="Jan", last_name="Podwójny", birth_date=kept.birth_date)
    pesel = other.pesel
    participant_merge(kept=kept, merged=other, take_from_merged=["pesel"], user=manager)
    rows = shown_changes(changes_for(participant=kept.pk), manager)
    merged = [
        c
        for row in rows
        for c in row["changes"]
        if c["field"] == "scalony duplikat (usunięty rekord)"
    ]
    assert merged and f"PESEL {pesel}" in merged[0]["old"] and "Podwójny" in merged[0]["old"]


def test_admin_lists_of_personal_data_are_logged_like_card_reads(administrator_client):
    people = [ParticipantFactory(), ParticipantFactory()]
    administrator_client.get(reverse("admin:participants_participant_changelist"))
    logged = AccessLog.objects.filter(what="admin list: participant")
    assert {e.participant_ref for e in logged} == {p.pk for p in people}
    assert logged[0].get_what_display() == "panel administracyjny: lista – uczestnicy"
    enrolment = EnrolmentFactory(participant=people[0])
    administrator_client.get(reverse("admin:participants_enrolment_changelist"))
    assert AccessLog.objects.filter(
        what="admin list: enrolment", participant_ref=enrolment.participant_id
    ).exists()
    # A list that names nobody is not a read of anybody's data.
    ActivityFactory()
    administrator_client.get(reverse("admin:participants_activity_changelist"))
    assert not AccessLog.objects.filter(what="admin list: activity").exists()


def test_reads_name_the_activities_and_sessions(manager, manager_client):
    activity = ActivityFactory(name="Warsztaty kulinarne")
    person = ParticipantFactory(first_name="Ewa", last_name="Czytana")
    session = SessionFactory(activity=activity, date=date(2017, 3, 7))
    for what in (f"activity grid {activity.pk}", f"roll call, session {session.pk}"):
        AccessLog.objects.create(
            action="view", participant=person, participant_ref=person.pk, what=what
        )
    page = manager_client.get(reverse("audit"), {"participant": person.pk}).content.decode()
    assert "„Warsztaty kulinarne”" in page
    assert "Warsztaty kulinarne – 07.03.2017" in page
    assert f"activity grid {activity.pk}" not in page
