"""The people picker (participants/pickers.py): searched on the server, one page at a
time, only the people the user may see and whose data may still be processed; the
forms list nobody until asked, and work without JavaScript too."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from kis.lib.pesel import pesel_make
from participants.models import ActivityParticipant, CommunityEvent
from participants.pickers import PAGE_SIZE
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ActivityFactory, assign

pytestmark = pytest.mark.django_db

EVENT_PICK = reverse("participants:people_pick", args=["event"])


def _person(last_name, first_name="Anna", born=date(1985, 5, 5), n=0, **kwargs):
    return ParticipantFactory(
        last_name=last_name,
        first_name=first_name,
        birth_date=born,
        pesel=pesel_make(born, False, n),
        **kwargs,
    )


def test_the_search_answers_one_page_at_a_time(caseworker_client, caseworkers_see_all):
    for n in range(2 * PAGE_SIZE + 5):
        _person("Kowalska", n=n)
    _person("Nowak", n=99)
    first = caseworker_client.get(EVENT_PICK, {"q": "kowalska"}).json()
    assert len(first["results"]) == PAGE_SIZE and first["has_next"] and first["page"] == 1
    last = caseworker_client.get(EVENT_PICK, {"q": "kowalska", "page": "3"}).json()
    assert len(last["results"]) == 5 and not last["has_next"]
    # An empty search is one page too, never the whole register.
    assert len(caseworker_client.get(EVENT_PICK).json()["results"]) == PAGE_SIZE


def test_the_search_ignores_polish_letters_and_finds_the_year_of_birth(
    caseworker_client, caseworkers_see_all
):
    łucja = _person("Żółkiewska", "Łucja", born=date(1985, 1, 2), n=1)
    _person("Żółkiewska", "Łucja", born=date(1990, 1, 2), n=2)
    _person("Zielińska", "Ewa", born=date(1985, 3, 4), n=3)
    found = caseworker_client.get(EVENT_PICK, {"q": "zolkiewska lucja 1985"}).json()["results"]
    assert [p["id"] for p in found] == [łucja.pk]
    assert found[0]["name"] == "Żółkiewska Łucja"
    assert found[0]["label"] == "Żółkiewska Łucja (ur. 1985)"
    assert len(caseworker_client.get(EVENT_PICK, {"q": "1985"}).json()["results"]) == 2


def test_people_of_the_same_name_are_told_apart_by_year_and_project(
    caseworker_client, caseworkers_see_all
):
    one = _person("Nowak", born=date(1980, 1, 1), n=1)
    two = _person("Nowak", born=date(1992, 1, 1), n=2)
    enrolment = EnrolmentFactory(participant=two, project__title="Aktywni razem")
    found = caseworker_client.get(EVENT_PICK, {"q": "nowak anna"}).json()["results"]
    assert {p["id"]: p["label"] for p in found} == {
        one.pk: "Nowak Anna (ur. 1980)",
        two.pk: "Nowak Anna (ur. 1992; Aktywni razem)",
    }
    # And by project: only those enrolled in it.
    in_project = caseworker_client.get(
        EVENT_PICK, {"q": "nowak", "project": enrolment.project_id}
    ).json()["results"]
    assert [p["id"] for p in in_project] == [two.pk]


def test_only_people_the_user_may_see_and_process_are_offered(caseworker_client, caseworker):
    mine = _person("Widoczna", n=1, registered_by=caseworker)
    _person("Widoczna", n=2)  # somebody else's: not visible to this caseworker
    _person("Widoczna", n=3, registered_by=caseworker, processing_restricted=True)
    _person("Widoczna", n=4, registered_by=caseworker, anonymised_at=timezone.now())
    found = caseworker_client.get(EVENT_PICK, {"q": "widoczna"}).json()["results"]
    assert [p["id"] for p in found] == [mine.pk]


def test_the_wrong_user_is_refused(client, no_role_user, caseworker_client, caseworkers_see_all):
    activity = ActivityFactory()
    assert client.get(EVENT_PICK).status_code == 302  # not signed in: to the login page
    client.force_login(no_role_user)
    assert client.get(EVENT_PICK).status_code == 403
    activity_pick = reverse("participants:people_pick_for", args=["activity", activity.pk])
    assert client.get(activity_pick).status_code == 403
    unknown = reverse("participants:people_pick", args=["everybody"])
    assert caseworker_client.get(unknown).status_code == 404
    # The activity scope needs its activity.
    assert (
        caseworker_client.get(reverse("participants:people_pick", args=["activity"])).status_code
        == 404
    )


def test_a_caseworker_cannot_search_the_group_of_an_activity_not_his(caseworker_client):
    activity = ActivityFactory()
    pick = reverse("participants:people_pick_for", args=["activity", activity.pk])
    assert caseworker_client.get(pick).status_code == 404


def test_the_activity_offers_the_projects_people_not_yet_in_the_group(
    caseworker_client, caseworkers_see_all
):
    activity = ActivityFactory()
    assign(activity, _person("Wgrupie", n=1))  # enrolled in the project and in the group
    waiting = _person("Czekajaca", n=2)
    EnrolmentFactory(participant=waiting, project=activity.project)
    _person("Obca", n=3)  # not in the project
    pick = reverse("participants:people_pick_for", args=["activity", activity.pk])
    assert [p["id"] for p in caseworker_client.get(pick).json()["results"]] == [waiting.pk]


def test_the_group_of_an_activity_is_added_whole(caseworker_client, caseworkers_see_all):
    activity = ActivityFactory()
    people = [_person(f"Grupowa{n}", n=n) for n in range(PAGE_SIZE + 3)]
    for person in people:
        assign(activity, person)
    _person("Spoza", n=90)
    first = caseworker_client.get(EVENT_PICK, {"group": activity.pk}).json()
    second = caseworker_client.get(EVENT_PICK, {"group": activity.pk, "page": 2}).json()
    ids = {p["id"] for p in first["results"] + second["results"]}
    assert ids == {p.pk for p in people} and first["has_next"] and not second["has_next"]


def test_a_page_takes_a_fixed_number_of_queries(
    caseworker_client, caseworkers_see_all, django_assert_max_num_queries
):
    for n in range(3):
        EnrolmentFactory(participant=_person("Stała", n=n))
    with django_assert_max_num_queries(12) as few:
        caseworker_client.get(EVENT_PICK, {"q": "stala"})
    for n in range(3, 30):
        EnrolmentFactory(participant=_person("Stała", n=n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(caseworker_client.get(EVENT_PICK, {"q": "stala"}).json()["results"]) == 20


def test_the_forms_list_nobody_until_asked(caseworker_client, caseworkers_see_all):
    for n in range(500):
        ParticipantFactory(last_name=f"Masowa{n}")
    activity = ActivityFactory()
    for url in (
        reverse("participants:event_create"),
        reverse("participants:activity_assign", args=[activity.pk]),
    ):
        html = caseworker_client.get(url).content.decode()
        assert "Masowa" not in html and len(html) < 40_000, url
        assert 'class="people-picker"' in html and "people-picker" in html


def test_without_javascript_a_search_shows_the_form_again_and_keeps_the_chosen(
    caseworker_client, caseworkers_see_all
):
    chosen = _person("Wybrana", n=1)
    found = _person("Szukana", n=2)
    data = {
        "name": "Piknik",
        "date": "06.06.2025",
        "place": "Park",
        "outside_count": "0",
        "participants": [chosen.pk],
        "participants__q": "szukana",
        "participants__search": "1",
    }
    response = caseworker_client.post(reverse("participants:event_create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not CommunityEvent.objects.exists()
    assert f'value="{chosen.pk}" id="id_participants-c{chosen.pk}" checked' in html
    assert f'value="{found.pk}" id="id_participants-r{found.pk}">' in html
    assert 'value="Piknik"' in html and "alert-danger" not in html
    # Ticked and saved.
    del data["participants__search"]
    data["participants"] = [chosen.pk, found.pk]
    assert caseworker_client.post(reverse("participants:event_create"), data).status_code == 302
    assert set(CommunityEvent.objects.get().participants.all()) == {chosen, found}


def test_without_javascript_a_group_is_added_to_the_chosen(caseworker_client, caseworkers_see_all):
    activity = ActivityFactory(end_date=timezone.localdate())
    members = [_person(f"Członek{n}", n=n) for n in range(3)]
    for person in members:
        assign(activity, person)
    data = {
        "name": "Piknik",
        "date": "06.06.2025",
        "place": "Park",
        "outside_count": "0",
        "participants__group": str(activity.pk),
        "participants__add_group": "1",
    }
    html = caseworker_client.post(reverse("participants:event_create"), data).content.decode()
    assert "Dodano z grupy osób: 3." in html
    for person in members:
        assert f'value="{person.pk}" id="id_participants-c{person.pk}" checked' in html
    assert not CommunityEvent.objects.exists()


def test_the_assign_form_saves_the_people_chosen(caseworker_client, caseworkers_see_all):
    activity = ActivityFactory()
    people = [_person(f"Zapisana{n}", n=n) for n in range(3)]
    for person in people:
        EnrolmentFactory(participant=person, project=activity.project)
    url = reverse("participants:activity_assign", args=[activity.pk])
    response = caseworker_client.post(url, {"participants": [p.pk for p in people[:2]]})
    assert response.status_code == 302
    assert {a.participant for a in ActivityParticipant.objects.all()} == set(people[:2])


def test_the_forms_never_lay_out_the_choices(caseworker_client, caseworkers_see_all):
    """Rendering lays out the people chosen only: not one row per person of the register
    (ChoiceWidget.get_context iterates every choice: 2,5 s at 100 000 people)."""
    from unittest import mock

    chosen = _person("Wybrana", n=1)
    activity = ActivityFactory()
    event = CommunityEvent.objects.create(name="Wigilia", date=date(2024, 12, 20), place="Klub")
    event.participants.set([chosen])
    from django.forms.models import ModelChoiceIterator

    from participants.models import Participant

    iterate = ModelChoiceIterator.__iter__

    def no_people(self):
        assert self.queryset.model is not Participant, "every person laid out"
        return iterate(self)

    with mock.patch.object(ModelChoiceIterator, "__iter__", no_people):
        for url in (
            reverse("participants:event_create"),
            reverse("participants:event_edit", args=[event.pk]),
            reverse("participants:activity_assign", args=[activity.pk]),
        ):
            assert caseworker_client.get(url).status_code == 200, url
        html = caseworker_client.get(reverse("participants:event_edit", args=[event.pk]))
    assert f'value="{chosen.pk}" id="id_participants-c{chosen.pk}" checked' in html.content.decode()
