import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from kis import roles


def _state():
    return {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}


@pytest.mark.django_db
def test_migrations_create_the_roles_with_their_default_permissions():
    state = _state()
    assert set(roles.ROLES) <= set(state)
    for role in roles.ROLES:
        expected = {p.pk for p in roles.resolve_role_permissions(role)}
        assert state[role] == expected, role
    # The administrator can at least manage accounts.
    assert Permission.objects.get(codename="add_user").pk in state[roles.ADMINISTRATOR]


@pytest.mark.django_db
def test_setup_roles_is_idempotent():
    call_command("setup_roles", verbosity=0)
    first = _state()
    call_command("setup_roles", verbosity=0)
    assert _state() == first
    assert Group.objects.filter(name__in=roles.ROLES).count() == len(roles.ROLES) == 4


@pytest.mark.django_db
def test_setup_roles_recreates_a_deleted_group_and_resets_permissions():
    Group.objects.filter(name=roles.ADMINISTRATOR).delete()
    caseworkers = Group.objects.get(name=roles.CASEWORKER)
    caseworkers.permissions.add(Permission.objects.get(codename="delete_user"))
    call_command("setup_roles", verbosity=0)
    assert Group.objects.filter(name=roles.ADMINISTRATOR).exists()
    assert not caseworkers.permissions.filter(codename="delete_user").exists()


@pytest.mark.django_db
def test_migration_grant_only_adds(django_db_blocker):
    from django.apps import apps

    extra = Permission.objects.get(codename="delete_group")
    Group.objects.get(name=roles.CASEWORKER).permissions.add(extra)
    roles.grant_role_permissions(apps, ["auth"])
    roles.grant_role_permissions(apps, ["auth"])
    assert Group.objects.get(name=roles.CASEWORKER).permissions.filter(pk=extra.pk).exists()


def test_unknown_permission_in_defaults_is_an_error(db, monkeypatch):
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, roles.MANAGER, ("auth.no_such_permission",))
    with pytest.raises(LookupError):
        roles.resolve_role_permissions(roles.MANAGER)
