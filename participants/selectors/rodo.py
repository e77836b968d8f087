"""Everything the register holds about one person, for the subject-access export
(art. 15 GDPR): every record of the registry of personal data with its exported fields,
and the access log."""

from typing import Any

from django.db.models import Model, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kis.lib.models import model_field
from kis.models import AccessLog
from participants.models import Participant
from participants.personal_data import REGISTRY, PersonalData

# The access log's section: key in the export → field of AccessLog.
ACCESS_LOG_FIELDS = {"when": "at", "user": "username", "action": "action", "what": "what"}


def _value(row: Model, name: str) -> Any:
    """A field as the person reads it: a choice's label, a related record's name, the
    names of many-to-many links; dates, numbers and yes/no as they are."""
    field = model_field(row, name)
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


def subject_data(participant: Participant) -> dict[str, Any]:
    """A plain dictionary (JSON-ready) of everything held about the person: one section
    per model of the registry of personal data ("person" is the participant's own row)
    and the access log. A fixed number of queries. Refused (ProcessingRestricted) for
    an anonymised person or one whose processing is restricted (subject_access_check)."""
    subject_access_check(participant)
    data: dict[str, Any] = {entry.section: _section(entry, participant.pk) for entry in REGISTRY}
    (data["person"],) = data["person"]
    log = AccessLog.objects.filter(
        Q(participant=participant.pk) | Q(participant_ref=participant.pk)
    ).order_by("at")
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
    return sections
