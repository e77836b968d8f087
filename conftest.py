"""Fixtures shared by every app's tests: one signed-in client per role."""

import pytest
from django.core.management import call_command
from django.test import Client

from kis import roles
from kis.tests.factories import UserFactory
from kis.translations import translations_outdated


def pytest_sessionstart(session):
    # The .mo files are build products (git-ignored); compile them if a .po changed so
    # that a bare `pytest` tests the Polish interface the user will see.
    if translations_outdated():
        call_command("compilemessages", verbosity=0, ignore_patterns=[".venv/*", "node_modules/*"])
        # Catalogues read while Django started are cached, by Django and by Python's
        # gettext (per .mo file): drop them.
        import gettext

        from django.utils.translation import trans_real

        gettext._translations.clear()
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture
def caseworker(db):
    return UserFactory(role=roles.CASEWORKER, first_name="Ewa", last_name="Ślusarczyk")


@pytest.fixture
def manager(db):
    return UserFactory(role=roles.MANAGER, first_name="Jerzy", last_name="Kowalczyk")


@pytest.fixture
def administrator(db):
    return UserFactory(
        role=roles.ADMINISTRATOR,
        first_name="Zofia",
        last_name="Adamczyk",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def no_role_user(db):
    return UserFactory(first_name="Jan", last_name="Bezrolny")


def _client_for(user) -> Client:
    # A client of its own, so that a test may use several roles side by side.
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def caseworker_client(caseworker):
    return _client_for(caseworker)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)


@pytest.fixture
def administrator_client(administrator):
    return _client_for(administrator)
