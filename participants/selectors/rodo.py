"""Everything the register holds about one person, for the subject-access export
(art. 15 GDPR): every record of the registry of personal data with its exported fields,
and the access log."""

from datetime import date
from typing import Any

from django.db.models import Count, DateField, FileField, Model, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kis.lib.models import model_field
from kis.models import AccessLog, what_text
from participants.models import Participant
from participants.personal_data import REGISTRY, PersonalData

# The access log's section: key in the export → field of AccessLog.
ACCESS_LOG_FIELDS = {"when": "at", "user": "username", "action": "action", "what": "what"}
# How many different things read, and how many users, a month's line of the PDF's
# summary of the access log names (the rest are counted; the JSON has every entry).
MONTH_NAMES_SHOWN = 5


def _value(row: Model, name: str) -> Any:
    """A field as the person reads it: a choice's label, a related record's name, the
    names of many-to-many links; dates, numbers and yes/no as they are."""
    field = model_field(row, name)
    if isinstance(field, FileField):
        # Whether the centre holds the file (a copy is given on request), not its name.
        return bool(getattr(row, name))
    if field.many_to_many:
        return [str(obj) for obj in getattr(row, name).all()]
    if field.choices or hasattr(row, f"get_{name}_display"):  # a label, a translated text
        return getattr(row, f"get_{name}_display")()
    if field.is_relation:
        related = getattr(row, name)
        return None if related is None else str(related)
    return getattr(row, name)


def _follow(row: Any, path: str) -> Any:
    for name in path.split("__"):
        if row is None:
            return None
        row = getattr(row, name)
    return row


def _section(entry: PersonalData, participant_pk: int) -> list[dict[str, Any]]:
    """The person's rows of one registered model, with a fixed number of queries."""
    meta = entry.model._meta
    relations = [name for name in entry.fields if meta.get_field(name).is_relation]
    many = [name for name in relations if meta.get_field(name).many_to_many]
    joined = [name for name in relations if name not in many]
    joined += [s.path.rsplit("__", 1)[0] for s in entry.shown.values() if "__" in s.path]
    rows = entry.rows(participant_pk).select_related(*joined).prefetch_related(*many)
    if entry.order_by:
        rows = rows.order_by(*entry.order_by)
    # A record linking the person to somebody else (a family link) shows the other one.
    itself = {
        name
        for name in entry.links
        if not meta.get_field(name).many_to_many
        and meta.get_field(name).related_model is Participant
    }
    return [
        {
            **{
                name: _value(row, name)
                for name in entry.fields
                if not (name in itself and getattr(row, f"{name}_id") == participant_pk)
            },
            **{key: _follow(row, shown.path) for key, shown in entry.shown.items()},
        }
        for row in rows
    ]


def subject_access_check(participant: Participant) -> None:
    """Refuse (ProcessingRestricted) the subject-access export of a person who is
    anonymised: nothing identifies him or her any more, so there is nobody to give the
    copy to (and the record must not be tied to anybody again); or whose processing is
    restricted (art. 18 GDPR: the data are only stored until the restriction is lifted)."""
    from participants.services.people import ProcessingRestricted

    if participant.anonymised_at is not None:
        raise ProcessingRestricted(
            _(
                "This person's data are anonymised: nothing identifies the person any more, "
                "so there is nobody to give a copy of the data to (art. 15 GDPR)."
            ),
            [participant],
        )
    if participant.processing_restricted:
        raise ProcessingRestricted(
            _(
                "Processing of this person's data is restricted (art. 18 GDPR): the data may "
                "not be changed or exported until the restriction is lifted."
            ),
            [participant],
        )


def _access_log(participant_pk: int) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(
        Q(participant=participant_pk) | Q(participant_ref=participant_pk)
    )


def access_log_months(participant_pk: int) -> list[dict[str, Any]]:
    """The person's access log summarised per calendar month (local time), newest
    first: how many entries, what was read (the most frequent first) and by whom, with
    the counts. Two grouped queries, so its size follows the number of months and of
    different things read, not of entries (a person on a roll call every week for years
    has thousands). The PDF of the subject-access export prints this; the JSON has
    every entry."""
    month = TruncMonth("at", output_field=DateField())
    log = _access_log(participant_pk).annotate(month=month)
    months: dict[date, dict[str, Any]] = {}
    for row in log.values("month", "action", "what").annotate(n=Count("pk")).order_by():
        entry = months.setdefault(row["month"], {"month": row["month"], "entries": 0})
        entry["entries"] += row["n"]
        read = what_text(row["what"]) if row["what"] else _action_label(row["action"])
        whats = entry.setdefault("what", {})
        whats[read] = whats.get(read, 0) + row["n"]
    for row in log.values("month", "username").annotate(n=Count("pk")).order_by():
        who = months[row["month"]].setdefault("who", {})
        name = row["username"] or _("nobody signed in")
        who[name] = who.get(name, 0) + row["n"]
    return [
        {
            "month": entry["month"],
            "entries": entry["entries"],
            "what": _most_frequent(entry["what"]),
            "who": _most_frequent(entry.get("who", {})),
        }
        for _key, entry in sorted(months.items(), reverse=True)
    ]


def _action_label(action: str) -> str:
    return str(dict(AccessLog.Action.choices).get(action, action))


def _most_frequent(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def subject_data(participant: Participant, *, log_detail: bool = True) -> dict[str, Any]:
    """A plain dictionary (JSON-ready) of everything held about the person: one section
    per model of the registry of personal data ("person" is the participant's own row)
    and the access log, every entry ("access_log"), or with `log_detail=False` its
    summary per month ("access_log_months", for the PDF). A fixed number of queries.
    Refused (ProcessingRestricted) for an anonymised person or one whose processing is
    restricted (subject_access_check)."""
    subject_access_check(participant)
    data: dict[str, Any] = {entry.section: _section(entry, participant.pk) for entry in REGISTRY}
    (data["person"],) = data["person"]
    if not log_detail:
        data["access_log_months"] = access_log_months(participant.pk)
        return data
    log = (
        _access_log(participant.pk)
        .only(*ACCESS_LOG_FIELDS.values())
        .order_by("at", "pk")
        .iterator(chunk_size=2000)
    )
    data["access_log"] = [
        {key: _value(entry, name) for key, name in ACCESS_LOG_FIELDS.items()} for entry in log
    ]
    return data


def subject_labels() -> dict[str, tuple[str, dict[str, str]]]:
    """For each section of the export, its title and the labels of its keys."""

    def label(model: type[Model], name: str) -> str:
        return capfirst(str(model_field(model, name).verbose_name))

    sections = {
        entry.section: (
            entry.section_title,
            {
                **{name: label(entry.model, name) for name in entry.fields},
                **{key: capfirst(str(shown.label)) for key, shown in entry.shown.items()},
            },
        )
        for entry in REGISTRY
    }
    sections["access_log"] = (
        _("Who opened or exported the data"),
        {key: label(AccessLog, name) for key, name in ACCESS_LOG_FIELDS.items()},
    )
    sections["access_log_months"] = (
        _("Who opened or exported the data, month by month"),
        {
            "month": _("Month"),
            "entries": _("Entries"),
            "what": _("What was opened or exported"),
            "who": _("By whom"),
        },
    )
    return sections
