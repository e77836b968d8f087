"""Fixtures shared by every app's tests: one signed-in client per role, all making
requests as production receives them; opt-in departures from production settings."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from kis import roles
from kis.tests.clients import https_client
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


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """The static files collected as production has them (`collectstatic`: hashed names
    in a manifest, served by WhiteNoise), once per run, into a temporary STATIC_ROOT: a
    page naming a static file that does not exist fails as it would in production.

    Two things only take less time: the compressed copies (.gz, .br) are not made (the
    same files, smaller, whose compression takes a minute), and WhiteNoise looks a file
    up in STATIC_ROOT when it is asked for (WHITENOISE_AUTOREFRESH) instead of listing
    them all when it starts, which the test client makes it do for every client. The
    pages, the files and their addresses are the same."""
    from django.contrib.staticfiles.finders import get_finders

    root = tmp_path_factory.mktemp("staticfiles")
    extensions = {Path(p).suffix.lstrip(".") for f in get_finders() for p, _ in f.list([])}
    with override_settings(
        STATIC_ROOT=root,
        WHITENOISE_SKIP_COMPRESS_EXTENSIONS=extensions,
        WHITENOISE_AUTOREFRESH=True,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@pytest.fixture
def client() -> Client:
    """pytest-django's anonymous client, over HTTPS like every request in production."""
    return https_client()


@pytest.fixture
def caseworkers_see_all(settings):
    """A small centre's choice (KIS_CASEWORKERS_SEE_ALL): every caseworker sees every
    participant. For tests about a feature, not about who sees whom; without it a
    caseworker sees only the people of his or her projects and activities."""
    settings.KIS_CASEWORKERS_SEE_ALL = True


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files (scans of signed lists, logos) go to a temporary MEDIA_ROOT rather
    than the checkout's media/ folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
    client = https_client()
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


@pytest.fixture(autouse=True)
def tasks_run_immediately(request, settings):
    """Background tasks (kis/jobs.py) run at once, inside the request that enqueues
    them (django-tasks' immediate backend), in every test: no worker runs beside the
    tests, and a test of an import wants its dry run's report, not a row in a queue.
    This is the one departure from production's TASKS (the database backend), so it is
    a fixture here rather than kis/settings_test.py, which changes only the hasher,
    caches and e-mail. A test marked `task_queue` keeps production's database backend
    and runs the worker itself (`call_command("db_worker", "--batch")`)."""
    if request.node.get_closest_marker("task_queue") is None:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
