"""Papers a centre gives to participants and auditors: the attendance list (only the
session's list, pre-filled or blank, the signature never alone), the certificate with
its number from the register, the social contract, the individual action plan, the
information clause and the subject-access export (plain Polish, at most 3 pages for a
person with 40 marks)."""

import io
import re
from datetime import date, time, timedelta
from decimal import Decimal

import pdfplumber
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from kis.models import AccessLog
from kis.tests.pdf_checks import english_in, page_of, pdf_pages
from participants.models import (
    Attendance,
    Certificate,
    Diagnosis,
    Goal,
    Participant,
    Session,
    SocialContract,
)
from participants.services.anonymise import participant_anonymise
from participants.services.papers import certificate_issue
from participants.services.people import enrolment_event_record
from participants.services.support import activity_completion_set, roll_call_save
from participants.tests.factories import EnrolmentFactory, ParticipantFactory, reason
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign
from projects.tests.factories import OrganisationFactory, StaffMemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]


def _pdf(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _text(client, url) -> str:
    return " ".join(pdf_pages(_pdf(client, url)))


@pytest.fixture
def organisation(db):
    return OrganisationFactory(club_manager="Barbara Źrebiec", director="Jan Dyrektor")


# --- the attendance list ------------------------------------------------------------------


@pytest.fixture
def group(organisation):
    """A training of 15 people on 07.03.2017, and two who are not on that day's list."""
    activity = ActivityFactory(name="Trening umiejętności – grupa A")
    people = [assign(activity, ParticipantFactory(last_name=f"Osoba-{n:02d}")) for n in range(15)]
    later = assign(activity, ParticipantFactory(last_name="Późniejsza"))
    later.participant.enrolments.update(start_date=date(2017, 3, 20), status_date=date(2017, 3, 20))
    later.participant.enrolments.get().events.update(date=date(2017, 3, 20))
    gone = assign(activity, ParticipantFactory(last_name="Odeszła"))
    enrolment_event_record(
        enrolment=gone.participant.enrolments.get(),
        kind="dropped_out",
        date=date(2017, 3, 1),
        reason=reason("moved_away"),
        recorded_by=None,
    )
    session = SessionFactory(activity=activity, date=date(2017, 3, 7), start_time=time(10))
    return activity, session, [a.participant for a in people]


def _session_url(session, blank=False) -> str:
    url = reverse("participants:session_attendance_pdf", args=[session.pk])
    return url + "?blank=1" if blank else url


def test_the_list_holds_only_the_people_on_the_sessions_list(caseworker_client, group):
    _activity, session, people = group
    text = _text(caseworker_client, _session_url(session))
    assert all(f"{p.last_name} {p.first_name}" in text for p in people)
    assert "Późniejsza" not in text and "Odeszła" not in text


def test_the_signature_stays_with_the_last_row_of_15_people(caseworker_client, group):
    _activity, session, people = group
    pages = pdf_pages(_pdf(caseworker_client, _session_url(session)))
    last = sorted(people, key=lambda p: p.last_name)[-1]
    assert page_of(pages, "Podpis prowadzącego") == page_of(pages, last.last_name)
    assert len(pages) == 1


def test_a_long_list_takes_its_last_rows_to_the_signatures(caseworker_client, organisation):
    """Whatever the number of people, the signature block is never alone on a page."""
    activity = ActivityFactory()
    session = SessionFactory(activity=activity, date=date(2017, 3, 7))
    for count in (21, 24, 27):
        while activity.assignments.count() < count:
            assign(activity, ParticipantFactory(last_name=f"Z-{activity.assignments.count():02d}"))
        pages = pdf_pages(_pdf(caseworker_client, _session_url(session)))
        last = f"Z-{count - 1:02d}"
        assert page_of(pages, "Podpis prowadzącego") == page_of(pages, last), count


def test_after_the_roll_call_the_list_is_pre_filled_or_blank_on_demand(
    caseworker_client, caseworker, group
):
    _activity, session, people = group
    woman, man = people[0], people[1]
    man.sex, man.first_name = "M", "Marek"
    man.save()
    marks = {p.pk: "present" for p in people}
    marks[woman.pk], marks[man.pk] = "excused", "absent"
    roll_call_save(session=session, marks=marks, seen={}, recorded_by=caseworker)

    filled = _text(caseworker_client, _session_url(session))
    assert "Obecność wprowadzona do rejestru" in filled
    assert "usprawiedliwiona" in filled and "nieobecny" in filled and "obecna" in filled
    blank = _text(caseworker_client, _session_url(session, blank=True))
    assert "obecna" not in blank and "nieobecny" not in blank
    assert "Każdy obecny uczestnik podpisuje się" in blank


def test_the_month_list_is_pre_filled_after_the_roll_call(caseworker_client, caseworker, group):
    activity, session, people = group
    roll_call_save(
        session=session, marks={p.pk: "present" for p in people}, seen={}, recorded_by=caseworker
    )
    url = reverse("participants:activity_month_pdf", args=[activity.pk, 2017, 3])
    assert "obecna" in _text(caseworker_client, url)
    assert "obecna" not in _text(caseworker_client, url + "?blank=1")


# --- the certificate and its register ------------------------------------------------------


@pytest.fixture
def completions(organisation):
    activity = ActivityFactory(name="Kurs kasjera")
    first, second = assign(activity), assign(activity)
    for assignment in (first, second):
        assignment.completed_on = date(2017, 6, 30)
        assignment.save()
    return first, second


def _certificate_url(assignment) -> str:
    return reverse("participants:certificate_pdf", args=[assignment.activity_id, assignment.pk])


def test_certificates_are_numbered_in_the_register_and_reprints_keep_the_number(
    caseworker_client, caseworker, completions
):
    first, second = completions
    year = timezone.localdate().year
    assert f"nr 1/{year}" in _text(caseworker_client, _certificate_url(first))
    assert f"nr 2/{year}" in _text(caseworker_client, _certificate_url(second))
    again = _text(caseworker_client, _certificate_url(first))
    assert f"nr 1/{year}" in again and f"nr 2/{year}" not in again
    issued = Certificate.objects.get(assignment=first)
    assert (issued.number, issued.issued_by, issued.issued_on) == (
        f"1/{year}",
        caseworker,
        timezone.localdate(),
    )
    assert Certificate.objects.count() == 2
    assert certificate_issue(assignment=first) == issued  # the service too: the same one


def test_a_certificate_number_is_unique_in_its_year(completions):
    first, second = completions
    issued = certificate_issue(assignment=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            assignment=second,
            year=issued.year,
            sequence=issued.sequence,
            issued_on=issued.issued_on,
        )
    # The next year starts again at 1.
    nxt = Certificate.objects.create(
        assignment=second, year=issued.year + 1, sequence=1, issued_on=issued.issued_on
    )
    assert nxt.number == f"1/{issued.year + 1}"


def test_the_certificate_has_the_project_number_on_one_line_and_room_for_the_stamp(
    caseworker_client, completions
):
    first, _ = completions
    content = _pdf(caseworker_client, _certificate_url(first))
    number = first.activity.project.number
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        lines = pdf.pages[0].extract_text().splitlines()
    assert any(number in line for line in lines), lines
    text = " ".join(lines)
    for label in (
        "pieczęć ośrodka",
        "Kierownik Klubu",
        "Barbara Źrebiec",
        "Miejsce i data wydania",
    ):
        assert label in text, label


def test_an_issued_certificate_keeps_its_completion(completions, caseworker):
    from django.core.exceptions import ValidationError

    first, _ = completions
    certificate_issue(assignment=first, user=caseworker)
    with pytest.raises(ValidationError, match="1/"):
        activity_completion_set(assignment=first, completed_on=None, user=caseworker)
    first.refresh_from_db()
    assert first.completed_on == date(2017, 6, 30)


def test_issuing_a_certificate_needs_the_permission(client, no_role_user, completions):
    from django.contrib.auth.models import Permission

    first, _ = completions
    no_role_user.user_permissions.add(
        Permission.objects.get(codename="view_activity", content_type__app_label="participants")
    )
    client.force_login(no_role_user)
    assert client.get(_certificate_url(first)).status_code == 403
    assert not Certificate.objects.exists()


# --- the social contract, the action plan, the information clause -------------------------


@pytest.fixture
def person(organisation):
    enrolment = EnrolmentFactory(
        participant=ParticipantFactory(first_name="Zofia", last_name="Kontraktowa")
    )
    return enrolment.participant


@pytest.fixture
def contract(person):
    return SocialContract.objects.create(
        number="KS/7/2017",
        participant=person,
        signed_on=date(2017, 2, 1),
        start_date=date(2017, 2, 1),
        end_date=date(2017, 7, 31),
        goals="Podjęcie zatrudnienia w ciągu pół roku.",
        participant_obligations="Udział w warsztatach Klubu co tydzień.",
        centre_obligations="Zasiłek celowy na dojazdy.",
        caseworker=StaffMemberFactory(first_name="Ewa", last_name="Socjalna"),
        review_date=date(2017, 5, 2),
    )


def _contract_url(contract) -> str:
    return reverse("participants:contract_pdf", args=[contract.participant_id, contract.pk])


def test_the_social_contract(caseworker_client, contract):
    text = _text(caseworker_client, _contract_url(contract))
    for expected in [
        "KONTRAKT SOCJALNY",
        "nr KS/7/2017",
        "art. 108 ustawy z dnia 12 marca 2004 r. o pomocy społecznej",
        "Ośrodek Pomocy Społecznej w Testowicach",
        "Ewa Socjalna",
        "Pani Zofia Kontraktowa",
        "zwaną dalej uczestniczką",
        "Podjęcie zatrudnienia w ciągu pół roku.",
        "Udział w warsztatach Klubu co tydzień.",
        "Zasiłek celowy na dojazdy.",
        "od 01.02.2017 do 31.07.2017",
        "02.05.2017",
        "Ocena realizacji kontraktu",
        "Podpis uczestnika",
        "Podpis pracownika socjalnego",
    ]:
        assert expected in text, expected
    assert english_in(text) == []


@pytest.fixture
def plan(person):
    diagnosis = Diagnosis.objects.create(
        participant=person,
        enrolment=person.enrolments.get(),
        date=date(2016, 9, 12),
        needs="Niska motywacja, brak kwalifikacji.",
    )
    diagnosis.staff.add(
        StaffMemberFactory(first_name="Jan", last_name="Psycholog", role="psychologist")
    )
    Goal.objects.create(
        diagnosis=diagnosis, description="Kurs obsługi kasy", target_date=date(2017, 3, 31)
    )
    Goal.objects.create(diagnosis=diagnosis, description="Rozmowa o pracę", achieved=True)
    return diagnosis


def test_the_action_plan(caseworker_client, plan):
    url = reverse("participants:action_plan_pdf", args=[plan.participant_id, plan.pk])
    text = _text(caseworker_client, url)
    for expected in [
        "INDYWIDUALNY PLAN DZIAŁANIA",
        "Niska motywacja, brak kwalifikacji.",
        "Kurs obsługi kasy",
        "31.03.2017",
        "Rozmowa o pracę",
        "Jan Psycholog, psycholog",
        "Podpis uczestnika",
        plan.enrolment.project.title,
    ]:
        assert expected in text, expected
    assert english_in(text) == []


def test_a_diagnosis_without_an_action_plan_prints_no_plan(caseworker_client, plan):
    plan.has_action_plan = False
    plan.save()
    url = reverse("participants:action_plan_pdf", args=[plan.participant_id, plan.pk])
    assert caseworker_client.get(url).status_code == 404


def test_the_information_clause(caseworker_client, person, organisation):
    url = reverse("participants:information_clause_pdf", args=[person.pk])
    text = _text(caseworker_client, url)
    project = person.enrolments.get().project
    for expected in [
        "Informacja o przetwarzaniu danych osobowych",
        "art. 13 rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679",
        "Administratorem Pani/Pana danych osobowych jest Ośrodek Pomocy Społecznej w Testowicach",
        "inspektorem ochrony danych",
        project.title,
        f"do {project.retention_until:%d.%m.%Y}",
        "Prezesa Urzędu Ochrony Danych Osobowych",
        "Art. 6 ust. 1 lit. c RODO",
        "Zapoznałam się z powyższą informacją.",
        "Czytelny podpis uczestnika",
    ]:
        assert expected in text, expected
    assert english_in(text) == []
    # Without the data protection officer in the profile: a line to fill in, no contact.
    assert "@" not in text.split("inspektorem ochrony danych:")[1].split("3. Cele")[0]

    organisation.dpo_name, organisation.dpo_email = "Tomasz Inspektor", "iod@ops.example.pl"
    organisation.save()
    assert "Tomasz Inspektor, e-mail iod@ops.example.pl" in _text(caseworker_client, url)


def test_papers_are_refused_for_restricted_or_anonymised_people(caseworker_client, contract, plan):
    person = contract.participant
    urls = [
        _contract_url(contract),
        reverse("participants:action_plan_pdf", args=[person.pk, plan.pk]),
        reverse("participants:information_clause_pdf", args=[person.pk]),
    ]
    person.processing_restricted = True
    person.save()
    for url in urls:
        response = caseworker_client.get(url)
        assert response.status_code == 302 and response.url == f"/participants/{person.pk}/", url
    person.processing_restricted = False
    person.save()
    participant_anonymise(person)
    for url in urls:
        assert caseworker_client.get(url).status_code == 302, url
    assert (
        AccessLog.objects.filter(participant=person, action=AccessLog.Action.REFUSED).count() == 6
    )


def test_printing_a_paper_is_in_the_access_log(caseworker_client, contract):
    caseworker_client.get(_contract_url(contract))
    entry = AccessLog.objects.get(participant=contract.participant, action=AccessLog.Action.PDF)
    assert entry.what == "social contract KS/7/2017"


def test_the_papers_are_one_click_from_the_card(caseworker_client, contract, plan):
    person = contract.participant
    html = caseworker_client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    for url in [
        _contract_url(contract),
        reverse("participants:action_plan_pdf", args=[person.pk, plan.pk]),
        reverse("participants:information_clause_pdf", args=[person.pk]),
    ]:
        [link] = re.findall(rf'<a [^>]*href="{re.escape(url)}"[^>]*>', html)
        assert 'target="_blank"' in link and 'rel="noopener"' in link, link


@pytest.mark.parametrize("name", ["contract", "plan", "clause"])
def test_the_papers_refuse_the_wrong_user(client, no_role_user, contract, plan, name):
    person = contract.participant
    url = {
        "contract": _contract_url(contract),
        "plan": reverse("participants:action_plan_pdf", args=[person.pk, plan.pk]),
        "clause": reverse("participants:information_clause_pdf", args=[person.pk]),
    }[name]
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")
    client.force_login(no_role_user)
    assert client.get(url).status_code == 403


def test_a_caseworker_elsewhere_does_not_get_the_papers(settings, contract, plan):
    from kis import roles
    from kis.tests.clients import https_client
    from kis.tests.factories import UserFactory

    settings.KIS_CASEWORKERS_SEE_ALL = False
    other = https_client()
    other.force_login(UserFactory(role=roles.CASEWORKER))
    person = contract.participant
    assert other.get(_contract_url(contract)).status_code == 404
    assert (
        other.get(reverse("participants:action_plan_pdf", args=[person.pk, plan.pk])).status_code
        == 404
    )
    assert (
        other.get(reverse("participants:information_clause_pdf", args=[person.pk])).status_code
        == 404
    )


# --- the subject-access export ------------------------------------------------------------


def test_the_export_of_a_person_with_40_marks_is_plain_polish_on_3_pages(
    manager_client, caseworker, organisation
):
    person = ParticipantFactory(
        first_name="Wiesława",
        last_name="Eksportowa",
        education="isced2",
        labour_status="unemployed",
    )
    activities = [
        ActivityFactory(
            name="Klub pracy", start_date=date(2017, 1, 2), end_date=date(2017, 12, 29)
        ),
    ]
    assign(activities[0], person, referral_note="Skierowana przez pracownika socjalnego")
    activities.append(
        ActivityFactory(
            project=activities[0].project,
            name="Warsztaty kulinarne",
            start_date=date(2017, 1, 2),
            end_date=date(2017, 12, 29),
        )
    )
    activities[1].assignments.create(participant=person)
    day = date(2017, 1, 3)
    for n in range(40):
        session = Session.objects.create(
            activity=activities[n % 2],
            date=day + timedelta(days=7 * (n // 2)),
            start_time=time(10),
            duration_hours=Decimal("2.5"),
        )
        status = "absent" if n % 9 == 0 else "present"
        roll_call_save(session=session, marks={person.pk: status}, seen={}, recorded_by=caseworker)
    assert Attendance.objects.filter(participant=person).count() == 40

    content = _pdf(manager_client, reverse("participants:export_pdf", args=[person.pk]))
    pages = pdf_pages(content)
    text = " ".join(pages)
    assert len(pages) <= 3
    with translation.override("pl"):
        education = str(Participant.Education.LOWER_SECONDARY.label)
        status = str(Participant.LabourStatus.REGISTERED_UNEMPLOYED.label)
    for expected in [
        "Dane przechowywane o osobie",
        "Wykształcenie",
        education,
        "Status na rynku pracy",
        status,
        "Udziały w projektach",
        "Klub pracy",
        "Warsztaty kulinarne",
        "obecna: ",
        "nieobecna: ",
        "2,5",
    ]:
        assert expected in text, expected
    assert english_in(text) == []
    assert "2.50" not in text and "True" not in text


def test_the_export_names_the_documents_in_its_access_log(manager_client, person):
    manager_client.get(reverse("participants:detail", args=[person.pk]))
    text = _text(manager_client, reverse("participants:export_pdf", args=[person.pk]))
    assert "karta" in text.split() and "kopia danych osoby (PDF, art. 15 RODO)" in text
    assert "card" not in text.split() and "subject access export" not in text
