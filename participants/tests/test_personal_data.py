"""The registry of personal data is complete, and the audit trail, the audit search by
person, the subject-access export and anonymisation follow it for every model in it."""

import dataclasses
import json
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.expressions import Combinable
from django.urls import reverse
from django.utils.text import capfirst
from pypdf import PdfReader

from kis.audit_search import changes_for
from participants.models import (
    Attendance,
    CommunityEvent,
    Diagnosis,
    FamilyLink,
    Goal,
    Participant,
    Placement,
    ShortContact,
    SocialContract,
)
from participants.personal_data import (
    KEEP,
    NOT_PERSONAL,
    REGISTRY,
    REMOVED,
    Erase,
    check_registry,
    entry_of,
    missing_models,
    unclassified_fields,
)
from participants.services.anonymise import participant_anonymise
from participants.services.papers import attendance_scan_save, certificate_issue
from participants.services.people import enrolment_event_record
from participants.services.support import community_event_save, contact_create, roll_call_save
from participants.tests.factories import (
    DiagnosisFactory,
    EmploymentFactory,
    ParticipantFactory,
    group,
    reason,
)
from participants.tests.outcome_factories import fill, follow_up, make_questionnaire
from participants.tests.support_factories import (
    ActivityFactory,
    SessionFactory,
    assign,
    scan_upload,
)
from projects.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


# --- the registry is complete ----------------------------------------------------------------


def test_the_registry_passes_its_checks():
    assert check_registry() == []


def test_a_model_pointing_at_a_person_missing_from_the_registry_is_found():
    without = [entry for entry in REGISTRY if entry.model not in (Attendance, Goal)]
    assert missing_models(without, NOT_PERSONAL) == [
        "participants.Goal.diagnosis",  # points at a registered model, not at the person
        "participants.Attendance.participant",
    ]
    assert missing_models(REGISTRY, {}) == [
        "kis.AccessLog.participant",
        "participants.ImportChange.participant",
    ]


def test_a_field_neither_exported_nor_left_out_with_a_reason_is_found():
    person = entry_of(Participant)
    fields = {name: rule for name, rule in person.fields.items() if name != "phone"}
    assert unclassified_fields(dataclasses.replace(person, fields=fields)) == [
        "participants.Participant.phone"
    ]
    not_exported = {**person.not_exported, "phone": "a typo"}
    assert unclassified_fields(dataclasses.replace(person, not_exported=not_exported)) == [
        "participants.Participant.phone (both exported and not)"
    ]


def test_every_registry_model_is_in_the_audit_trail():
    assert [e.model for e in REGISTRY if not auditlog.contains(e.model)] == []


# Free texts kept on anonymisation, and why. Everything else a person's record says in
# words is erased.
KEPT_TEXTS = {(SocialContract, "number"): "the centre's reference, e.g. KS/3/2016"}


def test_no_free_text_about_the_person_survives_anonymisation():
    kept = []
    for entry in REGISTRY:
        if entry.shared:
            continue
        for name, rule in entry.fields.items():
            field = entry.model._meta.get_field(name)
            text = isinstance(field, models.CharField | models.TextField) and not field.choices
            if text and rule is KEEP and (entry.model, name) not in KEPT_TEXTS:
                kept.append(f"{entry.model.__name__}.{name}")
    assert kept == []


# --- a person with a record of every kind -----------------------------------------------------


