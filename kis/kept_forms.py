"""Writes of the forms kept after a session ended (kis/sessions.py): kept on the
server for their user only, deleted once filled in again or after
KIS_KEPT_FORM_MINUTES."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from kis.models import KeptForm


def kept_form_store(*, user_id: int, path: str, data: list, had_files: bool) -> str:
    """Keep a form sent after `user_id`'s session ended (kis/sessions.py); returns the
    random token that finds it. Forms kept longer than KIS_KEPT_FORM_MINUTES go."""
    cutoff = timezone.now() - timedelta(minutes=settings.KIS_KEPT_FORM_MINUTES)
    KeptForm.objects.filter(created_at__lt=cutoff).delete()
    token = secrets.token_urlsafe(32)
    kept = KeptForm(token=token, user_id=user_id, path=path, data=data, had_files=had_files)
    kept.full_clean()
    kept.save()
    return token


def kept_form_take(*, token: str, user: User, path: str) -> KeptForm | None:
    """The form kept for `user` on `path` under `token`, deleted as it is taken (filled
    in once); None when there is none, or it is another user's, or too old. Forms kept
    longer than KIS_KEPT_FORM_MINUTES go (here and when one is kept)."""
    cutoff = timezone.now() - timedelta(minutes=settings.KIS_KEPT_FORM_MINUTES)
    KeptForm.objects.filter(created_at__lt=cutoff).delete()
    kept = KeptForm.objects.filter(
        token=token, user=user, path=path, created_at__gte=cutoff
    ).first()
    if kept is not None:
        KeptForm.objects.filter(pk=kept.pk).delete()
    return kept
