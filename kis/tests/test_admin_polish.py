"""Administration in Polish (issue 17, point 9): every model named in Polish, Django's
messages that read right for every model, third-party apps and permissions in Polish;
user accounts saved through kis.services with the staff link on the user's page; a
caseworker who sees nobody told why."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from django.utils import translation

from kis import roles
from kis.admin import permission_label
from kis.tests.factories import UserFactory
from participants.tests.factories import ParticipantFactory
from projects.models import StaffMember
from projects.tests.factories import ProjectFactory, ProjectStaffFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

PASSWORD = "bardzo-dlugie-haslo-2026"
# Django's generic Polish: every gender at once.
UNGRAMMATICAL = re.compile(r"\((a|-ło|-na|-ne|go|-ną|-ny|-nych)\)")


def test_every_model_in_admin_has_polish_names():
    untranslated = []
    for model in admin.site._registry:
        opts = model._meta
        with translation.override("en"):
            english = (str(opts.verbose_name), str(opts.verbose_name_plural))
            app_en = str(apps.get_app_config(opts.app_label).verbose_name)
        with translation.override("pl"):
            polish = (str(opts.verbose_name), str(opts.verbose_name_plural))
            app_pl = str(apps.get_app_config(opts.app_label).verbose_name)
        if polish[0] == english[0] or polish[1] == english[1]:
            untranslated.append(opts.label)
        if app_pl == app_en and opts.app_label not in ("kis",):  # "KIS" is a name
            untranslated.append(opts.app_label)
    assert untranslated == []


def test_the_sidebar_and_the_messages_read_in_polish(administrator_client):
    index = administrator_client.get(reverse("admin:index")).content.decode()
    for polish in ("Blokady logowania", "Dziennik zmian", "Nieudane logowania", "Zadania w tle"):
        assert polish in index
    for english in ("Axes", "Audit log", "Access failures", "Task Results", "Access attempts"):
        assert english not in index
    changelist = administrator_client.get(reverse("admin:projects_staffmember_changelist"))
    text = changelist.content.decode()
    assert "Dodaj: członek kadry" in text and "Wybierz do zmiany: członek kadry" in text
    response = administrator_client.post(
        reverse("admin:projects_staffmember_add"),
        {
            "first_name": "Anna",
            "last_name": "Nowa",
            "sex": "F",
            "role": "social_worker",
            "employment_type": "employment",
            "hours_per_week": "40",
            "is_active": "on",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Dodano: członek kadry „" in page, re.findall(r"errorlist.{0,300}", page)
    assert not UNGRAMMATICAL.search(page)


def test_permissions_are_named_in_polish(administrator_client):
    add = Permission.objects.get(codename="add_participant")
    own = Permission.objects.get(codename="view_all_participants")
    assert permission_label(add) == "Uczestnicy | Uczestnicy | dodawanie"
    with translation.override("pl"):
        expected = translation.gettext("Can see every participant of the centre")
    assert permission_label(own) == f"Uczestnicy | Uczestnicy | {expected}"
    assert "Can " not in expected
    group = Group.objects.get(name=roles.CASEWORKER)
    page = administrator_client.get(reverse("admin:auth_group_change", args=[group.pk]))
    text = page.content.decode()
    assert "Uczestnicy | Uczestnicy | dodawanie" in text
    assert "Can add" not in text and "Can change" not in text
    user_page = administrator_client.get(reverse("admin:auth_user_change", args=[group.pk]))
    assert "Can add log entry" not in user_page.content.decode()


# --- user accounts through the service, the staff link on the user's page ------------------


def _user_form(account: User, **changes) -> dict:
    data = {
        "username": account.username,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "is_active": "on",
        "groups": [g.pk for g in account.groups.all()],
        "user_permissions": [],
        "staff_member": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_user_is_added_and_linked_to_the_staff_record(administrator_client):
    member = StaffMemberFactory(first_name="Ewa", last_name="Kadrowa")
    response = administrator_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "ewa",
            "first_name": "Ewa",
            "last_name": "Kadrowa",
            "email": "ewa@kis.example.pl",
            "staff_member": member.pk,
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = User.objects.get(username="ewa")
    assert account.check_password(PASSWORD)
    member.refresh_from_db()
    assert member.user == account


def test_the_users_page_links_and_unlinks_the_staff_record(administrator_client):
    account = UserFactory(role=roles.CASEWORKER, first_name="Jan", last_name="Nowy")
    before = StaffMemberFactory(user=account)
    after = StaffMemberFactory(first_name="Jan", last_name="Nowy")
    url = reverse("admin:auth_user_change", args=[account.pk])
    page = administrator_client.get(url).content.decode()
    assert 'name="staff_member"' in page
    response = administrator_client.post(url, _user_form(account, staff_member=after.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    before.refresh_from_db()
    after.refresh_from_db()
    assert before.user is None and after.user == account
    assert StaffMember.objects.filter(user=account).count() == 1


def test_a_refused_account_is_shown_not_saved(administrator_client):
    account = UserFactory(role=roles.CASEWORKER)
    other = UserFactory()
    url = reverse("admin:auth_user_change", args=[account.pk])
    response = administrator_client.post(url, _user_form(account, username=other.username))
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.username != other.username


def test_the_password_page_saves_through_the_service(administrator_client, administrator):
    account = UserFactory(role=roles.CASEWORKER)
    url = reverse("admin:auth_user_password_change", args=[account.pk])
    short = administrator_client.post(
        url, {"usable_password": "true", "password1": "krotkie", "password2": "krotkie"}
    )
    assert short.status_code == 200
    response = administrator_client.post(
        url, {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


def test_the_user_admin_writes_through_the_service(monkeypatch, administrator_client):
    """The page calls kis.services.user_account_save (no save of its own)."""
    import kis.admin

    calls = []
    original = kis.admin.user_account_save

    def spy(**kwargs):
        calls.append(kwargs["username"])
        return original(**kwargs)

    monkeypatch.setattr(kis.admin, "user_account_save", spy)
    account = UserFactory(role=roles.CASEWORKER)
    url = reverse("admin:auth_user_change", args=[account.pk])
    administrator_client.post(url, _user_form(account, first_name="Zmienione"))
    assert calls == [account.username]
    account.refresh_from_db()
    assert account.first_name == "Zmienione"


# --- a caseworker who sees nobody --------------------------------------------------------------


def test_a_caseworker_without_a_staff_record_is_told_why(caseworker_client):
    ParticipantFactory()
    page = caseworker_client.get(reverse("participants:list")).content.decode()
    assert "nie jest połączone z rekordem kadry" in page


def test_a_caseworker_in_no_project_is_told_why(caseworker, caseworker_client):
    StaffMemberFactory(user=caseworker)
    ParticipantFactory()
    page = caseworker_client.get(reverse("participants:list")).content.decode()
    assert "nie jesteś przypisany(-a) do żadnego projektu" in page
    ProjectStaffFactory(staff_member=caseworker.staff_member, project=ProjectFactory())
    page = caseworker_client.get(reverse("participants:list")).content.decode()
    assert "Nie widzisz jeszcze nikogo" not in page


def test_a_manager_is_not_told_anything(manager_client):
    page = manager_client.get(reverse("participants:list")).content.decode()
    assert "Nie widzisz jeszcze nikogo" not in page
