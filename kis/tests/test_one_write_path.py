"""One write path: the doors to the data (views, admin, management commands, the demo
data of kis/ and the apps) write only through the services, which hold the rules. A
guard over the source, and one over the admin pages Django builds (which save with
obj.save() unless told otherwise)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin

from kis.lib.admin import ReadOnlyInline, ServiceAdmin

ROOT = Path(settings.BASE_DIR)

# Methods that write when called on a model, a queryset, a manager, a related manager
# or a form.
WRITES = {
    "save",
    "save_m2m",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "update",
    "set",
    "add",
    "remove",
    "clear",
}

# Of these, also a set's or a list's own methods: in the demo's code a bare name
# (`taken.add(pk)`) is a local set or list, never a record (those are `obj.field.add`).
CONTAINER_METHODS = {"add", "remove", "clear", "update", "set"}

# A single call may write directly when it says why on its lines: `# direct write: …`.
LINE_ALLOWED = "# direct write: "

# Files of these doors allowed to write directly, with the reason.
ALLOWED = {
    "reports/management/commands/bench_reports.py": (
        "a benchmark: builds a synthetic year in a throwaway database of its own (never the "
        "settings' database), in bulk for speed"
    ),
    "participants/management/commands/bench_import.py": (
        "a benchmark: sets up its project and batch in a throwaway database of its own "
        "(refused if it is the settings'); the import itself runs through the services"
    ),
}


def door_modules() -> list[Path]:
    files = [
        *ROOT.glob("participants/views/*.py"),
        *ROOT.glob("projects/views.py"),
        *ROOT.glob("*/views.py"),
        *ROOT.glob("*/admin.py"),
        *ROOT.glob("*/management/commands/*.py"),
        *demo_modules(),
    ]
    return sorted({f for f in files if ".venv" not in f.parts})


def demo_modules() -> list[Path]:
    return [
        f for f in [*ROOT.glob("*/demo.py"), *ROOT.glob("*/demo_*.py")] if ".venv" not in f.parts
    ]


def direct_writes(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=str(path))
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    local_containers = path.name.startswith("demo")
    return [
        f"{name}:{node.lineno}: .{node.func.attr}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
        and not (
            local_containers
            and node.func.attr in CONTAINER_METHODS
            and isinstance(node.func.value, ast.Name)
        )
        and not any(LINE_ALLOWED in line for line in lines[node.lineno - 1 : node.end_lineno])
    ]


def test_the_guard_sees_the_doors_and_a_direct_write(tmp_path):
    names = {str(p.relative_to(ROOT)) for p in door_modules()}
    assert {
        "participants/views/people.py",
        "participants/views/support.py",
        "projects/views.py",
        "participants/admin.py",
        "projects/admin.py",
        "participants/management/commands/anonymise_participants.py",
        "kis/management/commands/demo.py",
        "kis/demo.py",
        "participants/demo.py",
        "participants/demo_support.py",
        "projects/demo.py",
    } <= names
    sample = tmp_path / "views.py"
    sample.write_text("def f(form, qs):\n    form.save()\n    qs.filter(a=1).update(b=2)\n")
    assert sorted(w.split(": ", 1)[1] for w in direct_writes(sample)) == [".save()", ".update()"]
    # The demo's code: a user's groups are a write, a local set is not; a line that
    # says why it writes directly is allowed.
    demo = tmp_path / "demo.py"
    demo.write_text(
        "def f(user, taken):\n"
        "    user.groups.set([])\n"
        "    taken.add(1)\n"
        "    User.objects.update_or_create(username='a')\n"
        "    user.save()  # direct write: a reason\n"
    )
    assert [w.split(": ", 1)[1] for w in direct_writes(demo)] == [".set()", ".update_or_create()"]


def test_no_view_admin_or_command_writes_past_the_services():
    found = [
        write
        for path in door_modules()
        if str(path.relative_to(ROOT)) not in ALLOWED
        for write in direct_writes(path)
    ]
    assert found == [], "Write through a service (or allow-list the file with a reason)"


# Editable catalogues: no personal or project data, and no rule beyond the model's own
# (full_clean in the admin's form). The admin's plain save is their service.
CATALOGUES = {
    "participants.exclusiongroup",
    "participants.dropoutreason",
    "participants.supportform",
    "projects.budgetcategory",
}


def _read_only(model_admin, request) -> bool:
    return not (
        model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
        or model_admin.has_delete_permission(request)
    )


@pytest.mark.django_db
def test_every_admin_of_personal_or_project_data_writes_through_services(rf, administrator):
    request = rf.get("/admin/")
    request.user = administrator
    checked = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if model._meta.app_label not in ("participants", "projects") or label in CATALOGUES:
            continue
        checked.append(label)
        if _read_only(model_admin, request):
            continue
        assert isinstance(model_admin, ServiceAdmin), label
        for inline in model_admin.get_inline_instances(request):
            if isinstance(inline, ReadOnlyInline):
                assert inline.note, f"{label}: say where {inline.model.__name__} is changed"
                continue
            assert inline.model in model_admin.inline_services, (label, inline.model)
    assert {"participants.participant", "participants.session", "projects.project"} <= set(checked)
