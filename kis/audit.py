"""The record of reads and logins (AccessLog). Changes are recorded by django-auditlog:
every model of the apps is registered (`audit_register`, from each app's ready()) but
those in NOT_AUDITED, with the reason (kis/tests/test_audit_registration.py)."""

from collections.abc import Iterable

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Model
from django.dispatch import receiver

from kis.lib.client import client_address
from kis.models import AccessLog

# Models whose changes are not recorded, and why.
NOT_AUDITED = {
    "kis.AccessLog": "the access log is itself a record, append-only (no edit, no delete)",
    # An import's own records: what it changes in people's data is recorded by the
    # participants' services it calls; copying its file's rows into the audit trail
    # would keep them after the batch drops them.
    "participants.ImportBatch": "the import's working copy and report; its writes are "
    "audited through the services",
    "participants.ImportChange": "the import's before-images for undo; the changes "
    "themselves are audited through the services",
    "kis.BackgroundJob": "the worker's own progress notes for one user; what a job changes "
    "is recorded by the services it calls",
    # A form sent after the session expired (kis/kept_forms.py): the user's own unsaved
    # typing, kept 30 minutes for him or her alone and deleted once offered back;
    # copying it into the audit trail would keep it for years.
    "kis.KeptForm": "a user's unsaved form kept across the login for 30 minutes; "
    "nothing is saved from it until the user sends the form again",
}


def audit_register(
    *models: type[Model], exclude: Iterable[str] = ("created_at", "updated_at")
) -> None:
    """Record every create, update and delete of these models with the changed fields,
    the user and the address (django-auditlog): who changed a budget, a project's
    dates or a session is on record like a change of personal data. Plain many-to-many
    fields (an activity's staff) are recorded with the record; those with a model of
    their own (a project's team) through that model."""
    from auditlog.registry import auditlog

    for model in models:
        m2m = {
            field.name
            for field in model._meta.many_to_many
            if (through := field.remote_field.through) is not None and through._meta.auto_created
        }
        auditlog.register(model, exclude_fields=list(exclude), m2m_fields=m2m)


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
