"""Failed logins: a growing delay per user name and client address (django-axes).

A hard lock-out per user name can be turned against a known user: anybody who knows
the name `pracownik` could keep its owner out by typing wrong passwords. So failures
count per user name *and* client address (the real one, `kis.lib.client`), and after
AXES_FAILURE_LIMIT of them that name waits from that address, first
KIS_LOGIN_FIRST_DELAY, then twice as long after each further failure, up to
AXES_COOLOFF_TIME. Attempts made while waiting are refused without counting. The same
user at another computer is not affected; an hour without failures, or a successful
login, starts the count again.
"""

import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone

# Longer user names are not user names (auth.User allows 150 characters): they are
# cut so that the record of the attempt fits in its column.
USERNAME_MAX_LENGTH = 150


def login_username(request, credentials: dict | None = None) -> str | None:
    """The user name of a login attempt as django-axes records it (AXES_USERNAME_CALLABLE):
    without NUL characters, which PostgreSQL cannot store, and at most 150 characters."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if username is None:
        return None
    return str(username).replace("\x00", "")[:USERNAME_MAX_LENGTH]


def delay_after(failures: int, limit: int, cool_off: timedelta) -> timedelta:
    """How long a user name waits after `failures` failures (`limit` or more)."""
    first = settings.KIS_LOGIN_FIRST_DELAY
    doublings = failures - limit
    if first >= cool_off or doublings >= 32:  # 2**32 minutes: far beyond any cool-off
        return cool_off
    return min(first * 2**doublings, cool_off)


class GrowingDelayHandler(AxesDatabaseHandler):
    """django-axes' database handler with a growing delay instead of a fixed lock."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit:
            return failures
        latest = [
            attempts.aggregate(last=Max("attempt_time"))["last"]
            for attempts in self.get_user_attempts(request, credentials)
        ]
        now = request.axes_attempt_time or timezone.now()
        last = max((moment for moment in latest if moment), default=now)
        until = last + delay_after(failures, limit, get_cool_off(request))
        if now < until:
            request.kis_login_wait_until = until
            return failures
        # The wait is over: one more try (a failure makes the next wait longer).
        return limit - 1


def lockout_response(request, original_response=None, credentials=None):
    """The page shown while a user name waits (AXES_LOCKOUT_CALLABLE), with how long."""
    until = getattr(request, "kis_login_wait_until", None)
    seconds = (until - timezone.now()).total_seconds() if until else 60
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": max(1, math.ceil(seconds / 60))},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