@pytest.fixture
def person(caseworker, media_root):
    """A person with a row of every model of the registry, every erased field filled."""
    person = ParticipantFactory(
        first_name="Zbigniewa",
        last_name="Rejestrowa",
        street="ul. Różana 7/3",
        municipality="Brzeszcze",
        country="Polska",
        voivodeship="12",
        county="oświęcimski",
        municipality_code="1213023",
        degurba="2",
        citizenship="pl",
        foreign_origin="no",
        minority="refused",
        housing_exclusion="no",
        phone="600 100 200",
        email="zbigniewa@example.pl",
        disability=Participant.Disability.MODERATE,
        health_notes="Leczenie odwykowe 2014",
        legal_basis_document="Zgoda nr 12/2014",
        restriction_reason="Wniosek z 3.03.2015",
    )
    person.groups.add(group("osoby długotrwale bezrobotne"))
    relative = ParticipantFactory(first_name="Roman", last_name="Krewny")
    FamilyLink.objects.create(participant=person, relative=relative, relation="child")
    FamilyLink.objects.create(participant=relative, relative=person, relation="parent")
    activity = ActivityFactory(name="Trening kompetencji")
    assign(activity, person, referral_note="Skierowana przez MOPS")
    enrolment = person.enrolments.get()
    enrolment_event_record(
        enrolment=enrolment,
        kind="dropped_out",
        date=date(2017, 4, 3),
        reason=reason("moved_away"),
        note="Wyjechała do Krakowa",
        recorded_by=caseworker,
    )
    questionnaire = make_questionnaire()
    fill(enrolment, questionnaire, "entry", date(2017, 1, 10), [2, 4, 3], note="Z pomocą córki")
    follow_up(enrolment, "4w", date(2017, 4, 20), "job_seeking", note="Szuka pracy w Krakowie")
    diagnosis = DiagnosisFactory(participant=person, enrolment=enrolment, needs="Terapia")
    diagnosis.staff.add(StaffMemberFactory())
    Goal.objects.create(diagnosis=diagnosis, description="Podejmie pracę")
    job = EmploymentFactory(participant=person, enrolment=enrolment, employer="Sklep Rejestrowej")
    session = SessionFactory(activity=activity, date=date(2017, 3, 7))
    roll_call_save(session=session, marks={person.pk: "present"}, seen={}, recorded_by=caseworker)
    attendance_scan_save(
        session=session, file=scan_upload(), matches_attendance=True, user=caseworker
    )
    completion = person.activity_assignments.get()
    completion.completed_on = date(2017, 3, 31)
    completion.save()
    certificate_issue(assignment=completion, user=caseworker)
    SocialContract.objects.create(
        number="KS/3/2016",
        participant=person,
        signed_on=date(2016, 9, 5),
        start_date=date(2016, 9, 5),
        end_date=date(2016, 12, 31),
        goals="Znajdzie pracę",
        participant_obligations="Udział w terapii",
        centre_obligations="Wsparcie",
        caseworker=StaffMemberFactory(),
        status=SocialContract.Status.TERMINATED,
        termination_reason="Wyjazd",
    )
    Placement.objects.create(
        kind=Placement.Kind.INTERNSHIP,
        participant=person,
        employer_name="Gospodarstwo Rejestrowej",
        employer_nip="5260250274",
        referral_number="PUP/12/2016",
        start_date=date(2016, 10, 1),
        end_date=date(2016, 12, 31),
        hours_per_month=Decimal("160"),
        outcome=Placement.Outcome.HIRED,
        employment=job,
    )
    community_event_save(
        event=CommunityEvent(name="Piknik rodzinny", date=date(2016, 6, 11), place="Klub"),
        participants=[person, relative],
    )
    contact_create(
        participant=person,
        date=date(2017, 5, 8),
        kind=ShortContact.Kind.CONSULTATION,
        staff=StaffMemberFactory(role="lawyer"),
        duration_hours=Decimal("1.5"),
        project=enrolment.project,
        note="Eksmisja z mieszkania przy ul. Różanej",
    )
    person.refresh_from_db()
    assert [e.model.__name__ for e in REGISTRY if not e.rows(person.pk).exists()] == []
    return person


def _values(row, name: str):
    field = row._meta.get_field(name)
    if field.many_to_many:
        return sorted(getattr(row, name).values_list("pk", flat=True))
    return getattr(row, field.attname)


def _snapshot(person: Participant) -> dict:
    return {
        entry.model: {
            row.pk: {name: _values(row, name) for name in entry.fields}
            for row in entry.rows(person.pk)
        }
        for entry in REGISTRY
    }


# --- the audit search by person ---------------------------------------------------------------


def test_the_audit_search_by_person_finds_every_record(person, manager_client):
    found = set(changes_for(participant=person.pk).values_list("content_type", flat=True))
    types = ContentType.objects.get_for_models(*[entry.model for entry in REGISTRY])
    assert [model.__name__ for model, ct in types.items() if ct.pk not in found] == []
    # Nobody else's records.
    other = ParticipantFactory()
    assert not changes_for(participant=person.pk).filter(
        content_type=types[Participant], object_id=other.pk
    )

    html = manager_client.get(reverse("audit"), {"participant": person.pk}).content.decode()
    for model in (Attendance, CommunityEvent):  # the record's kind, then its name
        assert f"{capfirst(model._meta.verbose_name)}: " in html, model


