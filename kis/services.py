"""Writes of user accounts: the people who use KIS, with their role (kis/roles.py).
Administrators manage accounts in Django admin (kis/admin.py: the user's page saves
through here, the password page too); code that sets up accounts (the demo, later an
import of a centre's staff) writes through here as well."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kis import roles
from kis.lib.services import Actor, permission_check

if TYPE_CHECKING:
    from projects.models import StaffMember


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


# A keyword not given: the account keeps what it has.
UNCHANGED = _Unchanged()


@transaction.atomic
def user_account_save(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str | None = None,
    groups: Iterable[Group] | None = None,
    permissions: Iterable[Permission] | None = None,
    password: str | None = None,
    usable_password: bool = True,
    is_staff: bool = False,
    is_superuser: bool = False,
    is_active: bool = True,
    account: User | None = None,
    staff_member: "StaffMember | None | _Unchanged" = UNCHANGED,
    user: Actor = None,
) -> User:
    """Create the account `username`, or bring an existing one (`account`, or the one of
    that name) to these values: with exactly the one role given (a group of kis.roles),
    or exactly `groups` (admin), the `permissions` of its own if given, and, if given, a
    new password that passes the password rules (AUTH_PASSWORD_VALIDATORS);
    `usable_password=False` turns signing in with a password off. `staff_member` links
    the account to that staff member (and unlinks the one linked before; None: to
    nobody)."""
    account = account or User.objects.filter(username=username).first() or User()
    permission_check(user, "auth.change_user" if account.pk else "auth.add_user")
    if role is not None:
        if role not in roles.ROLES:
            raise ValidationError({"role": _("Unknown role.")})
        groups = [Group.objects.get(name=role)]
    account.username = username
    account.first_name, account.last_name, account.email = first_name, last_name, email
    account.is_staff, account.is_superuser, account.is_active = is_staff, is_superuser, is_active
    if not usable_password:
        account.set_unusable_password()
    elif password is not None:
        validate_password(password, account)
        account.set_password(password)
    elif not account.pk:
        account.set_unusable_password()
    account.full_clean()
    account.save()
    if groups is not None:
        account.groups.set(groups)
    if permissions is not None:
        account.user_permissions.set(permissions)
    if not isinstance(staff_member, _Unchanged):
        _link_staff_member(account, staff_member, user)
    return account


def _link_staff_member(account: User, member: "StaffMember | None", user: Actor) -> None:
    """One account belongs to one staff member at most: the one linked before is
    unlinked (through the staff member's service, which checks and audits)."""
    from projects.models import StaffMember
    from projects.services import staff_member_save

    linked = StaffMember.objects.filter(user=account)
    if member is not None:
        linked = linked.exclude(pk=member.pk)
    for previous in linked:
        previous.user = None
        staff_member_save(member=previous, user=user)
    if member is not None and member.user_id != account.pk:
        member.user = account
        staff_member_save(member=member, user=user)


@transaction.atomic
def user_password_set(*, account: User, password: str | None, user: Actor = None) -> User:
    """A new password for the account (checked against the password rules), or None:
    signing in with a password turned off."""
    permission_check(user, "auth.change_user")
    if password is None:
        account.set_unusable_password()
    else:
        validate_password(password, account)
        account.set_password(password)
    account.save(update_fields=["password"])
    return account
