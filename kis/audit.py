"""The record of reads and logins (AccessLog). Changes are recorded by django-auditlog."""

import re

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from kis.lib.client import client_address
from kis.models import AccessLog


def _entry(request, action: str, participant=None, what: str = "", user=None) -> AccessLog:
    user = user or getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return AccessLog(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        ip_address=client_address(request),
        action=action,
        participant=participant,
        participant_ref=participant.pk if participant is not None else None,
        what=what[:255],
    )


def access_log(request, action: str, participant=None, what: str = "", user=None) -> AccessLog:
    """Record that a user read, printed or exported personal data. `what` names the
    document, never a person's data."""
    entry = _entry(request, action, participant, what, user)
    entry.save()
    return entry


def access_log_people(request, action: str, participants, what: str = "") -> list[AccessLog]:
    """Record a read of a page or paper naming several people (an attendance list, the
    activity's grid): one entry per person, so that each one's history shows it; one
    entry without a person if it names nobody. One insert."""
    entries = [_entry(request, action, person, what) for person in participants]
    return AccessLog.objects.bulk_create(entries or [_entry(request, action, None, what)])


# What the access log's `what` says, in words a person reads in his or her subject-access
# export: the descriptions written by the views above (technical, in English, with the
# record's number) and their Polish. One that is not here is shown as it was written.
WHAT = [
    (r"card", _("the card")),
    (r"edit form", _("the form of the personal data")),
    (r"(job|diagnosis|social contract|placement) form \d+", _("the form of a record")),
    (r"attendance list, session \d+", _("the attendance list of a session")),
    (
        r"attendance list, activity \d+, (?P<month>\d+)/(?P<year>\d+)",
        _("the attendance list of a month"),
    ),
    (r"certificate( (?P<number>\S+))?", _("a certificate of completion")),
    (r"activity grid \d+", _("the attendance of an activity")),
    (r"roll call, session \d+", _("the roll call of a session")),
    (r"signed list, session \d+", _("the signed attendance list of a session")),
    (r"signed lists, (activity|project) \d+", _("the check of the signed attendance lists")),
    (r"subject access export \(PDF\)", _("everything held about the person (PDF)")),
    (r"subject access export \(JSON\)", _("everything held about the person (JSON)")),
    (r"social contract \S+", _("a social contract (PDF)")),
    (r"action plan \d+", _("an individual action plan (PDF)")),
    (r"information clause", _("the information clause (PDF)")),
    (r"admin: .*", _("a page of the administration")),
    (r"retention period over", _("the retention period was over")),
    (r"/.*", _("a page of the application")),
]


def what_label(what: str) -> str:
    """The access log's description of a document or page, for a person to read."""
    for pattern, label in WHAT:
        if re.fullmatch(pattern, what):
            return str(label)
    return what


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    access_log(request, AccessLog.Action.LOGIN, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        access_log(request, AccessLog.Action.LOGOUT, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    AccessLog.objects.create(
        username=str(credentials.get("username", ""))[:150],
        ip_address=client_address(request),
        action=AccessLog.Action.LOGIN_FAILED,
    )