def test_the_audit_search_by_person_finds_deleted_records(person):
    diagnosis = Diagnosis.objects.get(participant=person)
    mark = Attendance.objects.get(participant=person)
    gone = [(Diagnosis, diagnosis.pk), (Goal, diagnosis.goals.get().pk), (Attendance, mark.pk)]
    diagnosis.delete()  # and its goals
    mark.session.delete()  # and its marks
    entries = changes_for(participant=person.pk)
    for model, pk in gone:
        deleted = entries.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=pk,
            action=LogEntry.Action.DELETE,
        )
        assert deleted.exists(), model


# --- the subject-access export -------------------------------------------------------------


def test_the_export_holds_every_registry_model_and_field(person, manager_client):
    response = manager_client.get(reverse("participants:export_json", args=[person.pk]))
    data = json.loads(response.content)
    for entry in REGISTRY:
        rows = [data[entry.section]] if entry.model is Participant else data[entry.section]
        assert rows, entry.section
        keys = {key for row in rows for key in row}
        assert keys == {*entry.fields, *entry.shown}, entry.section
    assert data["person"]["phone"] == "600 100 200"
    assert data["person"]["groups"] == [group("osoby długotrwale bezrobotne").name]
    # Both family links show the relative, never the person again.
    assert data["family"] == [
        {"relative": "Roman Krewny", "relation": "dziecko"},
        {"participant": "Roman Krewny", "relation": "rodzic"},
    ] or data["family"] == [
        {"participant": "Roman Krewny", "relation": "rodzic"},
        {"relative": "Roman Krewny", "relation": "dziecko"},
    ]
    assert data["attendance"] == [
        {
            "status": "obecny",
            "dependants": 0,
            "date": "2017-03-07",
            "activity": "Trening kompetencji",
            "hours": "3.50",
        }
    ]
    assert data["short_contacts"] == [
        {
            "date": "2017-05-08",
            "kind": "konsultacja",
            "staff": str(ShortContact.objects.get().staff),
            "duration_hours": "1.50",
            "project": person.enrolments.get().project.title,
            "note": "Eksmisja z mieszkania przy ul. Różanej",
        }
    ]
    assert data["community_events"][0]["name"] == "Piknik rodzinny"
    assert data["jobs"][0]["after_internship"] is False

    pdf = manager_client.get(reverse("participants:export_pdf", args=[person.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    for entry in REGISTRY:
        assert entry.section_title in text, entry.section_title
    assert "Piknik rodzinny" in text and "Gospodarstwo Rejestrowej" in text
    assert "True" not in text and "False" not in text  # yes and no in Polish


def test_the_export_takes_a_fixed_number_of_queries(person, django_assert_max_num_queries):
    from participants.selectors.rodo import subject_data

    with django_assert_max_num_queries(len(REGISTRY) + 6) as one:
        subject_data(person)
    second = EmploymentFactory(participant=person)
    DiagnosisFactory(participant=person).goals.create(description="Drugi cel")
    assign(ActivityFactory(), person)
    with django_assert_max_num_queries(len(one.captured_queries)):
        subject_data(person)
    assert second.pk


# --- anonymisation ----------------------------------------------------------------------------


# Set by anonymisation itself rather than kept or erased.
SET_BY_ANONYMISATION = {"anonymised_at", "updated_at"}


def test_anonymisation_follows_the_registry_for_every_field(person):
    before = _snapshot(person)
    original = Participant.objects.get(pk=person.pk)
    participant_anonymise(person)
    after = _snapshot(person)

    filled = set()
    for entry in REGISTRY:
        rows_before, rows_after = before[entry.model], after[entry.model]
        if entry.delete_on_anonymise:
            assert rows_after == {}, entry.model
            continue
        assert set(rows_after) == set(rows_before), entry.model  # nothing else is deleted
        for pk, values in rows_before.items():
            for name, rule in entry.fields.items():
                old, new = values[name], rows_after[pk][name]
                where = f"{entry.model.__name__}.{name}"
                if rule is KEEP:
                    if not (entry.model is Participant and name in SET_BY_ANONYMISATION):
                        assert new == old, where
                    continue
                if old not in ("", None, REMOVED):
                    filled.add(where)
                if callable(rule.value):
                    assert new == rule.value(original), where
                elif isinstance(rule.value, Combinable):  # an expression: removed if given
                    assert new == (REMOVED if old else ""), where
                else:
                    assert new == rule.value, where
    # The fixture gives every erased field a value somewhere, so that the test means it.
    erased = {
        f"{entry.model.__name__}.{name}"
        for entry in REGISTRY
        for name, rule in entry.fields.items()
        if isinstance(rule, Erase) and not entry.delete_on_anonymise
    }
    assert erased - filled == set()
