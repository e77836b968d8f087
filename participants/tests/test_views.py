from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kis import roles
from participants.models import Diagnosis, Employment, Enrolment, FamilyLink, Participant
from participants.tests.factories import (
    DiagnosisFactory,
    EmploymentFactory,
    EnrolmentFactory,
    ParticipantFactory,
    group,
    reason,
)
from projects.tests.factories import ProjectFactory

# Features, not who sees whom (participants/tests/test_access.py): a small centre's caseworker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]

VALID_FORM = {
    "first_name": "Łucja",
    "last_name": "Wójcik",
    "pesel": "02270803624",
    "birth_date": "",
    "sex": "",
    "street": "ul. Polna 3",
    "postal_code": "34-123",
    "city": "Lipnica Dolna",
    "municipality": "Lipnica Dolna",
    "phone": "",
    "email": "",
    "education": "isced2",
    "labour_status": "long_term",
    "disability": "",
    "health_notes": "",
    "legal_basis": "consent",
    "legal_basis_date": "05.01.2026",
}


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_user_without_role_is_refused_everywhere(client, no_role_user):
    person = ParticipantFactory()
    enrolment = EnrolmentFactory(participant=person)
    client.force_login(no_role_user)
    urls = [
        reverse("participants:list"),
        reverse("participants:create"),
        reverse("participants:detail", args=[person.pk]),
        reverse("participants:edit", args=[person.pk]),
        reverse("participants:enrol", args=[person.pk]),
        reverse("participants:enrolment_event", args=[person.pk, enrolment.pk, "dropped_out"]),
        reverse("participants:leave_for_job", args=[person.pk, enrolment.pk]),
        reverse("participants:employment_create", args=[person.pk]),
        reverse("participants:diagnosis_create", args=[person.pk]),
        reverse("participants:family_add", args=[person.pk]),
        reverse("participants:project_enrol", args=[enrolment.project.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("participants:create"), VALID_FORM).status_code == 403
    assert not Participant.objects.filter(last_name="Wójcik").exists()


def test_anonymous_is_sent_to_login(client):
    person = ParticipantFactory()
    response = client.get(reverse("participants:detail", args=[person.pk]))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("query", ["Wojcik", "wójcik", "WÓJCIK", "wojc", "lucja wojcik", "0227080"])
def test_search_ignores_polish_letters_and_case(caseworker_client, query):
    ParticipantFactory(
        first_name="Łucja", last_name="Wójcik", pesel="02270803624", birth_date=date(2002, 7, 8)
    )
    ParticipantFactory(first_name="Jan", last_name="Wojtasik")
    html = caseworker_client.get(reverse("participants:list"), {"q": query}).content.decode()
    assert "Wójcik Łucja" in html
    assert "Wojtasik" not in html


def test_filters(caseworker_client):
    project = ProjectFactory()
    older = ParticipantFactory(last_name="Starsza", birth_date=date(1960, 1, 1), sex="F")
    younger = ParticipantFactory(last_name="Młodszy", birth_date=date(2000, 1, 1), sex="M")
    older.groups.add(group("samotni rodzice"))
    EnrolmentFactory(
        participant=older,
        project=project,
        start_date=date(2017, 1, 10),
        status="dropped_out",
        end_date=date(2017, 6, 1),
    )
    EnrolmentFactory(participant=younger, project=project, start_date=date(2018, 2, 1))

    def names(**params):
        html = caseworker_client.get(reverse("participants:list"), params).content.decode()
        return {n for n in ("Starsza", "Młodszy") if n in html}

    assert names(project=project.pk) == {"Starsza", "Młodszy"}
    assert names(project=project.pk, status="dropped_out") == {"Starsza"}
    assert names(group=group("samotni rodzice").pk) == {"Starsza"}
    assert names(sex="M") == {"Młodszy"}
    assert names(age="50-") == {"Starsza"}
    assert names(age="25-34") == {"Młodszy"}
    assert names(year=2017) == {"Starsza"}
    assert names(year=2018) == {"Młodszy"}  # the drop-out ended in 2017
    assert names() == {"Starsza", "Młodszy"}


def test_list_query_count_does_not_grow(caseworker_client):
    projects = ProjectFactory.create_batch(2)

    def add(n):
        for _ in range(n):
            person = ParticipantFactory()
            person.groups.add(group("osoby w ubóstwie"))
            for project in projects:
                EnrolmentFactory(participant=person, project=project)

    add(2)
    two = _count_queries(caseworker_client, reverse("participants:list"))
    add(48)
    assert _count_queries(caseworker_client, reverse("participants:list")) == two
    assert two <= 11  # no session write per request (kis/sessions.py)


def test_card_shows_everything_in_bounded_queries(caseworker_client):
    person = ParticipantFactory(first_name="Ewa", last_name="Żmijewska")
    project = ProjectFactory(title="Aktywność daje możliwość")
    enrolment = EnrolmentFactory(participant=person, project=project)
    DiagnosisFactory(participant=person, needs="Trudności w organizacji dnia").goals.create(
        description="Napisać CV", target_date=date(2016, 12, 1), achieved=True
    )
    EmploymentFactory(participant=person, enrolment=enrolment, employer="Piekarnia „Kłos”")
    url = reverse("participants:detail", args=[person.pk])
    small = _count_queries(caseworker_client, url)
    for _ in range(5):
        EnrolmentFactory(participant=person)
        DiagnosisFactory(participant=person).goals.create(description="Cel")
        EmploymentFactory(participant=person)
    assert _count_queries(caseworker_client, url) == small
    html = caseworker_client.get(url).content.decode()
    for text in (
        "Ewa Żmijewska",
        "Aktywność daje możliwość",
        "Trudności w organizacji dnia",
        "Napisać CV",
        "Piekarnia „Kłos”",
        "rozpoczęła udział",  # Ewa: a woman
    ):
        assert text in html


def test_sensitive_data_need_their_permission(client, caseworker):
    person = ParticipantFactory(disability="moderate", health_notes="Terapia odwykowa do 2015")
    person.groups.add(group("osoby uzależnione od alkoholu"), group("osoby w ubóstwie"))
    client.force_login(caseworker)
    html = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "Terapia odwykowa" in html and "uzależnione od alkoholu" in html

    Group.objects.get(name=roles.CASEWORKER).permissions.remove(
        Permission.objects.get(codename="view_sensitive_data")
    )
    client.force_login(type(caseworker).objects.get(pk=caseworker.pk))  # fresh permission cache
    html = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "Terapia odwykowa" not in html
    assert "stopień umiarkowany" not in html
    assert "uzależnione od alkoholu" not in html
    assert "osoby w ubóstwie" in html
    form = client.get(reverse("participants:edit", args=[person.pk])).content.decode()
    assert "health_notes" not in form and "uzależnione od alkoholu" not in form
    listing = client.get(reverse("participants:list")).content.decode()
    assert "uzależnione od alkoholu" not in listing
    # Saving the form keeps the sensitive data the user cannot see.
    data = {
        **VALID_FORM,
        "pesel": person.pesel,
        "first_name": "Nowe",
        "last_name": person.last_name,
        "groups": [group("osoby w ubóstwie").pk],
        "version": person.version,
    }
    response = client.post(reverse("participants:edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Nowe"
    assert person.health_notes == "Terapia odwykowa do 2015" and person.disability == "moderate"
    assert set(person.groups.values_list("name", flat=True)) == {
        group("osoby uzależnione od alkoholu").name,
        group("osoby w ubóstwie").name,
    }


def test_register_with_invalid_pesel_keeps_the_form(caseworker_client):
    response = caseworker_client.post(
        reverse("participants:create"), {**VALID_FORM, "pesel": "02270803625"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "błędną cyfrę kontrolną" in html
    assert (
        'value="Łucja"' in html and 'value="ul. Polna 3"' in html and 'value="02270803625"' in html
    )
    assert "Dane nie zostały zapisane" in html
    assert "Wymagane, gdy osoba nie ma numeru PESEL" not in html  # it has one, a wrong one
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    "pesel,message",
    [("12345678901", "nie zawiera poprawnej daty urodzenia"), ("123", "dokładnie 11 cyfr")],
)
def test_register_with_impossible_pesel_is_a_form_error(caseworker_client, pesel, message):
    response = caseworker_client.post(
        reverse("participants:create"), {**VALID_FORM, "pesel": pesel}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Participant.objects.exists()


def test_register_derives_birth_date_and_sex_from_pesel(caseworker_client, caseworker):
    response = caseworker_client.post(
        reverse("participants:create"), {**VALID_FORM, "groups": [group("samotni rodzice").pk]}
    )
    person = Participant.objects.get()
    assert response.url == reverse("participants:detail", args=[person.pk])
    assert (person.birth_date, person.sex) == (date(2002, 7, 8), "F")
    assert person.registered_by == caseworker
    assert list(person.groups.values_list("name", flat=True)) == ["samotni rodzice"]


def test_without_pesel_birth_date_and_sex_are_required(caseworker_client):
    response = caseworker_client.post(reverse("participants:create"), {**VALID_FORM, "pesel": ""})
    html = response.content.decode()
    assert html.count("Wymagane, gdy osoba nie ma numeru PESEL.") == 2
    response = caseworker_client.post(
        reverse("participants:create"),
        {**VALID_FORM, "pesel": "", "birth_date": "08.07.1990", "sex": "F"},
    )
    assert response.status_code == 302
    assert Participant.objects.get().birth_date == date(1990, 7, 8)


def test_duplicate_pesel_links_to_the_existing_card(caseworker_client):
    existing = ParticipantFactory(pesel="02270803624", birth_date=date(2002, 7, 8))
    response = caseworker_client.post(reverse("participants:create"), VALID_FORM)
    html = response.content.decode()
    assert "Uczestnik z tym numerem PESEL jest już zarejestrowany" in html
    assert reverse("participants:detail", args=[existing.pk]) in html
    assert Participant.objects.count() == 1


def test_same_name_and_birth_date_warns_before_saving(caseworker_client):
    existing = ParticipantFactory(
        first_name="Łucja", last_name="Wójcik", pesel="", birth_date=date(1990, 7, 8)
    )
    data = {
        **VALID_FORM,
        "pesel": "",
        "birth_date": "08.07.1990",
        "sex": "F",
        "last_name": "WOJCIK",
    }
    html = caseworker_client.post(reverse("participants:create"), data).content.decode()
    assert "Osoba o tym samym imieniu, nazwisku i dacie urodzenia jest już zarejestrowana" in html
    assert reverse("participants:detail", args=[existing.pk]) in html
    assert Participant.objects.count() == 1
    response = caseworker_client.post(
        reverse("participants:create"), {**data, "confirm_not_duplicate": "on"}
    )
    assert response.status_code == 302
    assert Participant.objects.count() == 2


def test_enrol_from_the_card(caseworker_client):
    person = ParticipantFactory()
    project = ProjectFactory(start_date=date(2024, 1, 1), end_date=date(2027, 12, 31))
    url = reverse("participants:enrol", args=[person.pk])
    response = caseworker_client.post(url, {"project": project.pk, "start_date": "01.01.2023"})
    assert "01.01.2024 – 31.12.2027" in response.content.decode()
    assert not Enrolment.objects.exists()
    response = caseworker_client.post(
        url, {"project": project.pk, "start_date": "03.02.2025", "referral_note": "PUP"}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert (enrolment.project, enrolment.start_date, enrolment.status) == (
        project,
        date(2025, 2, 3),
        "active",
    )


def test_enrol_from_the_project_page(caseworker_client):
    project = ProjectFactory(start_date=date(2024, 1, 1), end_date=date(2027, 12, 31))
    person = ParticipantFactory(first_name="Żaneta", last_name="Ślęzak")
    url = reverse("participants:project_enrol", args=[project.pk])
    assert (
        url in caseworker_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    )
    html = caseworker_client.get(url, {"q": "slezak"}).content.decode()
    assert "Ślęzak Żaneta" in html
    response = caseworker_client.post(
        url + "?q=slezak", {"participant": person.pk, "start_date": "10.03.2025"}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get().participant == person
    # Once enrolled, the person is no longer offered.
    assert "Ślęzak Żaneta" not in caseworker_client.get(url, {"q": "slezak"}).content.decode()


@pytest.mark.parametrize("status", ["finished", "settled"])
def test_nobody_new_is_enrolled_in_a_closed_project(caseworker_client, status):
    from django.core.exceptions import ValidationError

    from participants.services.people import enrolment_create

    project = ProjectFactory(start_date=date(2024, 1, 1), end_date=date(2027, 12, 31))
    project.status = status
    project.save()
    person = ParticipantFactory(first_name="Żaneta", last_name="Ślęzak")
    url = reverse("participants:project_enrol", args=[project.pk])
    closed = "nie można do niego zapisać nikogo nowego"
    detail = caseworker_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert url not in detail
    page = caseworker_client.get(url, {"q": "slezak"}).content.decode()
    assert closed in page and "Ślęzak Żaneta" not in page

    response = caseworker_client.post(
        url + "?q=slezak", {"participant": person.pk, "start_date": "10.03.2025"}
    )

    assert response.status_code == 200 and closed in response.content.decode()
    assert not Enrolment.objects.exists()
    with pytest.raises(ValidationError) as refused:
        enrolment_create(
            participant=person, project=project, start_date=date(2025, 3, 10), recorded_by=None
        )
    assert closed in refused.value.message_dict["project"][0]
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("status", ["finished", "settled"])
def test_nobody_is_enrolled_several_at_once_in_a_closed_project(caseworker_client, status):
    """Issue 12, point 6, through the form that enrols the people ticked at once."""
    project = ProjectFactory(start_date=date(2024, 1, 1), end_date=date(2027, 12, 31))
    project.status = status
    project.save()
    people = [ParticipantFactory(last_name="Ślęzak") for _ in range(2)]

    response = caseworker_client.post(
        reverse("participants:project_enrol_bulk", args=[project.pk]),
        {"participant": [p.pk for p in people], "start_date": "10.03.2025", "q": "slezak"},
        follow=True,
    )

    assert "nie można do niego zapisać nikogo nowego" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_dropout_job_and_return_through_the_forms(caseworker_client):
    person = ParticipantFactory()
    enrolment = EnrolmentFactory(participant=person, start_date=date(2016, 9, 1))
    job_url = reverse("participants:leave_for_job", args=[person.pk, enrolment.pk])

    def version() -> int:
        enrolment.refresh_from_db()
        return enrolment.version

    response = caseworker_client.post(
        job_url,
        {
            "start_date": "01.06.2019",
            "employer": "Sklep",
            "contract": "employment",
            "version": version(),
        },
    )
    assert "okresie projektu" in response.content.decode()  # after the project's end
    response = caseworker_client.post(
        job_url,
        {
            "start_date": "02.05.2017",
            "end_date": "31.07.2017",
            "employer": "Sklep",
            "contract": "employment",
            "version": version(),
        },
    )
    assert response.status_code == 302
    event_url = reverse("participants:enrolment_event", args=[person.pk, enrolment.pk, "returned"])
    response = caseworker_client.post(event_url, {"date": "07.08.2017", "version": version()})
    assert response.status_code == 302
    dropout_url = reverse(
        "participants:enrolment_event", args=[person.pk, enrolment.pk, "dropped_out"]
    )
    response = caseworker_client.post(dropout_url, {"date": "01.10.2017", "version": version()})
    assert "To pole jest wymagane" in response.content.decode()
    response = caseworker_client.post(
        dropout_url, {"date": "01.10.2017", "reason": reason("moved_away").pk, "version": version()}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "dropped_out"
    assert list(enrolment.events.values_list("kind", flat=True)) == [
        "started",
        "left_for_job",
        "returned",
        "dropped_out",
    ]
    assert Employment.objects.get().enrolment == enrolment
    html = caseworker_client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "zmiana miejsca zamieszkania" in html and "powróciła po zakończeniu pracy" in html


def test_the_exit_for_a_job_has_its_own_date(caseworker_client):
    person = ParticipantFactory()
    enrolment = EnrolmentFactory(participant=person, start_date=date(2016, 9, 1))
    url = reverse("participants:leave_for_job", args=[person.pk, enrolment.pk])
    form = caseworker_client.get(url).content.decode()
    assert "Data zakończenia udziału w projekcie" in form
    job = {"employer": "Sklep", "contract": "employment", "version": enrolment.version}
    response = caseworker_client.post(
        url, {**job, "start_date": "08.05.2017", "exit_date": "01.01.2020"}
    )
    errors = response.context["form"].errors
    assert "okresie projektu" in errors["exit_date"][0] and "start_date" not in errors
    response = caseworker_client.post(
        url, {**job, "start_date": "08.05.2017", "exit_date": "05.05.2017"}
    )
    assert response.status_code == 302
    assert enrolment.events.get(kind="left_for_job").date == date(2017, 5, 5)
    assert Employment.objects.get().start_date == date(2017, 5, 8)


def test_diagnosis_with_goals(caseworker_client):
    person = ParticipantFactory()
    url = reverse("participants:diagnosis_create", args=[person.pk])
    data = {
        "date": "10.09.2016",
        "needs": "Brak kwalifikacji",
        "has_action_plan": "on",
        "goals-TOTAL_FORMS": "2",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "goals-0-description": "Kurs obsługi wózka widłowego",
        "goals-0-target_date": "30.06.2017",
        "goals-0-achieved": "unknown",
        "goals-1-description": "",
    }
    response = caseworker_client.post(url, data)
    assert response.status_code == 302
    diagnosis = Diagnosis.objects.get()
    assert list(diagnosis.goals.values_list("description", flat=True)) == [
        "Kurs obsługi wózka widłowego"
    ]


def test_family_link(caseworker_client):
    person = ParticipantFactory(first_name="Anna", last_name="Kowal")
    child = ParticipantFactory(first_name="Kacper", last_name="Kowalczyk")
    url = reverse("participants:family_add", args=[person.pk])
    assert (
        "Kowalczyk Kacper" in caseworker_client.get(url, {"q": "kacper"}).content.decode()
        or "Kacper Kowalczyk" in caseworker_client.get(url, {"q": "kacper"}).content.decode()
    )
    assert (
        caseworker_client.post(url, {"relative": child.pk, "relation": "child"}).status_code == 302
    )
    assert FamilyLink.objects.get().relative == child
    response = caseworker_client.post(url, {"relative": child.pk, "relation": "child"})
    assert "już powiązana" in response.content.decode()
    html = caseworker_client.get(reverse("participants:detail", args=[child.pk])).content.decode()
    assert "Anna Kowal" in html


def test_managers_use_the_pages_too(manager_client):
    person = ParticipantFactory(last_name="Zawadzka")
    assert "Zawadzka" in manager_client.get(reverse("participants:list")).content.decode()
    assert manager_client.get(reverse("participants:detail", args=[person.pk])).status_code == 200


def test_list_sorts_polish_names(caseworker_client, django_db_blocker):
    from django.db import connection

    for name in ("Żak", "Zając", "Łuczak", "Lis", "Ślęzak", "Sikora"):
        ParticipantFactory(last_name=name)
    html = caseworker_client.get(reverse("participants:list")).content.decode()
    order = sorted(["Żak", "Zając", "Łuczak", "Lis", "Ślęzak", "Sikora"], key=html.index)
    if connection.vendor == "postgresql":
        assert order == ["Lis", "Łuczak", "Sikora", "Ślęzak", "Zając", "Żak"]
    else:  # SQLite sorts by code point
        assert order[:2] == ["Lis", "Sikora"]
    html = caseworker_client.get(reverse("participants:list"), {"order": "-name"}).content.decode()
    assert html.index("Lis") > html.index("Sikora")


def test_diagnosis_form_opens(caseworker_client):
    person = ParticipantFactory()
    response = caseworker_client.get(reverse("participants:diagnosis_create", args=[person.pk]))
    assert response.status_code == 200
    assert 'name="goals-TOTAL_FORMS"' in response.content.decode()


def test_legal_basis_document_is_recorded(caseworker_client):
    data = {**VALID_FORM, "legal_basis_document": "zgoda nr 12/2026"}
    assert caseworker_client.post(reverse("participants:create"), data).status_code == 302
    person = Participant.objects.get()
    assert person.legal_basis_document == "zgoda nr 12/2026"
    assert (
        "zgoda nr 12/2026"
        in caseworker_client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    )
