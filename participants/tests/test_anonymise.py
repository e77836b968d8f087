"""Retention and anonymisation: who is past retention, what anonymisation removes (also
from the audit trail), the nightly command, and the reports of past years unchanged."""

import json
from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from kis.lib.pesel import pesel_make
from kis.models import AccessLog
from participants.models import (
    CommunityEvent,
    Diagnosis,
    Employment,
    Enrolment,
    EnrolmentEvent,
    FamilyLink,
    Goal,
    Participant,
    Placement,
    SocialContract,
)
from participants.services.anonymise import (
    activity_cutoff,
    participant_anonymise,
    participants_past_retention,
)
from participants.tests.factories import (
    DiagnosisFactory,
    EmploymentFactory,
    EnrolmentFactory,
    ParticipantFactory,
    group,
)
from projects.models import Project
from projects.tests.factories import FundingProgrammeFactory, ProjectFactory, StaffMemberFactory
from reports.selectors import annual_summary, statutory_report
from reports.tests.scenario import build_2014

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)


def _registered_on(participant: Participant, day: date) -> None:
    Participant.objects.filter(pk=participant.pk).update(
        created_at=timezone.make_aware(datetime(day.year, day.month, day.day, 12))
    )


# --- the retention date ----------------------------------------------------------------------


def test_retention_date_set_on_the_project_wins():
    project = ProjectFactory(keep_until=date(2031, 3, 31), last_payment_date=date(2020, 2, 1))
    assert project.retention_until == date(2031, 3, 31)


def test_retention_runs_from_the_end_of_the_year_of_the_last_payment():
    project = ProjectFactory(end_date=date(2019, 5, 31), last_payment_date=date(2020, 2, 1))
    assert project.retention_until == date(2025, 12, 31)


def test_retention_follows_the_programme():
    programme = FundingProgrammeFactory(retention_years=10)
    project = ProjectFactory(programme=programme, end_date=date(2019, 5, 31))
    assert project.retention_until == date(2029, 12, 31)


def test_retention_without_a_programme_is_five_years():
    project = ProjectFactory(programme=None, end_date=date(2019, 5, 31))
    assert project.retention_until == date(2024, 12, 31)


# --- who is past retention -------------------------------------------------------------------


def test_activity_cutoff_is_the_end_of_the_sixth_year_back():
    assert activity_cutoff(TODAY) == date(2020, 12, 31)
    assert activity_cutoff(date(2027, 1, 1)) == date(2021, 12, 31)


def test_enrolled_people_past_retention_only_when_every_project_is():
    old = ProjectFactory(keep_until=date(2025, 12, 31))
    kept = ProjectFactory(keep_until=date(2030, 12, 31))
    due_today = ProjectFactory(keep_until=TODAY)  # still kept on the day itself
    only_old = EnrolmentFactory(project=old).participant
    both = EnrolmentFactory(project=old).participant
    EnrolmentFactory(project=kept, participant=both)
    only_due_today = EnrolmentFactory(project=due_today).participant
    with_recent_contract = EnrolmentFactory(project=old).participant
    SocialContract.objects.create(
        number="KS/9/2021",
        participant=with_recent_contract,
        signed_on=date(2021, 1, 4),
        start_date=date(2021, 1, 4),
        end_date=date(2021, 6, 30),
        goals="Praca",
        participant_obligations="Udział",
        centre_obligations="Wsparcie",
        caseworker=StaffMemberFactory(),
    )
    with_recent_job = EnrolmentFactory(project=old).participant
    EmploymentFactory(participant=with_recent_job, start_date=date(2022, 3, 1))
    already = EnrolmentFactory(project=old).participant
    Participant.objects.filter(pk=already.pk).update(anonymised_at=timezone.now())

    assert set(participants_past_retention(TODAY)) == {only_old}
    assert only_due_today in participants_past_retention(date(2026, 11, 23))


