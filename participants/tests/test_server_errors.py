"""Input that made a server error (each reproduced on PostgreSQL by the penetration
test) is now a form error, a 400 or a 404, and writes nothing."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kis.lib.pesel import pesel_make
from participants.models import Participant, Session
from participants.services.people import participant_create
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory
from projects.tests.factories import ProjectFactory

# About the feature, not who sees whom (record-level access: test_access.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]

NUL_REFUSED = "Znaki null są niedozwolone."  # Django's own message, in Polish
PESEL = pesel_make(date(2002, 7, 8), True, 362)


# --- A session at a time the activity already has --------------------------------------


def session_post(day: date, at: time, **extra) -> dict:
    return {
        "date": day.strftime("%d.%m.%Y"),
        "start_time": at.strftime("%H:%M"),
        "duration_hours": "3,5",
        "topic": "",
        **extra,
    }


def test_adding_a_session_at_a_taken_time_is_a_form_error(caseworker_client):
    """Today's failure: SessionForm leaves out `activity`, so Django skipped the unique
    check and the insert failed (IntegrityError, a 500)."""
    session = SessionFactory(date=date(2017, 3, 7), start_time=time(16))
    url = reverse("participants:session_create", args=[session.activity_id])

    response = caseworker_client.post(url, session_post(date(2017, 3, 7), time(16)))

    assert response.status_code == 200
    assert "07.03.2017 o 16:00" in str(response.context["form"].errors["start_time"])
    assert Session.objects.count() == 1
    # Another activity may meet at that time.
    other = ActivityFactory()
    url = reverse("participants:session_create", args=[other.pk])
    assert caseworker_client.post(url, session_post(date(2017, 3, 7), time(16))).status_code == 302
    assert Session.objects.count() == 2


def test_moving_a_session_onto_a_taken_time_is_a_form_error(caseworker_client):
    taken = SessionFactory(date=date(2017, 3, 7), start_time=time(16))
    moved = SessionFactory(activity=taken.activity, date=date(2017, 3, 9), start_time=time(16))
    url = reverse("participants:session_edit", args=[moved.pk])

    response = caseworker_client.post(url, session_post(date(2017, 3, 7), time(16)))

    assert response.status_code == 200
    assert "start_time" in response.context["form"].errors
    moved.refresh_from_db()
    assert moved.date == date(2017, 3, 9)
    # Saving it unchanged, or at a free time, still works.
    assert caseworker_client.post(url, session_post(date(2017, 3, 9), time(16))).status_code == 302
    assert caseworker_client.post(url, session_post(date(2017, 3, 7), time(9))).status_code == 302
    moved.refresh_from_db()
    assert (moved.date, moved.start_time) == (date(2017, 3, 7), time(9))


def test_a_session_saved_meanwhile_at_the_same_time_is_a_form_error(caseworker_client, monkeypatch):
    """The check and the insert are two steps: a session saved by somebody else between
    them is reported like the one found by the check."""
    activity = ActivityFactory()
    original = Session.full_clean

    def full_clean_then_someone_else_saves(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if args or kwargs:  # the form's call (it names the fields it excludes)
            return
        Session.objects.create(
            activity=activity,
            date=date(2017, 3, 7),
            start_time=time(16),
            duration_hours=Decimal("2"),
        )

    monkeypatch.setattr(Session, "full_clean", full_clean_then_someone_else_saves)
    url = reverse("participants:session_create", args=[activity.pk])

    response = caseworker_client.post(url, session_post(date(2017, 3, 7), time(16)))

    assert response.status_code == 200
    assert "start_time" in response.context["form"].errors
    assert Session.objects.get().duration_hours == Decimal("2")  # the other one only


# --- The project's enrolment page --------------------------------------------------------


@pytest.mark.parametrize("participant", ["abc", "", "1.5", "٣", "9" * 30, "1\x00"])
def test_enrolling_a_person_who_is_not_a_number_is_not_found(caseworker_client, participant):
    """Today's failure: `participant=abc` reached the query (ValueError, a 500)."""
    project = ProjectFactory()
    url = reverse("participants:project_enrol", args=[project.pk])
    data = {"start_date": "01.09.2016"} | ({"participant": participant} if participant else {})
    assert caseworker_client.post(url, data).status_code == 404
    assert not project.enrolments.exists()


def test_enrolling_after_a_search_with_odd_characters_returns_to_the_search(caseworker_client):
    """The search text went into the redirect's address unencoded (a line break in it
    made the response itself fail)."""
    person = ParticipantFactory()
    project = ProjectFactory()
    url = reverse("participants:project_enrol", args=[project.pk])
    response = caseworker_client.post(
        url + "?q=Nowak%0D%0ASet-Cookie:%20x%26y",
        {"participant": str(person.pk), "start_date": "01.09.2016"},
    )
    assert response.status_code == 302
    assert response.url == url + "?q=Nowak%0D%0ASet-Cookie%3A+x%26y"
    assert project.enrolments.get().participant == person


