"""One-off help (short contacts, issue 14 point 4): the service's rules, the form one
click from the card, the list on the card, who may open them, admin through the
service, and retention."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kis import roles
from kis.models import AccessLog
from kis.tests.factories import UserFactory
from kis.tests.html_forms import edit_form_data
from participants.models import Enrolment, Participant, ShortContact
from participants.services.anonymise import participant_anonymise, participants_past_retention
from participants.services.support import contact_create, contact_delete, contact_update
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ShortContactFactory
from projects.tests.factories import ProjectFactory, ProjectStaffFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

KIND = ShortContact.Kind


@pytest.fixture
def psychologist():
    return StaffMemberFactory(role="psychologist", first_name="Irena", last_name="Poradna")


@pytest.fixture
def walk_in():
    """Somebody who came in once: in the register, enrolled nowhere."""
    return ParticipantFactory(first_name="Teresa", last_name="Przychodnia")


def _fields(staff, **changes) -> dict:
    return {
        "date": date(2017, 3, 9),
        "kind": KIND.COUNSELLING,
        "staff": staff,
        "duration_hours": Decimal("1"),
        "project": None,
        "note": "",
        **changes,
    }


# --- the service -------------------------------------------------------------------------


def test_a_contact_is_recorded_for_a_person_enrolled_nowhere(walk_in, psychologist, caseworker):
    contact = contact_create(participant=walk_in, user=caseworker, **_fields(psychologist))
    assert ShortContact.objects.get() == contact
    assert not Enrolment.objects.exists()  # nobody was enrolled to record it
    assert LogEntry.objects.get_for_object(contact).get().action == LogEntry.Action.CREATE


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"duration_hours": Decimal("0")}, "duration_hours", "Co najmniej kwadrans (0,25 godz.)"),
        ({"duration_hours": Decimal("8.5")}, "duration_hours", "Najwyżej 8 godz."),
        ({"kind": "walk"}, "kind", "nie jest poprawnym wyborem"),
    ],
)
def test_bad_values_are_refused_next_to_their_field(walk_in, psychologist, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        contact_create(participant=walk_in, **_fields(psychologist, **changes))
    assert message in " ".join(refused.value.message_dict[field])
    assert not ShortContact.objects.exists()


def test_a_contact_happened_and_only_with_staff_and_projects_still_in_use(walk_in, psychologist):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        contact_create(participant=walk_in, **_fields(psychologist, date=tomorrow))
    assert "date" in future.value.message_dict
    gone = StaffMemberFactory(is_active=False)
    with pytest.raises(ValidationError) as inactive:
        contact_create(participant=walk_in, **_fields(gone))
    assert "staff" in inactive.value.message_dict
    settled = ProjectFactory(status="settled")
    with pytest.raises(ValidationError) as closed:
        contact_create(participant=walk_in, **_fields(psychologist, project=settled))
    assert "project" in closed.value.message_dict
    outside = ProjectFactory(start_date=date(2018, 1, 1), end_date=date(2019, 12, 31))
    with pytest.raises(ValidationError) as dates:
        contact_create(participant=walk_in, **_fields(psychologist, project=outside))
    assert "w okresie projektu" in " ".join(dates.value.message_dict["date"])
    assert not ShortContact.objects.exists()


def test_the_same_contact_twice_is_refused(walk_in, psychologist):
    contact_create(participant=walk_in, **_fields(psychologist))
    with pytest.raises(ValidationError) as twice:
        contact_create(participant=walk_in, **_fields(psychologist, note="drugi raz"))
    assert "zmień jego czas trwania" in " ".join(twice.value.message_dict["date"])
    # Another form of help, or another staff member, the same day is another contact.
    contact_create(participant=walk_in, **_fields(psychologist, kind=KIND.INFORMATION))
    contact_create(participant=walk_in, **_fields(StaffMemberFactory()))
    assert ShortContact.objects.count() == 3


def test_a_staff_member_no_longer_active_stays_on_an_old_contact(walk_in, psychologist):
    contact = contact_create(participant=walk_in, **_fields(psychologist))
    psychologist.is_active = False
    psychologist.save()
    contact_update(contact=contact, **_fields(psychologist, duration_hours=Decimal("1.5")))
    contact.refresh_from_db()
    assert (contact.staff, contact.duration_hours) == (psychologist, Decimal("1.50"))


def test_restricted_and_anonymised_people_are_refused(walk_in, psychologist):
    contact = contact_create(participant=walk_in, **_fields(psychologist))
    Participant.objects.filter(pk=walk_in.pk).update(processing_restricted=True)
    for write in (
        lambda: contact_create(participant=walk_in, **_fields(psychologist, kind=KIND.INFORMATION)),
        lambda: contact_update(contact=contact, **_fields(psychologist, note="zmiana")),
        lambda: contact_delete(contact=contact),
    ):
        with pytest.raises(ValidationError, match="ograniczone"):
            write()
    Participant.objects.filter(pk=walk_in.pk).update(processing_restricted=False)
    participant_anonymise(walk_in)
    with pytest.raises(ValidationError, match="zanonimizowane"):
        contact_delete(contact=contact)
    assert ShortContact.objects.filter(pk=contact.pk, note="").exists()


def test_the_service_checks_the_permission(walk_in, psychologist, no_role_user):
    with pytest.raises(PermissionDenied):
        contact_create(participant=walk_in, user=no_role_user, **_fields(psychologist))
    contact = ShortContactFactory(participant=walk_in)
    with pytest.raises(PermissionDenied):
        contact_delete(contact=contact, user=no_role_user)
    assert ShortContact.objects.count() == 1


# --- the form, one click from the card --------------------------------------------------------


def test_the_card_links_to_the_form_and_the_form_saves(
    caseworker_client, caseworker, walk_in, psychologist, caseworkers_see_all
):
    StaffMemberFactory(user=caseworker, role="social_worker")
    card = reverse("participants:detail", args=[walk_in.pk])
    url = reverse("participants:contact_create", args=[walk_in.pk])
    page = caseworker_client.get(card).content.decode()
    assert f'href="{url}"' in page and "Zapisz krótki kontakt" in page

    form = caseworker_client.get(url).content.decode()
    data = edit_form_data(form)
    # Filled in for the day: today, the caseworker's own staff record, an hour.
    assert data["date"] == [timezone.localdate().strftime("%d.%m.%Y")]
    assert data["staff"] == [str(caseworker.staff_member.pk)]
    assert data["duration_hours"] == ["1"]
    data.update(
        date=["09.03.2017"],
        kind=["consultation"],
        staff=[str(psychologist.pk)],
        duration_hours=["1,5"],
        note=["Pismo do spółdzielni"],
    )
    response = caseworker_client.post(url, data)
    assert response.status_code == 302 and response.url == card

    contact = ShortContact.objects.get()
    assert (contact.participant, contact.kind, contact.duration_hours) == (
        walk_in,
        KIND.CONSULTATION,
        Decimal("1.50"),
    )
    # Audited, with who did it.
    assert LogEntry.objects.get_for_object(contact).get().actor == caseworker
    page = caseworker_client.get(card).content.decode()
    assert "09.03.2017" in page and "Konsultacja" in page and "Pismo do spółdzielni" in page
    assert "Irena Poradna" in page and "1,50" in page


def test_the_form_shows_bad_input_next_to_the_field(
    caseworker_client, walk_in, psychologist, caseworkers_see_all
):
    url = reverse("participants:contact_create", args=[walk_in.pk])
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d.%m.%Y")
    response = caseworker_client.post(
        url,
        {"date": tomorrow, "kind": "counselling", "staff": psychologist.pk, "duration_hours": "1"},
    )
    assert response.status_code == 200
    assert "Data nie może być z przyszłości." in response.content.decode()
    assert not ShortContact.objects.exists()


def test_the_form_edits_and_deletes(caseworker_client, walk_in, psychologist, caseworkers_see_all):
    contact = contact_create(participant=walk_in, **_fields(psychologist))
    url = reverse("participants:contact_edit", args=[walk_in.pk, contact.pk])
    data = edit_form_data(caseworker_client.get(url).content.decode())
    data["duration_hours"] = ["2"]
    assert caseworker_client.post(url, data).status_code == 302
    contact.refresh_from_db()
    assert contact.duration_hours == Decimal("2")

    delete = reverse("participants:contact_delete", args=[walk_in.pk, contact.pk])
    assert caseworker_client.get(delete).status_code == 405
    assert caseworker_client.post(delete).status_code == 302
    assert not ShortContact.objects.exists()


@pytest.mark.parametrize("state", ["restricted", "anonymised"])
def test_the_form_refuses_a_restricted_or_anonymised_person(
    caseworker_client, walk_in, psychologist, caseworkers_see_all, state
):
    contact = contact_create(participant=walk_in, **_fields(psychologist))
    if state == "restricted":
        Participant.objects.filter(pk=walk_in.pk).update(processing_restricted=True)
    else:
        participant_anonymise(walk_in)
    new = reverse("participants:contact_create", args=[walk_in.pk])
    edit = reverse("participants:contact_edit", args=[walk_in.pk, contact.pk])
    delete = reverse("participants:contact_delete", args=[walk_in.pk, contact.pk])
    posted = {
        "date": "10.03.2017",
        "kind": "information",
        "staff": psychologist.pk,
        "duration_hours": "1",
    }
    card = reverse("participants:detail", args=[walk_in.pk])
    for response in (
        caseworker_client.get(new),
        caseworker_client.post(new, posted),
        caseworker_client.post(edit, posted),
        caseworker_client.post(delete),
    ):
        assert response.status_code == 302 and response.url == card
    assert list(ShortContact.objects.values_list("kind", flat=True)) == ["counselling"]
    assert AccessLog.objects.filter(action=AccessLog.Action.REFUSED).count() == 4
    page = caseworker_client.get(card).content.decode()
    assert f'href="{new}"' not in page  # no button to a form that would refuse


def test_wrong_users_are_refused(client, no_role_user, caseworker, walk_in, psychologist):
    contact = contact_create(participant=walk_in, **_fields(psychologist))
    urls = [
        reverse("participants:contact_create", args=[walk_in.pk]),
        reverse("participants:contact_edit", args=[walk_in.pk, contact.pk]),
    ]
    delete = reverse("participants:contact_delete", args=[walk_in.pk, contact.pk])
    for url in [*urls, delete]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(no_role_user)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(delete).status_code == 403
    # A caseworker who does not work with the person does not find him or her.
    client.force_login(caseworker)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(delete).status_code == 404
    assert ShortContact.objects.count() == 1


def test_another_persons_contact_is_not_found(manager_client, walk_in, psychologist):
    contact = contact_create(participant=walk_in, **_fields(psychologist))
    other = ParticipantFactory()
    url = reverse("participants:contact_edit", args=[other.pk, contact.pk])
    assert manager_client.get(url).status_code == 404
    delete = reverse("participants:contact_delete", args=[other.pk, contact.pk])
    assert manager_client.post(delete).status_code == 404
    assert ShortContact.objects.exists()


# --- who sees whom ---------------------------------------------------------------------------


def test_the_staff_member_who_gave_the_help_sees_the_person(
    caseworker, caseworker_client, manager, walk_in
):
    counsellor = StaffMemberFactory(user=caseworker, role="career_advisor")
    card = reverse("participants:detail", args=[walk_in.pk])
    assert caseworker_client.get(card).status_code == 404
    # The manager records the counselling the caseworker gave.
    contact_create(participant=walk_in, user=manager, **_fields(counsellor))
    assert caseworker_client.get(card).status_code == 200
    listing = caseworker_client.get(reverse("participants:list")).content.decode()
    assert "Przychodnia" in listing


def test_a_caseworker_registers_a_walk_in_and_records_the_help(caseworker, caseworker_client):
    """The caseworker at the door sees whom he or she registers, and records the
    help without enrolling anybody; the others do not see the person."""
    project = ProjectFactory()
    staff = StaffMemberFactory(user=caseworker, role="social_worker")
    ProjectStaffFactory(project=project, staff_member=staff)
    walk_in = ParticipantFactory(registered_by=caseworker)
    url = reverse("participants:contact_create", args=[walk_in.pk])
    data = edit_form_data(caseworker_client.get(url).content.decode())
    data.update(kind=["information"], duration_hours=["0,5"])
    assert caseworker_client.post(url, data).status_code == 302
    assert ShortContact.objects.get().staff == staff
    other = UserFactory(role=roles.CASEWORKER)
    StaffMemberFactory(user=other)
    from kis.tests.clients import https_client

    colleague = https_client()
    colleague.force_login(other)
    assert colleague.get(reverse("participants:detail", args=[walk_in.pk])).status_code == 404


# --- the card's queries stay flat ------------------------------------------------------------


def test_the_cards_query_count_does_not_grow_with_contacts(
    manager_client, walk_in, django_assert_max_num_queries
):
    EnrolmentFactory(participant=walk_in)
    url = reverse("participants:detail", args=[walk_in.pk])

    def add(n, start):
        for k in range(n):
            ShortContactFactory(
                participant=walk_in,
                date=date(2017, 1, 1) + timedelta(days=start + k),
                project=ProjectFactory(),
            )

    add(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(url).status_code == 200
    add(48, 10)
    with django_assert_max_num_queries(len(few)):
        page = manager_client.get(url)
    assert page.content.decode().count('class="text-nowrap"><a href="') >= 50


# --- admin writes through the service ----------------------------------------------------------


def test_admin_records_and_refuses_through_the_service(administrator_client, walk_in, psychologist):
    url = reverse("admin:participants_shortcontact_add")
    data = edit_form_data(administrator_client.get(url).content.decode())
    data.update(
        participant=[str(walk_in.pk)],
        date=["09.03.2017"],
        kind=["counselling"],
        staff=[str(psychologist.pk)],
        duration_hours=["1.5"],  # admin's decimals, as on its other pages
    )
    assert administrator_client.post(url, data).status_code == 302
    assert ShortContact.objects.get().duration_hours == Decimal("1.50")
    # The same again: the service's message on the page, nothing saved.
    response = administrator_client.post(url, data)
    assert response.status_code == 200
    assert "zmień jego czas trwania" in response.content.decode()
    restricted = ParticipantFactory(processing_restricted=True)
    data["participant"] = [str(restricted.pk)]
    response = administrator_client.post(url, data)
    assert response.status_code == 200 and "ograniczone" in response.content.decode()
    assert ShortContact.objects.count() == 1


# --- retention --------------------------------------------------------------------------------


def test_a_short_contact_keeps_the_data_like_other_help(psychologist):
    today = date(2026, 11, 23)  # activity after 31.12.2020 keeps the data
    old, recent, in_project = ParticipantFactory(), ParticipantFactory(), ParticipantFactory()
    for person in (old, recent, in_project):
        Participant.objects.filter(pk=person.pk).update(
            created_at=timezone.make_aware(timezone.datetime(2015, 4, 1))
        )
    ShortContactFactory(participant=old, date=date(2020, 12, 31))
    ShortContactFactory(participant=recent, date=date(2021, 1, 4))
    kept = ProjectFactory(start_date=date(2016, 1, 1), end_date=date(2026, 12, 31))
    ShortContactFactory(participant=in_project, date=date(2016, 5, 5), project=kept)
    assert set(participants_past_retention(today)) == {old}