def test_people_without_enrolment_by_registration_and_latest_activity():
    registered_2015 = ParticipantFactory()
    _registered_on(registered_2015, date(2015, 4, 1))
    registered_end_2020 = ParticipantFactory()
    _registered_on(registered_end_2020, date(2020, 12, 31))
    registered_2021 = ParticipantFactory()
    _registered_on(registered_2021, date(2021, 1, 2))
    registered_now = ParticipantFactory()
    old_placement = ParticipantFactory()
    _registered_on(old_placement, date(2015, 4, 1))
    recent_placement = ParticipantFactory()
    _registered_on(recent_placement, date(2015, 4, 1))
    for person, end in ((old_placement, date(2020, 12, 31)), (recent_placement, date(2021, 1, 5))):
        Placement.objects.create(
            kind=Placement.Kind.INTERNSHIP,
            participant=person,
            employer_name="Piekarnia",
            start_date=date(2020, 6, 1),
            end_date=end,
            hours_per_month=Decimal("160"),
        )
    at_recent_event = ParticipantFactory()
    _registered_on(at_recent_event, date(2015, 4, 1))
    event = CommunityEvent.objects.create(
        name="Piknik", date=date(2020, 12, 30), end_date=date(2021, 1, 2), place="Klub"
    )
    event.participants.add(at_recent_event)

    assert set(participants_past_retention(TODAY)) == {
        registered_2015,
        registered_end_2020,
        old_placement,
    }
    today = timezone.localdate()
    assert registered_now not in participants_past_retention(today)
    assert registered_now in participants_past_retention(date(today.year + 6, 1, 1))


# --- what anonymisation removes -------------------------------------------------------------

FIRST, LAST, MAIDEN = "Zbigniewa", "Wąchocka-Ślimak", "Pierwotna"
RELATIVE_FIRST, RELATIVE_LAST = "Teodozja", "Krewniaczka"


def _audit_texts() -> list[str]:
    """Every audit entry's values as text, JSON unescaped."""
    texts = []
    for entry in LogEntry.objects.all():
        texts.append(
            " ".join(
                [
                    json.dumps(entry.changes, ensure_ascii=False),
                    json.dumps(entry.serialized_data, ensure_ascii=False),
                    json.dumps(entry.additional_data, ensure_ascii=False),
                    entry.changes_text,
                    entry.object_repr,
                ]
            )
        )
    for entry in AdminLogEntry.objects.all():
        texts.append(f"{entry.object_repr} {entry.get_change_message()} {entry.change_message}")
    return texts


@pytest.fixture
def person():
    """A person with everything the register can hold, and a history."""
    born = date(1968, 7, 14)
    pesel = pesel_make(born, True, 7)
    person = ParticipantFactory(
        first_name=FIRST,
        last_name=MAIDEN,
        pesel=pesel,
        birth_date=born,
        street="ul. Różana 7/3",
        postal_code="32-620",
        city="Brzeszcze",
        municipality="Brzeszcze",
        phone="600 100 200",
        email="zbigniewa@example.pl",
        health_notes="Leczenie odwykowe 2014",
        legal_basis_document="Zgoda nr 12/2014",
        disability=Participant.Disability.MODERATE,
        education=Participant.Education.PRIMARY,
        restriction_reason="Wniosek z 3.03.2015",
    )
    person.groups.add(group("osoby długotrwale bezrobotne"))
    person.last_name = LAST  # the maiden name stays in the audit trail
    person.save()
    relative = ParticipantFactory(first_name=RELATIVE_FIRST, last_name=RELATIVE_LAST)
    FamilyLink.objects.create(participant=person, relative=relative, relation="child")
    FamilyLink.objects.create(participant=relative, relative=person, relation="parent")
    project = ProjectFactory(keep_until=date(2025, 12, 31))
    enrolment = EnrolmentFactory(
        participant=person,
        project=project,
        referral_note=f"Skierowana przez pracownika socjalnego, {FIRST} {LAST}",
    )
    EnrolmentEvent.objects.filter(enrolment=enrolment).update(note=f"{LAST} rozpoczęła")
    diagnosis = DiagnosisFactory(participant=person, enrolment=enrolment, needs=f"{FIRST}: terapia")
    Goal.objects.create(diagnosis=diagnosis, description=f"{FIRST} podejmie pracę")
    EmploymentFactory(participant=person, employer=f"Sklep {LAST}")
    EmploymentFactory(participant=person, employer=f"Firma {MAIDEN}").delete()  # history only
    SocialContract.objects.create(
        number="KS/3/2016",
        participant=person,
        signed_on=date(2016, 9, 5),
        start_date=date(2016, 9, 5),
        end_date=date(2016, 12, 31),
        goals=f"{FIRST} znajdzie pracę",
        participant_obligations="Udział w terapii",
        centre_obligations="Wsparcie",
        caseworker=StaffMemberFactory(),
        status=SocialContract.Status.TERMINATED,
        termination_reason=f"{FIRST} wyjechała",
    )
    Placement.objects.create(
        kind=Placement.Kind.INTERNSHIP,
        participant=person,
        employer_name=f"Gospodarstwo {LAST}",
        employer_nip="5260250274",
        referral_number="PUP/12/2016",
        start_date=date(2016, 10, 1),
        end_date=date(2016, 12, 31),
        hours_per_month=Decimal("160"),
    )
    event = CommunityEvent.objects.create(name="Piknik", date=date(2016, 6, 11), place="Klub")
    event.participants.add(person, relative)
    AdminLogEntry.objects.log_actions(
        user_id=_admin_user().pk,
        queryset=[relative],
        action_flag=CHANGE,
        change_message=[{"added": {"name": "family member", "object": f"{FIRST} {LAST}"}}],
    )
    AdminLogEntry.objects.log_actions(
        user_id=_admin_user().pk,
        queryset=[person],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Last name"]}}],
    )
    person.refresh_from_db()
    return person


