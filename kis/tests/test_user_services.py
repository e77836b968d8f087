"""User accounts are written through kis.services.user_account_save (the demo too)."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from kis import roles
from kis.demo import DEMO_PASSWORD, demo_users_create
from kis.services import user_account_save

pytestmark = pytest.mark.django_db


def _save(**overrides):
    values = {
        "username": "trener",
        "first_name": "Jan",
        "last_name": "Trenerski",
        "email": "trener@kis.example.pl",
        "role": roles.CASEWORKER,
        "password": "bardzo-dlugie-haslo-2026",
    } | overrides
    return user_account_save(**values)


def test_an_account_is_created_and_reset_with_exactly_one_role():
    user = _save()
    assert user.check_password("bardzo-dlugie-haslo-2026")
    assert [g.name for g in user.groups.all()] == [roles.CASEWORKER]
    again = _save(role=roles.MANAGER, first_name="Janusz", password=None)
    assert again.pk == user.pk and again.first_name == "Janusz"
    assert [g.name for g in again.groups.all()] == [roles.MANAGER]
    assert again.check_password("bardzo-dlugie-haslo-2026")  # no password: unchanged


def test_the_rules_hold():
    with pytest.raises(ValidationError):
        _save(password="krotkie")  # the password rules (12 characters)
    with pytest.raises(ValidationError):
        _save(role="Szef")
    with pytest.raises(ValidationError):
        _save(username="ma spację")
    assert not User.objects.exists()


def test_only_who_may_add_users(caseworker, administrator):
    with pytest.raises(PermissionDenied):
        _save(user=caseworker)
    assert _save(user=administrator).username == "trener"


def test_the_demo_users_come_through_the_service():
    users = demo_users_create()
    assert [u.username for u in users] == ["admin", "kierownik", "pracownik"]
    assert all(u.check_password(DEMO_PASSWORD) for u in users)
    assert users[0].is_superuser and users[0].is_staff
    assert [g.name for g in users[1].groups.all()] == [roles.MANAGER]
