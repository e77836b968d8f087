"""Searching the audit trail by person, user and date."""

from datetime import date, datetime, time

from auditlog.models import LogEntry
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis.models import AccessLog


class AuditFilterForm(forms.Form):
    participant = forms.IntegerField(
        label=_("Participant (number from the card's address)"), required=False, min_value=1
    )
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("dd.mm.yyyy")}),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("dd.mm.yyyy")}),
    )


def _period(field: str, date_from: date | None, date_to: date | None) -> Q:
    condition = Q()
    zone = timezone.get_current_timezone()
    if date_from:
        condition &= Q(**{f"{field}__gte": datetime.combine(date_from, time.min, zone)})
    if date_to:
        condition &= Q(**{f"{field}__lte": datetime.combine(date_to, time.max, zone)})
    return condition


def change_values(change) -> tuple[str, str]:
    """A recorded field change as (old, new) text. auditlog writes a many-to-many change
    as a dict: the names removed are shown as old, those added as new."""
    if isinstance(change, dict):
        names = ", ".join(str(name) for name in change.get("objects", []))
        return (names, "") if change.get("operation") == "delete" else ("", names)
    if isinstance(change, list | tuple) and len(change) == 2:
        return str(change[0]), str(change[1])
    return "", str(change)


def shown_changes(entries, user) -> list[dict]:
    """The changes of each entry as the audit page shows them: field, old and new value,
    the values of sensitive data (health, addiction, disability, prison) hidden from
    users without the permission to see them."""
    from participants.selectors.people import (
        can_see_sensitive,
        is_sensitive_change,
        sensitive_group_names,
    )

    shows_sensitive = can_see_sensitive(user)
    group_names = set() if shows_sensitive else sensitive_group_names()
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        changes = []
        for field, change in (entry.changes_dict or {}).items():
            hidden = not shows_sensitive and is_sensitive_change(model, field, change, group_names)
            old, new = ("", "") if hidden else change_values(change)
            changes.append({"field": field, "old": old, "new": new, "hidden": hidden})
        rows.append({"entry": entry, "changes": changes})
    return rows


def reads_for(participant=None, user="", date_from=None, date_to=None) -> QuerySet[AccessLog]:
    entries = AccessLog.objects.filter(_period("at", date_from, date_to))
    if participant:
        entries = entries.filter(participant_ref=participant)
    if user:
        entries = entries.filter(username__icontains=user)
    return entries.order_by("-at", "-pk")


def _participant_objects(pk: int) -> Q:
    """LogEntries of the participant and of every record about him or her (the registry
    of personal data), deleted records included."""
    from participants.personal_data import row_ids

    ids = row_ids(pk)
    types = ContentType.objects.get_for_models(*ids)
    condition = Q(pk__in=[])
    for model, pks in ids.items():
        condition |= Q(content_type=types[model], object_id__in=sorted(pks))
    return condition


def changes_for(participant=None, user="", date_from=None, date_to=None) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.filter(_period("timestamp", date_from, date_to))
    if participant:
        entries = entries.filter(_participant_objects(participant))
    if user:
        entries = entries.filter(actor__username__icontains=user)
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")
