"""Merging duplicates: the list of likely pairs, and the merge moving every record of the
registry of personal data to the kept person, audited, refused to the wrong user and for
frozen people, with the records both had kept once."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kis.audit_search import changes_for
from kis.lib.pesel import pesel_make
from kis.models import AccessLog
from participants.models import (
    ActivityParticipant,
    Attendance,
    Certificate,
    CommunityEvent,
    Diagnosis,
    FamilyLink,
    Participant,
    ShortContact,
)
from participants.personal_data import REGISTRY, merged_ids
from participants.selectors.merge import (
    SIGN_BIRTH_DATE,
    SIGN_PESEL,
    SIGN_POSTAL_CODE,
    duplicate_pairs,
    pesel_variants,
)
from participants.services.anonymise import participant_anonymise
from participants.services.merge import participant_merge
from participants.services.papers import certificate_issue
from participants.services.rodo import processing_restriction_set
from participants.services.support import community_event_save, contact_create, roll_call_save
from participants.tests.factories import DiagnosisFactory, EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign

# A person with a record of every kind of the registry.
from participants.tests.test_personal_data import person  # noqa: F401
from projects.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


def _twin_of(first: Participant, **fields) -> Participant:
    """A second record of the same person: the same name and birth date, no PESEL."""
    return ParticipantFactory(
        first_name=first.first_name,
        last_name=first.last_name,
        birth_date=first.birth_date,
        sex=first.sex,
        pesel="",
        **fields,
    )


# --- every record moves ------------------------------------------------------------------------


def test_merge_moves_every_record_of_the_registry(person, manager):  # noqa: F811
    kept = _twin_of(person, phone="")
    before = {
        entry.model: set(entry.rows(person.pk).values_list("pk", flat=True))
        for entry in REGISTRY[1:]
    }
    assert all(before.values())  # the fixture has a record of every kind
    merged_pk, pesel, version = person.pk, person.pesel, kept.version

    result = participant_merge(
        kept=kept, merged=person, take_from_merged=["pesel", "phone", "health_notes"], user=manager
    )

    assert not Participant.objects.filter(pk=merged_pk).exists()
    for entry in REGISTRY[1:]:
        now = set(entry.rows(kept.pk).values_list("pk", flat=True))
        assert before[entry.model] <= now, entry.model.__name__
        assert not entry.rows(merged_pk).exists(), entry.model.__name__
    kept.refresh_from_db()
    assert (kept.pesel, kept.phone, kept.health_notes) == (
        pesel,
        "600 100 200",
        "Leczenie odwykowe 2014",
    )
    assert kept.version > version  # a form opened before the merge cannot save
    # Counted by kind: each model with a link to the person (the rest moved with them).
    direct = {
        str(entry.model._meta.verbose_name_plural)
        for entry in REGISTRY[1:]
        if any(
            entry.model._meta.get_field(link).related_model is Participant for link in entry.links
        )
    }
    assert set(result.moved) == direct
    assert result.moved["członkowie rodziny"] == 2 and result.notes == []


def test_the_merge_is_audited_and_the_identity_kept_only_there(person, manager):  # noqa: F811
    kept = _twin_of(person)
    merged_pk = person.pk
    participant_merge(kept=kept, merged=person, user=manager)

    participants = ContentType.objects.get_for_model(Participant)
    merge = LogEntry.objects.get(
        content_type=participants, object_pk=str(kept.pk), additional_data__has_key="merged_from"
    )
    assert merge.actor == manager
    assert merge.additional_data["merged_from"] == merged_pk
    assert merge.additional_data["merged_identity"]["pesel"] == person.pesel
    deleted = LogEntry.objects.get(
        content_type=participants, object_pk=str(merged_pk), action=LogEntry.Action.DELETE
    )
    assert deleted.changes["email"][0] == "zbigniewa@example.pl"
    # Each moved record says so in its own history.
    contact = ShortContact.objects.get(participant=kept)
    moved = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ShortContact), object_pk=str(contact.pk)
    ).latest("pk")
    assert moved.changes == {"participant": [str(merged_pk), str(kept.pk)]}
    # The audit search by the kept person finds the merged-away record's history.
    assert merged_ids(kept.pk) == {merged_pk}
    assert (
        changes_for(participant=kept.pk)
        .filter(content_type=participants, object_id=merged_pk, action=LogEntry.Action.DELETE)
        .exists()
    )


def test_anonymising_the_kept_person_scrubs_the_merged_away_identity(person, manager):  # noqa: F811
    kept = _twin_of(person)
    merged_pk = person.pk
    participant_merge(kept=kept, merged=person, user=manager)
    participant_anonymise(kept)
    participants = ContentType.objects.get_for_model(Participant)
    for entry in LogEntry.objects.filter(
        content_type=participants, object_pk__in=[str(kept.pk), str(merged_pk)]
    ):
        assert "zbigniewa@example.pl" not in str(entry.changes), entry.action
        assert person.pesel not in str(entry.additional_data), entry.action


# --- what both records had -------------------------------------------------------------------


@pytest.fixture
def both(caseworker):
    """Two records of one person, both assigned to one activity, marked at one session
    (absent on the kept one, present on the other), on one event, with the same short
    contact, linked to each other as family and both to the same relative."""
    kept = ParticipantFactory(first_name="Jan", last_name="Podwójny")
    other = _twin_of(kept)
    activity = ActivityFactory(name="Warsztaty")
    assign(activity, kept)
    kept_enrolment = kept.enrolments.get()
    other_assignment = assign(activity, other)  # enrolled in the same project too
    EnrolmentFactory(participant=other)  # and in another one
    DiagnosisFactory(participant=other, enrolment=other.enrolments.get(project=activity.project))
    other_assignment.completed_on = date(2017, 3, 31)
    other_assignment.save()
    certificate = certificate_issue(assignment=other_assignment, user=caseworker)
    session = SessionFactory(activity=activity, date=date(2017, 3, 7))
    roll_call_save(
        session=session,
        marks={kept.pk: "absent", other.pk: "present"},
        seen={},
        recorded_by=caseworker,
    )
    relative = ParticipantFactory(first_name="Anna", last_name="Krewna")
    FamilyLink.objects.create(participant=kept, relative=relative, relation="child")
    FamilyLink.objects.create(participant=other, relative=relative, relation="child")
    FamilyLink.objects.create(participant=other, relative=kept, relation="other")
    event = community_event_save(
        event=CommunityEvent(name="Piknik", date=date(2017, 6, 10), place="Park"),
        participants=[kept, other],
    )
    staff = StaffMemberFactory()
    for record in (kept, other):
        contact_create(
            participant=record,
            date=date(2017, 5, 8),
            kind=ShortContact.Kind.CONSULTATION,
            staff=staff,
            duration_hours=Decimal("1"),
        )
    return {
        "kept": kept,
        "other": other,
        "activity": activity,
        "session": session,
        "certificate": certificate,
        "event": event,
        "enrolment": kept_enrolment,
    }


def test_records_both_had_are_kept_once_and_said(both, manager):
    kept, other = both["kept"], both["other"]
    result = participant_merge(kept=kept, merged=other, user=manager)

    assignment = ActivityParticipant.objects.get(activity=both["activity"], participant=kept)
    assert ActivityParticipant.objects.filter(activity=both["activity"]).count() == 1
    assert assignment.completed_on == date(2017, 3, 31)  # filled from the other
    assert Certificate.objects.get(pk=both["certificate"].pk).assignment == assignment
    mark = Attendance.objects.get(session=both["session"])
    assert (mark.participant, mark.status) == (kept, "present")  # a presence wins
    assert list(both["event"].participants.all()) == [kept]
    assert ShortContact.objects.filter(participant=kept).count() == 1
    assert FamilyLink.objects.filter(relative__last_name="Krewna").count() == 1
    assert not FamilyLink.objects.filter(participant=kept, relative=kept).exists()
    assert kept.enrolments.count() == 2  # the shared project once, the other's project
    # The other's diagnosis under the shared project is under the kept enrolment now.
    assert Diagnosis.objects.get(participant=kept).enrolment == both["enrolment"]
    notes = " ".join(result.notes)
    assert "Warsztaty" in notes  # the assignment and the marks
    assert "Piknik" in notes
    assert "Usunięto" in notes  # the family link between the two
    assert both["enrolment"].project.title in notes
    assert len(result.notes) == 7, result.notes
    # The kept enrolment's history is its own: one start.
    assert both["enrolment"].events.filter(kind="started").count() == 1


def test_a_failed_merge_changes_nothing(both, manager):
    kept, other = both["kept"], both["other"]
    with pytest.raises(ValidationError):  # a birth date the kept PESEL contradicts
        Participant.objects.filter(pk=other.pk).update(birth_date=date(1990, 1, 1))
        participant_merge(kept=kept, merged=other, take_from_merged=["birth_date"], user=manager)
    assert Participant.objects.filter(pk=other.pk).exists()
    assert Attendance.objects.filter(participant=other).exists()
    assert ShortContact.objects.filter(participant=other).exists()


# --- refused ----------------------------------------------------------------------------------


def test_a_caseworker_may_not_merge(both, caseworker):
    with pytest.raises(PermissionDenied):
        participant_merge(kept=both["kept"], merged=both["other"], user=caseworker)
    assert Participant.objects.filter(pk=both["other"].pk).exists()


def test_sensitive_fields_need_the_permission(both, manager):
    from django.contrib.auth.models import Permission

    manager.groups.first().permissions.remove(
        Permission.objects.get(codename="view_sensitive_data")
    )
    manager = type(manager).objects.get(pk=manager.pk)
    with pytest.raises(PermissionDenied):
        participant_merge(
            kept=both["kept"], merged=both["other"], take_from_merged=["health_notes"], user=manager
        )


@pytest.mark.parametrize("frozen", ["restricted", "anonymised"])
def test_frozen_people_are_refused_with_the_reason(both, manager, frozen):
    other = both["other"]
    if frozen == "restricted":
        processing_restriction_set(participant=other, restricted=True, reason="Wniosek")
    else:
        participant_anonymise(other)
    with pytest.raises(ValidationError) as refused:
        participant_merge(kept=both["kept"], merged=other, user=manager)
    text = " ".join(refused.value.messages)
    assert ("ograniczone" in text) if frozen == "restricted" else ("zanonimizowane" in text)
    assert Participant.objects.filter(pk=other.pk).exists()


def test_unknown_fields_and_itself_are_refused(both, manager):
    with pytest.raises(ValidationError):
        participant_merge(
            kept=both["kept"], merged=both["other"], take_from_merged=["id"], user=manager
        )
    with pytest.raises(ValidationError):
        participant_merge(kept=both["kept"], merged=both["kept"], user=manager)


# --- the list of likely pairs -----------------------------------------------------------------


def _swapped_valid_pesel() -> tuple[str, str]:
    """Two valid PESELs that differ by two neighbouring digits swapped."""
    from stdnum.pl import pesel

    for serial in range(200):
        number = pesel_make(date(1980, 5, 17), False, serial)
        for i in range(6, 10):
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
            if swapped != number and pesel.is_valid(swapped):
                return number, swapped
    raise AssertionError("no such pair")


def test_likely_pairs_by_each_sign(manager):
    number, swapped = _swapped_valid_pesel()
    a = ParticipantFactory(
        first_name="Piotr", last_name="Nowak", pesel=number, sex="M", birth_date=date(1980, 5, 17)
    )
    b = ParticipantFactory(
        first_name="Paweł",
        last_name="Zając",
        pesel=swapped,
        sex="M",
        birth_date=date(1980, 5, 17),
        postal_code="00-001",
    )
    c = ParticipantFactory(first_name="Łucja", last_name="Wójcik", pesel="", postal_code="11-111")
    d = ParticipantFactory(
        first_name="LUCJA",
        last_name="Wojcik",
        pesel="",
        postal_code="11-111",
        birth_date=date(1990, 1, 1),
    )
    e = ParticipantFactory(first_name="Łucja", last_name="Wójcik", pesel="", postal_code="22-222")
    ParticipantFactory(first_name="Ewa", last_name="Inna", postal_code="11-111")
    pairs = {(p.first.pk, p.second.pk): set(p.signs) for p in duplicate_pairs(manager)}
    assert pairs == {
        (a.pk, b.pk): {SIGN_PESEL},
        (c.pk, d.pk): {SIGN_POSTAL_CODE},
        (c.pk, e.pk): {SIGN_BIRTH_DATE},
    }


def test_pesel_variants():
    variants = pesel_variants("12345678901")
    assert "21345678901" in variants and "12345678910" in variants  # swapped
    assert "92345678901" in variants  # one digit
    assert "12345678901" not in variants
    assert len(variants) == 10 + 11 * 9


# --- the pages --------------------------------------------------------------------------------


def test_the_list_and_the_merge_screen(both, manager_client):
    kept, other = both["kept"], both["other"]
    page = manager_client.get(reverse("participants:duplicates")).content.decode()
    assert "Podwójny Jan" in page and "to samo imię i nazwisko oraz data urodzenia" in page
    url = reverse("participants:merge", args=[kept.pk, other.pk])
    assert url in page
    screen = manager_client.get(url)
    assert screen.status_code == 200
    assert AccessLog.objects.filter(participant_ref=other.pk, what="merge of duplicates").exists()
    assert "PESEL" in screen.content.decode()

    refused = manager_client.post(url, {"pesel": "merged"})
    assert "Potwierdź" in refused.content.decode()
    assert Participant.objects.filter(pk=other.pk).exists()

    done = manager_client.post(url, {"pesel": "kept", "confirm": "on"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("participants:detail", args=[kept.pk])
    text = done.content.decode()
    assert "Rekordy zostały scalone" in text and "Warsztaty" in text
    assert not Participant.objects.filter(pk=other.pk).exists()


def test_the_pages_refuse_a_caseworker(both, caseworker_client):
    assert caseworker_client.get(reverse("participants:duplicates")).status_code == 403
    url = reverse("participants:merge", args=[both["kept"].pk, both["other"].pk])
    assert caseworker_client.post(url, {"confirm": "on"}).status_code == 403
    assert Participant.objects.filter(pk=both["other"].pk).exists()


def test_the_screen_says_why_a_frozen_pair_cannot_be_merged(both, manager_client):
    processing_restriction_set(participant=both["other"], restricted=True, reason="Wniosek")
    url = reverse("participants:merge", args=[both["kept"].pk, both["other"].pk])
    response = manager_client.post(url, {"confirm": "on"})
    assert "ograniczone" in response.content.decode()
    assert AccessLog.objects.filter(
        action=AccessLog.Action.REFUSED, participant_ref=both["other"].pk
    )


def test_the_audit_search_finds_the_merged_away_records_reads(both, manager, manager_client):
    from kis.audit_search import reads_for

    kept, other = both["kept"], both["other"]
    manager_client.get(reverse("participants:detail", args=[other.pk]))  # a card read
    participant_merge(kept=kept, merged=other, user=manager)
    assert reads_for(participant=kept.pk).filter(participant_ref=other.pk, what="card")
