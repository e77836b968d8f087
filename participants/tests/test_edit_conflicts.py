"""Optimistic locking through the real pages: every edit form of a record with a version
is read from its HTML and posted back exactly as a browser would, by one user and by two
users who opened it at the same time."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kis import roles
from kis.tests.clients import https_client
from kis.tests.factories import UserFactory
from kis.tests.html_forms import edit_form_data
from participants.models import Employment, Enrolment, EnrolmentEvent, Participant
from participants.services.people import enrolment_leave_for_job
from participants.tests.factories import EnrolmentFactory, ParticipantFactory, group, reason
from projects.tests.factories import ProjectFactory

# Features, not who sees whom (participants/tests/test_access.py): a small centre's caseworker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]

RECORD_CONFLICT = "Po otwarciu formularza ktoś inny zapisał ten rekord"
ENROLMENT_CONFLICT = "Ktoś inny zmienił ten udział w projekcie po otwarciu formularza"
NO_VERSION = "Formularz dotarł bez wersji danych, z którą został otwarty"


def dmy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def running_enrolment(**kwargs) -> Enrolment:
    """An enrolment in a project running today, so that today's date (the forms'
    default) is a valid date of an event."""
    today = timezone.localdate()
    project = ProjectFactory(
        start_date=today - timedelta(days=365), end_date=today + timedelta(days=365)
    )
    return EnrolmentFactory(project=project, start_date=today - timedelta(days=30), **kwargs)


def left_for_job() -> Enrolment:
    enrolment = running_enrolment()
    enrolment_leave_for_job(
        enrolment=enrolment,
        recorded_by=None,
        start_date=timezone.localdate() - timedelta(days=10),
        employer="Praca sezonowa",
        contract=Employment.Contract.SEASONAL,
    )
    enrolment.refresh_from_db()
    return enrolment


def events(enrolment: Enrolment, kind: str) -> list:
    return list(EnrolmentEvent.objects.filter(enrolment=enrolment, kind=kind))


@dataclass
class EditForm:
    """One edit form: how to make its record, its address, what each of two users
    changes, and what the record looks like after a save (to tell whose it is)."""

    make: Callable
    url: Callable
    first: Callable  # record -> the fields the first user changes
    second: Callable  # record -> the fields the second user changes
    saved: Callable  # record -> a value that tells whose change was saved
    conflict: str
    role: str = roles.CASEWORKER


EDIT_FORMS = {
    "participant": EditForm(
        make=ParticipantFactory,
        url=lambda p: reverse("participants:edit", args=[p.pk]),
        first=lambda p: {"phone": "511 222 333"},
        second=lambda p: {"city": "Oświęcim"},
        saved=lambda p: (
            Participant.objects.get(pk=p.pk).phone,
            Participant.objects.get(pk=p.pk).city,
        ),
        conflict=RECORD_CONFLICT,
    ),
    "drop-out": EditForm(
        make=running_enrolment,
        url=lambda e: reverse(
            "participants:enrolment_event", args=[e.participant_id, e.pk, "dropped_out"]
        ),
        first=lambda e: {"reason": str(reason("moved_away").pk)},
        second=lambda e: {"reason": str(reason("other").pk)},
        saved=lambda e: [event.reason_id for event in events(e, "dropped_out")],
        conflict=ENROLMENT_CONFLICT,
    ),
    "completion": EditForm(
        make=running_enrolment,
        url=lambda e: reverse(
            "participants:enrolment_event", args=[e.participant_id, e.pk, "completed"]
        ),
        first=lambda e: {"note": "ukończył(a) – pierwszy"},
        second=lambda e: {"note": "ukończył(a) – drugi"},
        saved=lambda e: [event.note for event in events(e, "completed")],
        conflict=ENROLMENT_CONFLICT,
    ),
    "return after a job": EditForm(
        make=left_for_job,
        url=lambda e: reverse(
            "participants:enrolment_event", args=[e.participant_id, e.pk, "returned"]
        ),
        first=lambda e: {"note": "umowa wygasła"},
        second=lambda e: {"note": "zwolnienie"},
        saved=lambda e: [event.note for event in events(e, "returned")],
        conflict=ENROLMENT_CONFLICT,
    ),
    "leaving for a job": EditForm(
        make=running_enrolment,
        url=lambda e: reverse("participants:leave_for_job", args=[e.participant_id, e.pk]),
        first=lambda e: {
            "start_date": dmy(timezone.localdate()),
            "employer": "Piekarnia",
            "contract": "employment",
        },
        second=lambda e: {
            "start_date": dmy(timezone.localdate()),
            "employer": "Sklep",
            "contract": "mandate",
        },
        saved=lambda e: list(Employment.objects.filter(enrolment=e).values_list("employer")),
        conflict=ENROLMENT_CONFLICT,
    ),
    "admin: participant": EditForm(
        make=lambda: EnrolmentFactory().participant,
        url=lambda p: reverse("admin:participants_participant_change", args=[p.pk]),
        first=lambda p: {"phone": "511 222 333"},
        second=lambda p: {"city": "Oświęcim"},
        saved=lambda p: (
            Participant.objects.get(pk=p.pk).phone,
            Participant.objects.get(pk=p.pk).city,
        ),
        conflict=RECORD_CONFLICT,
        role=roles.ADMINISTRATOR,
    ),
    "admin: enrolment": EditForm(
        make=EnrolmentFactory,
        url=lambda e: reverse("admin:participants_enrolment_change", args=[e.pk]),
        first=lambda e: {"referral_note": "PUP"},
        second=lambda e: {"referral_note": "MOPS"},
        saved=lambda e: Enrolment.objects.get(pk=e.pk).referral_note,
        conflict=RECORD_CONFLICT,
        role=roles.ADMINISTRATOR,
    ),
}


def user_client(role: str) -> Client:
    admin = role == roles.ADMINISTRATOR
    client = https_client()
    client.force_login(UserFactory(role=role, is_staff=admin, is_superuser=admin))
    return client


def opened(client: Client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return edit_form_data(response.content.decode())


def changed(data: dict, changes: dict) -> dict:
    return {**data, **{name: [value] for name, value in changes.items()}}


@pytest.fixture(params=EDIT_FORMS.values(), ids=EDIT_FORMS.keys())
def edit_form(request) -> EditForm:
    return request.param


def test_one_user_saves_what_the_page_carries(edit_form):
    record = edit_form.make()
    url = edit_form.url(record)
    client = user_client(edit_form.role)
    unchanged = edit_form.saved(record)

    response = client.post(url, changed(opened(client, url), edit_form.first(record)))

    assert response.status_code == 302, response.content.decode()
    assert edit_form.saved(record) != unchanged


def test_the_second_of_two_users_is_refused_and_the_first_change_kept(edit_form):
    record = edit_form.make()
    url = edit_form.url(record)
    first, second = user_client(edit_form.role), user_client(edit_form.role)
    first_page, second_page = opened(first, url), opened(second, url)

    assert first.post(url, changed(first_page, edit_form.first(record))).status_code == 302
    kept = edit_form.saved(record)
    response = second.post(url, changed(second_page, edit_form.second(record)))

    assert response.status_code == 200
    assert edit_form.conflict in response.content.decode()
    assert edit_form.saved(record) == kept


def test_an_edit_without_its_version_is_refused(edit_form):
    record = edit_form.make()
    url = edit_form.url(record)
    client = user_client(edit_form.role)
    data = changed(opened(client, url), edit_form.first(record))
    unchanged = edit_form.saved(record)
    assert "version" in data

    del data["version"]
    response = client.post(url, data)

    assert response.status_code == 200
    assert NO_VERSION in response.content.decode()
    assert edit_form.saved(record) == unchanged


def test_the_conflict_says_which_groups_the_other_user_changed():
    """A change of groups is recorded as a list of names, not an old → new pair: the
    conflict shows it rather than failing."""
    person = ParticipantFactory()
    url = reverse("participants:edit", args=[person.pk])
    first, second = user_client(roles.CASEWORKER), user_client(roles.CASEWORKER)
    first_page, second_page = opened(first, url), opened(second, url)
    poverty = str(group("osoby w ubóstwie").pk)

    assert first.post(url, {**first_page, "groups": [poverty]}).status_code == 302
    response = second.post(url, changed(second_page, {"city": "Oświęcim"}))

    html = response.content.decode()
    assert response.status_code == 200 and RECORD_CONFLICT in html
    assert "osoby w ubóstwie" in html


def test_the_conflict_hides_sensitive_values_from_users_who_may_not_see_them(caseworker):
    from django.contrib.auth.models import Group, Permission

    person = ParticipantFactory()
    url = reverse("participants:edit", args=[person.pk])
    manager = user_client(roles.MANAGER)
    Group.objects.get(name=roles.CASEWORKER).permissions.remove(
        Permission.objects.get(codename="view_sensitive_data")
    )
    caseworker_client = user_client(roles.CASEWORKER)
    manager_page, caseworker_page = opened(manager, url), opened(caseworker_client, url)

    data = changed(manager_page, {"health_notes": "Terapia odwykowa", "disability": "moderate"})
    assert manager.post(url, data).status_code == 302
    response = caseworker_client.post(url, changed(caseworker_page, {"city": "Oświęcim"}))

    html = response.content.decode()
    assert RECORD_CONFLICT in html
    assert "dane wrażliwe, nie pokazano" in html
    assert "Terapia odwykowa" not in html and "umiarkowany" not in html and "moderate" not in html
