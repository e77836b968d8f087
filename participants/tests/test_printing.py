"""Printed papers of support activities: attendance lists and certificates as PDF.

Assertions are on what does not depend on the translation catalogue: names, numbers,
dates and hours."""

import io
from datetime import date, time
from decimal import Decimal

import factory
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from kis.lib.pdf import LocalFetcher
from participants.models import Activity, ActivityParticipant, Attendance, Session, SupportForm
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.views.printing import hours_attended
from projects.tests.factories import OrganisationFactory, ProjectFactory, StaffMemberFactory

# Features, not who sees whom (participants/tests/test_access.py): a small centre's caseworker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]

PRESENT = Attendance.Status.PRESENT
ABSENT = Attendance.Status.ABSENT


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    project = factory.SubFactory(ProjectFactory)
    support_form = factory.LazyFunction(
        lambda: SupportForm.objects.get(name="trening kompetencji społecznych")
    )
    name = "Trening umiejętności społecznych – grupa wiosenna"
    planned_hours = Decimal("12.0")
    start_date = date(2017, 3, 1)
    end_date = date(2017, 4, 30)
    place = "Świetlica KIS, ul. Długa 5"
    content = "Komunikacja i asertywność.\n\nRozwiązywanie konfliktów w grupie."


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    date = factory.Sequence(lambda n: date(2017, 3, 1 + n % 28))
    start_time = time(10, 0)
    duration_hours = Decimal("3.5")
    topic = "Komunikacja w grupie"


def assign(activity: Activity, first_name: str, last_name: str, **kwargs) -> ActivityParticipant:
    """Enrol a person in the activity's project (from 01.09.2016) and assign him or her."""
    person = ParticipantFactory(first_name=first_name, last_name=last_name)
    EnrolmentFactory(project=activity.project, participant=person)
    return ActivityParticipant.objects.create(activity=activity, participant=person, **kwargs)


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def session_url(session: Session) -> str:
    return reverse("participants:session_attendance_pdf", args=[session.pk])


def month_url(activity: Activity, year: int, month: int) -> str:
    return reverse("participants:activity_month_pdf", args=[activity.pk, year, month])


def certificate_url(assignment: ActivityParticipant) -> str:
    return reverse("participants:certificate_pdf", args=[assignment.activity_id, assignment.pk])


@pytest.fixture
def organisation(db):
    return OrganisationFactory(club_manager="Barbara Źrebiec")


@pytest.fixture
def activity(organisation):
    activity = ActivityFactory()
    for first_name, last_name in [("Żaneta", "Ślęzak"), ("Łucja", "Wójcik"), ("Anna", "Adamczyk")]:
        assign(activity, first_name, last_name)
    return activity


def test_session_attendance_list(caseworker_client, activity):
    trainer = StaffMemberFactory(first_name="Grzegorz", last_name="Łęcki")
    activity.staff.add(StaffMemberFactory(first_name="Irena", last_name="Usualna"))
    session = SessionFactory(activity=activity, date=date(2017, 3, 14), start_time=time(9, 30))
    session.staff.add(trainer)
    ParticipantFactory(first_name="Olga", last_name="Nieprzypisana")

    response = caseworker_client.get(session_url(session))

    assert response["Content-Disposition"] == (
        f'inline; filename="lista-obecnosci-{activity.pk}-2017-03-14.pdf"'
    )
    text = pdf_text(response)
    for expected in [
        "Ośrodek Pomocy Społecznej w Testowicach",
        "Klub Integracji Społecznej w Testowicach",
        activity.project.title,
        activity.project.number,
        activity.project.programme.name,
        "Trening umiejętności społecznych – grupa wiosenna",
        "trening kompetencji społecznych",
        "14.03.2017",
        "09:30",
        "3,50",
        "Komunikacja w grupie",
        "Grzegorz Łęcki",
        "Ślęzak Żaneta",
        "Wójcik Łucja",
        "Adamczyk Anna",
    ]:
        assert expected in text, expected
    # The session names its own trainer: the activity's usual staff is not printed.
    assert "Usualna" not in text
    assert "Nieprzypisana" not in text
    assert text.index("Adamczyk Anna") < text.index("Wójcik Łucja")


def test_session_without_staff_prints_the_activitys_staff(caseworker_client, activity):
    activity.staff.add(StaffMemberFactory(first_name="Irena", last_name="Usualna"))
    session = SessionFactory(activity=activity)

    assert "Irena Usualna" in pdf_text(caseworker_client.get(session_url(session)))


def test_without_organisation_profile_the_configured_club_name_heads_the_paper(
    caseworker_client, settings
):
    settings.KIS_CLUB_NAME = "Klub Integracji Społecznej w Żabnie"
    session = SessionFactory()

    assert "Klub Integracji Społecznej w Żabnie" in pdf_text(
        caseworker_client.get(session_url(session))
    )


def test_month_attendance_list(caseworker_client, activity):
    for day in (2, 9, 16):
        SessionFactory(activity=activity, date=date(2017, 3, day), duration_hours=Decimal("2"))
    SessionFactory(activity=activity, date=date(2017, 4, 6))

    response = caseworker_client.get(month_url(activity, 2017, 3))

    assert response["Content-Disposition"] == (
        f'inline; filename="lista-obecnosci-{activity.pk}-2017-03.pdf"'
    )
    text = pdf_text(response)
    for expected in [activity.project.number, "Ślęzak Żaneta", "Wójcik Łucja", "02.03.", "16.03."]:
        assert expected in text, expected
    assert "06.04." not in text
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert page.mediabox.width < page.mediabox.height  # 3 sessions fit a portrait page


