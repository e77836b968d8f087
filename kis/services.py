"""Writes of user accounts: the people who use KIS, with their role (kis/roles.py).
Administrators manage accounts in Django admin (auth's own pages); code that sets up
accounts (the demo, later an import of a centre's staff) writes through here."""

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kis import roles
from kis.lib.services import Actor, permission_check

if TYPE_CHECKING:
    from kis.models import KeptForm


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


def kept_form_store(*, user_id: int, path: str, data: list, had_files: bool) -> str:
    """Keep a form sent after `user_id`'s session ended (kis/sessions.py); returns the
    random token that finds it. Forms kept longer than KIS_KEPT_FORM_MINUTES go."""
    from django.conf import settings
    from django.utils import timezone

    from kis.models import KeptForm

    cutoff = timezone.now() - timedelta(minutes=settings.KIS_KEPT_FORM_MINUTES)
    KeptForm.objects.filter(created_at__lt=cutoff).delete()
    token = secrets.token_urlsafe(32)
    kept = KeptForm(token=token, user_id=user_id, path=path, data=data, had_files=had_files)
    kept.full_clean()
    kept.save()
    return token


def kept_form_take(*, token: str, user: User, path: str) -> "KeptForm | None":
    """The form kept for `user` on `path` under `token`, deleted as it is taken (filled
    in once); None when there is none, or it is another user's, or too old. Forms kept
    longer than KIS_KEPT_FORM_MINUTES go (here and when one is kept)."""
    from django.conf import settings
    from django.utils import timezone

    from kis.models import KeptForm

    cutoff = timezone.now() - timedelta(minutes=settings.KIS_KEPT_FORM_MINUTES)
    KeptForm.objects.filter(created_at__lt=cutoff).delete()
    kept = KeptForm.objects.filter(
        token=token, user=user, path=path, created_at__gte=cutoff
    ).first()
    if kept is not None:
        KeptForm.objects.filter(pk=kept.pk).delete()
    return kept
