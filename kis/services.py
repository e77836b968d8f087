"""Writes of user accounts: the people who use KIS, with their role (kis/roles.py).
Administrators manage accounts in Django admin (auth's own pages); code that sets up
accounts (the demo, later an import of a centre's staff) writes through here."""

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kis import roles
from kis.lib.services import Actor, permission_check


@transaction.atomic
def user_account_save(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    password: str | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
    user: Actor = None,
) -> User:
    """Create the account `username`, or bring an existing one to these values: active,
    with exactly the one role given (a group of kis.roles) and, if given, a new password
    that passes the password rules (AUTH_PASSWORD_VALIDATORS)."""
    account = User.objects.filter(username=username).first() or User(username=username)
    permission_check(user, "auth.change_user" if account.pk else "auth.add_user")
    if role not in roles.ROLES:
        raise ValidationError({"role": _("Unknown role.")})
    account.first_name, account.last_name, account.email = first_name, last_name, email
    account.is_staff, account.is_superuser, account.is_active = is_staff, is_superuser, True
    if password is not None:
        validate_password(password, account)
        account.set_password(password)
    elif not account.pk:
        account.set_unusable_password()
    account.full_clean()
    account.save()
    account.groups.set([Group.objects.get(name=role)])
    return account
