"""Searching the audit trail by person, user and date."""

import contextlib
from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kis.lib.formats import format_number
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


def field_of(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def field_label(model: type[models.Model] | None, name: str) -> str:
    """A recorded field as the forms name it (its verbose name), not its code."""
    field = field_of(model, name)
    return capfirst(str(field.verbose_name)) if field is not None else name


class RecordNames:
    """The names of records the audit entries point at (a participant, a project, an
    activity…), found with one query a model for a whole page: ids are collected first
    (`want`), then named (`name`). A record deleted since is shown by its number."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[int]] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], int], str] = {}
        self.resolved = False

    def want(self, model: type[models.Model] | None, pk: object) -> None:
        if model is not None and (number := _number(pk)) is not None:
            self.wanted[model].add(number)

    def name(self, model: type[models.Model] | None, pk: object) -> str:
        if not self.resolved:
            for wanted, pks in self.wanted.items():
                for obj in wanted._default_manager.select_related().filter(pk__in=pks):
                    self.found[(wanted, obj.pk)] = str(obj)
            self.resolved = True
        number = _number(pk)
        if model is None or number is None:
            return str(pk)
        return self.found.get((model, number), f"#{number}")


def _number(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def readable_value(field: models.Field | None, value: str, names: RecordNames) -> str:
    """A value as auditlog stored it (text) as the application shows it: the name of a
    choice, yes/no, a date as 22.11.2026, an amount as 1 500,00, a record by its name."""
    if value in ("", "None"):
        return ""
    if field is None:
        return value
    if field.many_to_one or field.one_to_one:
        return names.name(field.related_model, value)  # type: ignore[arg-type]  # a model
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value == "True" else _("no") if value == "False" else value)
    try:
        if isinstance(field, models.DateTimeField):
            moment = datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%d.%m.%Y %H:%M")
        if isinstance(field, models.DateField):
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        if isinstance(field, models.DecimalField):
            return format_number(Decimal(value), field.decimal_places)
    except (ValueError, InvalidOperation):
        return value
    return value


def _want_names(model: type[models.Model] | None, entry: LogEntry, names: RecordNames) -> None:
    for name, change in (entry.changes_dict or {}).items():
        field = field_of(model, name)
        if field is None or not (field.many_to_one or field.one_to_one):
            continue
        if isinstance(change, list | tuple):
            for value in change:
                names.want(field.related_model, value)  # type: ignore[arg-type]  # a model
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    if "participant" in data:
        from participants.models import Participant

        names.want(Participant, data["participant"])


def record_text(entry: LogEntry, names: RecordNames) -> str:
    """What the entry is about: the kind of record and the record as it was named then,
    with the person of a roll-call mark (whose entry names only its number)."""
    from participants.models import Participant

    kind = capfirst(str(entry.content_type.name))
    text = entry.object_repr or f"#{entry.object_id}"
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    if "participant" in data:
        text = f"{text}, {names.name(Participant, data['participant'])}"
    return f"{kind}: {text}"


def _merge_change(entry: LogEntry) -> dict | None:
    """The merge of a duplicate (participants.services.merge): the merged-away record's
    identity, which is kept here only."""
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    identity = data.get("merged_identity")
    if not isinstance(identity, dict):
        return None
    born = identity.get("birth_date") or ""
    with contextlib.suppress(ValueError):
        born = date.fromisoformat(born).strftime("%d.%m.%Y")
    old = " ".join(
        str(part)
        for part in (
            f"#{identity.get('id', '')}",
            identity.get("first_name", ""),
            identity.get("last_name", ""),
            f"PESEL {identity['pesel']}" if identity.get("pesel") else "",
            born,
        )
        if part
    )
    return {"field": str(_("merged duplicate record")), "old": old, "new": "", "hidden": False}


def _not_data(model: type[models.Model] | None, name: str) -> bool:
    """What auditlog records that is no data to read: the record's number (shown with
    the record) and the other side of relations ("participants.Enrolment.None")."""
    if model is None:
        return False
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return not isinstance(field, models.Field) or bool(field.primary_key)


def shown_changes(entries, user) -> list[dict]:
    """The changes of each entry as the audit page shows them, for a data protection
    officer: the field by its label, old and new values as the application shows them
    (choices by name, dates and amounts the Polish way, people, projects and other
    records by name), the record by its name; the values of sensitive data (health,
    addiction, disability, prison) hidden from users without the permission to see
    them."""
    from participants.selectors.people import (
        can_see_sensitive,
        is_sensitive_change,
        sensitive_group_names,
    )

    shows_sensitive = can_see_sensitive(user)
    group_names = set() if shows_sensitive else sensitive_group_names()
    entries = list(entries)
    names = RecordNames()
    for entry in entries:
        _want_names(entry.content_type.model_class(), entry, names)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        changes = []
        for name, change in (entry.changes_dict or {}).items():
            if _not_data(model, name):
                continue
            hidden = not shows_sensitive and is_sensitive_change(model, name, change, group_names)
            old, new = ("", "") if hidden else change_values(change)
            field = field_of(model, name)
            if not hidden and not isinstance(change, dict):
                old, new = readable_value(field, old, names), readable_value(field, new, names)
                if not old and not new:
                    continue  # an empty field of a new record
            changes.append(
                {"field": field_label(model, name), "old": old, "new": new, "hidden": hidden}
            )
        if merge := _merge_change(entry):
            changes.append(merge)
        rows.append(
            {
                "entry": entry,
                "changes": changes,
                "record": record_text(entry, names),
                "action": entry.get_action_display(),
            }
        )
    return rows


# The numbers in access-log texts that name a record (kis.models.WHAT_PATTERNS).
NAMED_IN_READS = {"activity": "participants.Activity", "session": "participants.Session"}


def read_texts(entries) -> dict[int, str]:
    """What each access-log entry was a read of, in words, with the activities and
    sessions it names by name ("lista obecności, spotkanie Trening – 07.03.2017 16:00"):
    one query a kind of record for the whole page."""
    from django.apps import apps

    from kis.models import WHAT_PATTERNS, what_text

    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        for pattern, _text in WHAT_PATTERNS:
            if match := pattern.fullmatch(entry.what):
                for key in NAMED_IN_READS:
                    if (number := _number(match.groupdict().get(key, ""))) is not None:
                        wanted[key].add(number)
                break
    named: dict[str, dict[str, str]] = {}
    for key, pks in wanted.items():
        model = apps.get_model(NAMED_IN_READS[key])
        named[key] = {
            str(obj.pk): f"„{obj}”"
            for obj in model._default_manager.select_related().filter(pk__in=pks)
        }
    return {entry.pk: what_text(entry.what, named) for entry in entries}


def participant_names(entries) -> dict[int, str]:
    """The names of the people of access-log entries (one query); a person deleted
    since (merged away) is not among them."""
    from participants.models import Participant

    pks = {e.participant_ref for e in entries if e.participant_ref}
    return {
        p.pk: f"{p.last_name} {p.first_name}"
        for p in Participant.objects.filter(pk__in=pks).only("pk", "first_name", "last_name")
    }


def reads_for(participant=None, user="", date_from=None, date_to=None) -> QuerySet[AccessLog]:
    entries = AccessLog.objects.filter(_period("at", date_from, date_to))
    if participant:
        from participants.personal_data import merged_ids

        # With the records merged into the person (their entries keep their numbers).
        entries = entries.filter(participant_ref__in=[participant, *merged_ids(participant)])
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