def _admin_user():
    from kis.tests.factories import UserFactory

    return UserFactory(username="admin-for-history")


def test_anonymisation_removes_identifiers(person):
    relative = Participant.objects.get(last_name=RELATIVE_LAST)
    born_year = person.birth_date.year
    participant_anonymise(person)

    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Anonim", f"#{person.pk}")
    assert person.search_text == f"#{person.pk} anonim"
    assert person.birth_date == date(born_year, 1, 1)
    assert person.sex == "F"
    assert person.education == Participant.Education.PRIMARY
    assert list(person.groups.values_list("name", flat=True)) == [
        group("osoby długotrwale bezrobotne").name
    ]
    for name in (
        "pesel",
        "street",
        "postal_code",
        "city",
        "municipality",
        "phone",
        "email",
        "health_notes",
        "legal_basis_document",
        "restriction_reason",
        "disability",
    ):
        assert getattr(person, name) == "", name
    assert person.anonymised_at is not None
    assert not FamilyLink.objects.filter(participant=person).exists()
    assert not FamilyLink.objects.filter(relative=person).exists()
    assert Participant.objects.filter(pk=relative.pk, first_name=RELATIVE_FIRST).exists()

    enrolment = Enrolment.objects.get(participant=person)
    assert enrolment.referral_note == ""
    assert list(EnrolmentEvent.objects.filter(enrolment=enrolment).values_list("kind", "note")) == [
        ("started", "")
    ]
    diagnosis = Diagnosis.objects.get(participant=person)
    assert diagnosis.needs == "" and diagnosis.has_action_plan
    assert Goal.objects.get(diagnosis=diagnosis).description == "—"
    assert Employment.objects.get(participant=person).employer == "—"
    contract = SocialContract.objects.get(participant=person)
    assert (contract.goals, contract.participant_obligations, contract.centre_obligations) == (
        "",
        "",
        "",
    )
    assert contract.status == "terminated" and contract.termination_reason == "—"
    placement = Placement.objects.get(participant=person)
    assert (placement.employer_name, placement.employer_nip, placement.referral_number) == (
        "—",
        "",
        "",
    )
    assert CommunityEvent.objects.get().participants.count() == 2


def test_no_audit_entry_keeps_the_old_values(person):
    pesel = person.pesel
    texts = _audit_texts()
    assert any(MAIDEN in t for t in texts) and any(pesel in t for t in texts)
    entries = LogEntry.objects.count()

    participant_anonymise(person)

    assert LogEntry.objects.count() == entries  # the entries stay, none is added
    for text in _audit_texts():
        for old in (FIRST, LAST, MAIDEN, pesel, "Różana", "zbigniewa@example.pl"):
            assert old not in text, (old, text)
    # Who did what stays: the participant's changes keep the names of the fields.
    own = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Participant), object_pk=str(person.pk)
    )
    assert {"last_name"} <= {key for entry in own for key in (entry.changes or {})}
    # The relative's name stays where it was; only the person's is masked.
    event_entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(CommunityEvent),
        changes__has_key="participants",
    )
    assert sorted(event_entry.changes["participants"]["objects"]) == sorted(
        ["***", f"{RELATIVE_FIRST} {RELATIVE_LAST}"]
    )


def test_anonymisation_is_recorded_once(person, administrator):
    participant_anonymise(person, by=administrator)
    participant_anonymise(person, by=administrator)  # nothing more the second time

    (entry,) = AccessLog.objects.filter(action=AccessLog.Action.ANONYMISED)
    assert (entry.participant_id, entry.participant_ref) == (person.pk, person.pk)
    assert entry.user == administrator
    assert entry.what == "retention period over"


# --- the command -----------------------------------------------------------------------------


def _run(*args: str) -> str:
    out = StringIO()
    call_command("anonymise_participants", *args, stdout=out)
    return out.getvalue()