# --- NUL characters ----------------------------------------------------------------------


@pytest.mark.parametrize("page", ["project_enrol", "family_add"])
def test_a_nul_in_the_search_is_a_message_next_to_the_search_box(caseworker_client, page):
    """Today's failure: PostgreSQL refuses a NUL in a query (a 500)."""
    person = ParticipantFactory(last_name="Nowak")
    args = [EnrolmentFactory().project_id] if page == "project_enrol" else [person.pk]
    url = reverse(f"participants:{page}", args=args)

    response = caseworker_client.get(url, {"q": "Now\x00ak"})

    assert response.status_code == 200
    html = response.content.decode()
    assert NUL_REFUSED in html
    assert 'aria-invalid="true"' in html
    assert response.context["search"].errors["q"]
    # The same search without the NUL finds the person.
    response = caseworker_client.get(url, {"q": "nowak"})
    assert not response.context["search"].errors
    assert person.full_name in response.content.decode() or page == "project_enrol"


def test_a_nul_in_the_restriction_reason_is_refused_with_a_message(manager_client):
    """Today's failure: the reason was saved as sent; PostgreSQL refuses a NUL (a 500)."""
    person = ParticipantFactory()
    url = reverse("participants:restriction", args=[person.pk])

    response = manager_client.post(url, {"restrict": "1", "reason": "wniosek\x00"}, follow=True)

    assert response.status_code == 200
    assert NUL_REFUSED in response.content.decode()
    person.refresh_from_db()
    assert not person.processing_restricted
    assert (person.restriction_reason, person.version) == ("", 1)


def test_a_restriction_reason_over_255_characters_is_refused_not_cut(manager_client):
    person = ParticipantFactory()
    url = reverse("participants:restriction", args=[person.pk])
    manager_client.post(url, {"restrict": "1", "reason": "x" * 256})
    person.refresh_from_db()
    assert not person.processing_restricted
    manager_client.post(url, {"restrict": "1", "reason": " wniosek z 12.05.2026 "})
    person.refresh_from_db()
    assert (person.processing_restricted, person.restriction_reason) == (
        True,
        "wniosek z 12.05.2026",
    )


# --- The monthly attendance list ---------------------------------------------------------


@pytest.mark.parametrize(
    "year, month", [(10**20, 3), (99999, 3), (0, 3), (2017, 13), (2017, 0), (2017, 10**20)]
)
def test_a_month_out_of_range_is_not_found(caseworker_client, year, month):
    """Today's failure: a year beyond what `date` takes raised OverflowError (a 500)."""
    session = SessionFactory(date=date(2017, 3, 7))
    url = reverse("participants:activity_month_pdf", args=[session.activity_id, year, month])
    assert caseworker_client.get(url).status_code == 404


# --- Two registrations of one PESEL at once ----------------------------------------------


@pytest.fixture
def registered_meanwhile(monkeypatch):
    """Somebody else's registration of the same PESEL lands between the service's
    checks and its insert (the race of four registrations at once: all pass the checks,
    one insert wins, the unique constraint stops the others). The stand-in for that
    other registration is made in this test's transaction, so it is undone with the
    refused one; in real life it was committed by another request."""
    original = Participant.full_clean
    others = []

    def full_clean_then_someone_else_registers(self, *args, **kwargs):
        original(self, *args, **kwargs)
        # The service's own check (the form's call names the fields it excludes).
        if not args and not kwargs and not others:
            others.append(ParticipantFactory(pesel=self.pesel, first_name="Ewa"))

    monkeypatch.setattr(Participant, "full_clean", full_clean_then_someone_else_registers)
    return others


def test_a_pesel_registered_meanwhile_is_a_form_error_not_a_crash(
    caseworker_client, registered_meanwhile
):
    """Today's failure: the IntegrityError was not caught (a 500)."""
    post = {
        "first_name": "Ewa",
        "last_name": "Nowak",
        "pesel": PESEL,
        "legal_basis": "consent",
        "legal_basis_date": "05.01.2026",
    }

    response = caseworker_client.post(reverse("participants:create"), post)

    assert response.status_code == 200
    assert registered_meanwhile
    errors = response.context["form"].errors
    assert list(errors) == ["pesel"]
    assert "już zarejestrowany" in str(errors["pesel"])
    assert not Participant.objects.exists()


def test_the_service_reports_a_pesel_registered_meanwhile(caseworker, registered_meanwhile):
    with pytest.raises(ValidationError) as refused:
        participant_create(
            registered_by=caseworker,
            first_name="Ewa",
            last_name="Nowak",
            pesel=PESEL,
            birth_date=date(2002, 7, 8),
            sex="F",
            legal_basis="consent",
            legal_basis_date=date(2026, 1, 5),
        )
    assert list(refused.value.message_dict) == ["pesel"]
    assert registered_meanwhile