def test_month_with_many_sessions_is_one_landscape_list(caseworker_client, activity):
    for day in range(1, 21):
        SessionFactory(activity=activity, date=date(2017, 3, day))
    for n in range(40):
        assign(activity, "Zdzisław", f"Kowal-{n:02d}")

    response = caseworker_client.get(month_url(activity, 2017, 3))

    text = pdf_text(response)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 1  # 43 rows do not fit one page…
    assert all(p.mediabox.width > p.mediabox.height for p in reader.pages)
    assert text.count("20.03.") == len(reader.pages)  # …and every page repeats the header
    assert "Kowal-39 Zdzisław" in text


@pytest.mark.parametrize(("year", "month"), [(2017, 5), (2017, 13), (0, 3)])
def test_month_without_sessions_is_not_found(caseworker_client, activity, year, month):
    SessionFactory(activity=activity, date=date(2017, 3, 2))

    assert caseworker_client.get(month_url(activity, year, month)).status_code == 404


@pytest.fixture
def completed(activity):
    """Żaneta completed the activity: 3 sessions of 3.5 h, present at 2 of them."""
    assignment = activity.assignments.get(participant__last_name="Ślęzak")
    assignment.completed_on = date(2017, 4, 28)
    assignment.save()
    person = assignment.participant
    person.birth_date = date(1984, 7, 9)
    person.save()
    other = activity.assignments.get(participant__last_name="Wójcik").participant
    for day, status in [(7, PRESENT), (14, ABSENT), (21, PRESENT)]:
        session = SessionFactory(activity=activity, date=date(2017, 3, day))
        Attendance.objects.create(session=session, participant=person, status=status)
        # Somebody else's presence does not count for her.
        Attendance.objects.create(session=session, participant=other, status=PRESENT)
    # Present at a session of another activity: not counted either.
    elsewhere = SessionFactory(activity=ActivityFactory(project=activity.project))
    Attendance.objects.create(session=elsewhere, participant=person, status=PRESENT)
    return assignment


def test_hours_attended_count_sessions_present_at(completed):
    assert hours_attended(completed) == Decimal("7.0")


def test_certificate(caseworker_client, completed):
    response = caseworker_client.get(certificate_url(completed))

    certificate = completed.certificate
    assert response["Content-Disposition"] == (
        f'inline; filename="zaswiadczenie-{certificate.sequence}-{certificate.year}.pdf"'
    )
    text = pdf_text(response)
    for expected in [
        "Ośrodek Pomocy Społecznej w Testowicach",
        "Żaneta Ślęzak",
        "09.07.1984",
        "Trening umiejętności społecznych – grupa wiosenna",
        "trening kompetencji społecznych",
        completed.activity.project.title,
        completed.activity.project.number,
        "01.03.2017",
        "30.04.2017",
        "7,0",
        "12,0",
        "Komunikacja i asertywność.",
        "Rozwiązywanie konfliktów w grupie.",
        # Issued today (the date of the register's entry); completed on 28.04.2017.
        f"Testowice, {timezone.localdate():%d.%m.%Y}",
        "28.04.2017",
        "Barbara Źrebiec",
    ]:
        assert expected in text, expected
    assert "10,5" not in text


def test_certificate_prints_the_logo(
    caseworker_client, completed, organisation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(png, "PNG")
    organisation.logo.save("herb.png", ContentFile(png.getvalue()))

    response = caseworker_client.get(certificate_url(completed))

    assert pdf_text(response)
    assert len(PdfReader(io.BytesIO(response.content)).pages[0].images) == 1


def test_certificate_only_for_a_completed_activity(caseworker_client, activity):
    assignment = activity.assignments.get(participant__last_name="Wójcik")

    assert caseworker_client.get(certificate_url(assignment)).status_code == 404


def test_certificate_only_through_its_own_activity(caseworker_client, completed):
    other = ActivityFactory(project=completed.activity.project)
    url = reverse("participants:certificate_pdf", args=[other.pk, completed.pk])

    assert caseworker_client.get(url).status_code == 404


@pytest.fixture
def urls(completed) -> list[str]:
    session = completed.activity.sessions.first()
    return [
        session_url(session),
        month_url(completed.activity, 2017, 3),
        certificate_url(completed),
    ]


def test_user_without_role_is_refused(client, no_role_user, urls):
    client.force_login(no_role_user)
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


@pytest.mark.parametrize("people", [3, 30])
def test_queries_do_not_grow_with_participants(
    caseworker_client, completed, urls, people, django_assert_max_num_queries
):
    activity = completed.activity
    activity.staff.add(StaffMemberFactory(), StaffMemberFactory())
    sessions = list(activity.sessions.all())
    for n in range(people - 3):
        person = assign(activity, "Jędrzej", f"Kłos-{n:02d}").participant
        Attendance.objects.bulk_create(
            Attendance(session=s, participant=person, status=PRESENT) for s in sessions
        )
    for url in urls:
        # The first printing of a certificate also numbers it: the register and its audit entry.
        with django_assert_max_num_queries(25):
            assert caseworker_client.get(url).status_code == 200, url


def test_fetcher_refuses_the_network_and_serves_static_files():
    fetcher = LocalFetcher("http://testserver/")
    with pytest.raises(ValueError):
        fetcher("https://example.com/logo.png")
    with pytest.raises(ValueError):
        fetcher("http://testserver/media/logo/herb.png")
    response = fetcher("http://testserver/static/css/kis.css")
    try:
        assert response.url.startswith("file://") and response.read()
    finally:
        response.close()