def test_command_dry_run_then_run_then_nothing_more(person):
    kept = EnrolmentFactory(project=ProjectFactory(keep_until=date(2030, 12, 31))).participant
    entries = LogEntry.objects.count()

    output = _run("--dry-run", "--date", "2026-11-22")
    assert output == (
        f"2026-11-22: 1 participant(s) would be anonymised (dry run, nothing changed): "
        f"{person.pk}\n"
    )
    person.refresh_from_db()
    assert (person.first_name, person.anonymised_at) == (FIRST, None)
    assert LogEntry.objects.count() == entries
    assert not AccessLog.objects.exists()

    assert _run("--date", "2026-11-22") == f"2026-11-22: 1 participant(s) anonymised: {person.pk}\n"
    person.refresh_from_db()
    assert person.first_name == "Anonim" and person.anonymised_at is not None
    kept.refresh_from_db()
    assert kept.anonymised_at is None and kept.first_name != "Anonim"
    anonymised_at = person.anonymised_at

    assert _run("--date", "2026-11-22") == "2026-11-22: nobody to anonymise.\n"
    person.refresh_from_db()
    assert person.anonymised_at == anonymised_at
    assert AccessLog.objects.filter(action=AccessLog.Action.ANONYMISED).count() == 1


def test_command_refuses_a_bad_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--date", "22.11.2026")


# --- the reports of past years ---------------------------------------------------------------


def _people(p) -> tuple[int, int]:
    return (p.total, p.women)


def _budget(b) -> tuple:
    rows = [
        [(r.label, r.planned, r.spent) for r in rs] for rs in (b.categories, b.sources, b.projects)
    ]
    return (b.planned, b.spent, *rows)


def _annual_figures(year: int) -> dict:
    s = annual_summary(year)
    c = s.community
    return {
        "served": _people(s.served),
        "long_term": _people(s.long_term),
        "contracts_concluded": s.contracts_concluded,
        "placements": [
            (r.kind, r.label, _people(r.people), r.aged_50_plus, r.single_parents)
            for r in s.placements
        ],
        "projects": [
            (
                r.project.pk,
                r.active_at_start,
                r.started,
                r.engaged,
                r.engaged_women,
                r.dropped_out,
                r.left_for_job,
                r.returned,
                r.completed,
                r.continuing,
                r.balance_ok,
                list(r.dropout_reasons),
                [(row.name, row.sessions, row.hours) for row in r.support],
            )
            for r in s.projects
        ],
        "community": (
            [(e.pk, e.registry) for e in c.events],
            c.registry_people,
            c.outside_people,
            c.care_point_sessions,
            c.care_point_hours,
            c.care_point_people,
        ),
        "budget": _budget(s.budget),
        "jobs": (_people(s.jobs.people), s.jobs.short_term, s.jobs.long_term),
    }


def _statutory_figures(year: int) -> dict:
    r = statutory_report(year)
    people = _people

    def rows(items):
        return [(row.name, people(row.people)) for row in items]

    return {
        "funding": [(row.label, row.amount) for row in r.funding],
        "staff": [(row.label, row.people.total, row.hours) for row in r.staff],
        "volunteers": r.volunteers.people.total,
        "started": rows(r.started),
        "started_total": people(r.started_total),
        "participants": people(r.participants),
        "finished": rows(r.finished),
        "finished_total": people(r.finished_total),
        "dropped_out": people(r.dropped_out),
        "social": rows(r.social),
        "vocational": rows(r.vocational),
        "social_total": people(r.social_total),
        "vocational_total": people(r.vocational_total),
        "activities": [(row.name, row.sessions, row.hours) for row in r.activities],
        "completions": r.completions,
        "grants": [(row.project.pk, row.planned, row.spent) for row in r.grants],
    }


def test_reports_of_a_past_year_unchanged_by_anonymisation():
    year = build_2014()
    Project.objects.filter(pk__in=[year.club.pk, year.pokl.pk]).update(
        keep_until=date(2020, 12, 31)
    )
    # Registered back then, so that people without an enrolment are past retention too.
    Participant.objects.update(created_at=timezone.make_aware(datetime(2014, 1, 2, 9)))
    annual, statutory = _annual_figures(2014), _statutory_figures(2014)
    assert annual["served"] == (8, 4) and annual["jobs"][0] == (2, 1)  # the scenario's

    output = _run("--date", "2026-11-22")

    assert output.startswith("2026-11-22: 10 participant(s) anonymised: ")
    assert not Participant.objects.filter(anonymised_at__isnull=True).exists()
    assert not Participant.objects.exclude(first_name="Anonim").exists()
    after_annual, after_statutory = _annual_figures(2014), _statutory_figures(2014)
    for key, value in annual.items():
        assert after_annual[key] == value, key
    for key, value in statutory.items():
        assert after_statutory[key] == value, key
    assert not any("Próbn" in text for text in _audit_texts())
    assert AccessLog.objects.filter(action=AccessLog.Action.ANONYMISED).count() == 10
