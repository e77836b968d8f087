"""The static typing that CI runs (mypy.ini, `.venv/bin/mypy`) is strict enough to find
what it is there for: an exception class turned into a function by a decorator (the old
`@transaction.atomic class EditConflict`, whose `except EditConflict:` raised
TypeError), untyped parameters of services and selectors (`recorded_by` without a
type), errors inside unannotated functions, wrong calls of typed services, queries on
fields that do not exist, and `# type: ignore` comments nobody needs. Loosening
mypy.ini (or losing a plugin) fails these tests.

The snippets are checked in a package of their own, with the project's configuration
and its Django settings."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from mypy.config_parser import parse_config_file
from mypy.options import Options

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "mypy.ini"

PROBES = {
    # The bug of issue 13: the class is replaced with a function.
    "errors.py": """
        from django.core.exceptions import ValidationError
        from django.db import transaction


        @transaction.atomic  # expect: function-decorator-on-class
        class EditConflict(ValidationError):
            pass


        def save(form):
            try:
                form.save()
            except EditConflict:
                return False
            return True
    """,
    "services.py": """
        from django.contrib.auth.models import User

        from kis.lib.services import Actor


        def thing_record(*, thing: int, recorded_by) -> None:  # expect: no-untyped-def
            pass


        def thing_save(*, thing: int, user: Actor = None):  # expect: no-untyped-def
            pass


        def thing_delete(*, thing: int, recorded_by: User | None, user: Actor = None) -> None:
            pass
    """,
    "selectors.py": """
        def things_for(user):  # expect: no-untyped-def
            return []
    """,
    # Not a service: unannotated functions are allowed, but their bodies are checked.
    "views.py": """
        from participants.models import Participant
        from participants.services.people import enrolment_create


        def broken(request):
            return len(5)  # expect: arg-type


        def enrol(request, project):
            participant = Participant.objects.get(pk=1)
            enrolment_create(
                participant=participant,
                project=project,
                start_date="2026-01-01",  # expect: arg-type
                recorded_by=request.user,
            )


        def search(request):
            return Participant.objects.filter(no_such_field=1)  # expect: misc


        def fine(request):
            return Participant.objects.filter(last_name="Nowak")


        COUNT: int = 1  # type: ignore[assignment]  # expect: unused-ignore
    """,
}


def _expected() -> set[tuple[str, int, str]]:
    expected = set()
    for name, source in PROBES.items():
        for number, line in enumerate(textwrap.dedent(source).lstrip().splitlines(), start=1):
            if match := re.search(r"# expect: ([a-z-]+)", line):
                expected.add((name, number, match.group(1)))
    return expected


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory) -> str:
    package = tmp_path_factory.mktemp("typing") / "kisprobe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, source in PROBES.items():
        (package / name).write_text(textwrap.dedent(source).lstrip())
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(CONFIG), str(package)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 2: mypy itself failed
    return result.stdout


def _found(output: str) -> set[tuple[str, int, str]]:
    found = set()
    for line in output.splitlines():
        match = re.match(r".*kisprobe/(\w+\.py):(\d+): error: .*\[([a-z-]+)\]$", line)
        if match:
            found.add((match.group(1), int(match.group(2)), match.group(3)))
    return found


def test_mypy_finds_each_mistake_and_nothing_else(mypy_output):
    assert _found(mypy_output) == _expected(), mypy_output


def test_the_decorated_exception_class_is_named(mypy_output):
    assert '"atomic" replaces the class "EditConflict" with a function' in mypy_output


@pytest.mark.parametrize(
    "module",
    [
        "participants.services",
        "participants.services.people",
        "participants.services.support",
        "projects.services",
        "reports.services",
        "participants.selectors.rodo",
        "projects.selectors",
        "reports.selectors",
        "kis.lib.services",
        "kis.lib.admin",
    ],
)
def test_services_selectors_and_helpers_must_be_fully_typed(module):
    options = _options().clone_for_module(module)
    assert options.disallow_untyped_defs
    assert options.disallow_incomplete_defs


def test_the_whole_configuration():
    options = _options()
    assert options.check_untyped_defs
    assert options.warn_unused_ignores
    assert {"mypy_django_plugin.main", "kis/lib/mypy_plugin.py"} <= set(options.plugins)
    assert {"kis", "participants", "projects", "reports"} <= set(options.files or [])
    # Views and forms are checked but may leave functions unannotated.
    assert not options.clone_for_module("participants.views.support").disallow_untyped_defs


def _options() -> Options:
    options = Options()
    parse_config_file(options, lambda: None, str(CONFIG), stdout=sys.stdout, stderr=sys.stderr)
    return options
