"""Data-protection duties: the subject-access export, restricting processing, and the
card's access history (managers)."""

import json
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kis.audit import access_log
from kis.lib.formats import format_number
from kis.lib.pdf import render_pdf
from kis.models import AccessLog
from participants.access import participants_for
from participants.models import Attendance, Enrolment, EnrolmentEvent, Participant
from participants.selectors.rodo import (
    MONTH_NAMES_SHOWN,
    subject_access_check,
    subject_data,
    subject_labels,
)
from participants.services.people import ProcessingRestricted
from participants.services.rodo import processing_restriction_set
from participants.templatetags.participant_words import EVENT, MARK, STATUS
from participants.views.people import log_refusal
from projects.selectors import letterhead


def _person(request, pk: int):
    return get_object_or_404(participants_for(request.user), pk=pk)


def _export_refusal(request, participant) -> HttpResponse | None:
    """The card with the reason, if the person's data cannot be exported (anonymised,
    or processing restricted); the refusal is logged."""
    try:
        subject_access_check(participant)
    except ProcessingRestricted as error:
        log_refusal(request, error)
        messages.error(request, " ".join(error.messages))
        return redirect("participants:detail", pk=participant.pk)
    return None


@permission_required("participants.export_participant", raise_exception=True)
def export_json(request, pk: int):
    """Everything held about a person, as JSON (art. 15 GDPR)."""
    participant = _person(request, pk)
    if refusal := _export_refusal(request, participant):
        return refusal
    access_log(request, AccessLog.Action.EXPORT, participant, "subject access export (JSON)")
    data = subject_data(participant)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="dane-osoby-{participant.pk}.json"'
    return response


@permission_required("participants.export_participant", raise_exception=True)
def export_pdf(request, pk: int):
    """Everything held about a person, as a PDF (art. 15 GDPR): in plain Polish, with the
    labels and the names of choices the application shows, attendance as one compact
    table per activity."""
    participant = _person(request, pk)
    if refusal := _export_refusal(request, participant):
        return refusal
    access_log(request, AccessLog.Action.EXPORT, participant, "subject access export (PDF)")
    return render_pdf(
        request,
        "participants/print/subject_access.html",
        subject_access_context(participant),
        f"dane-osoby-{participant.pk}.pdf",
    )


def subject_access_context(participant: Participant) -> dict:
    """What the subject-access PDF prints (in a request, or in the background)."""
    return {
        **letterhead(),
        # The access log per month: a person on a weekly roll call for years has
        # thousands of entries (every one of them is in the JSON).
        "sections": _sections(subject_data(participant, log_detail=False), participant),
        "participant": participant,
        "generated_on": timezone.localdate(),
    }


@require_POST
@permission_required("participants.export_participant", raise_exception=True)
def export_pdf_start(request, pk: int):
    """The subject-access PDF made in the background (participants/tasks.py): the card's
    button; the job's page shows the progress and offers the file to its owner only."""
    from kis.jobs import job_start, job_url
    from participants.tasks import subject_access_pdf

    participant = _person(request, pk)
    if refusal := _export_refusal(request, participant):
        return refusal
    job = job_start(
        owner=request.user,
        kind="subject_access_pdf",
        label=_("All data of %(name)s (PDF)") % {"name": participant.full_name},
        task=subject_access_pdf,
        next_url=reverse("participants:detail", args=[participant.pk]),
        participant_id=participant.pk,
    )
    return redirect(job_url(job))


def _flat(value) -> str:
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d.m.Y")
    if isinstance(value, Decimal):  # hours, amounts: "2,5"; whole numbers (a year) as they are
        return format_number(value)
    return "" if value is None else str(value)


# A section is printed as a table with a column per field when its records are short;
# records with long texts (a contract's goals) as a block of label–value rows each.
MAX_COLUMNS = 7
MAX_CELL = 60
# How many date–hours–mark column groups an activity's attendance table has side by side.
ATTENDANCE_COLUMNS = 3


# Parts of the export whose value is a status, an event or a mark: its choices and the
# words for each sex (participants.templatetags.participant_words).
GENDERED: dict[tuple[str, str], tuple[type[models.TextChoices], Mapping[str, Mapping]]] = {
    ("enrolments", "status"): (Enrolment.Status, STATUS),
    ("enrolment_history", "kind"): (EnrolmentEvent.Kind, EVENT),
    ("attendance", "status"): (Attendance.Status, MARK),
}


def _gendered(section: str, key: str, value: Any, participant: Participant) -> Any:
    """A status, an event or a mark in the person's grammatical gender ("ukończyła",
    "obecna"), as on the card; the export holds the choice's neutral name."""
    words = GENDERED.get((section, key))
    if words is None or not isinstance(value, str):
        return value
    choices, table = words
    code = {str(label): code for code, label in choices.choices}.get(value)
    return str(table.get(participant.sex, {}).get(code, value))


def _attendance(entries: list[dict]) -> list[dict]:
    """One table per activity: its sessions' date, hours and mark, in column groups."""
    by_activity: dict[str, list[dict]] = {}
    for entry in entries:
        by_activity.setdefault(entry["activity"], []).append(entry)
    tables = []
    for name, marks in by_activity.items():
        counts = Counter(mark["status"] for mark in marks)
        groups = min(ATTENDANCE_COLUMNS, len(marks))
        size = -(-len(marks) // groups)  # rows: ceiling division
        columns = [marks[i * size : (i + 1) * size] for i in range(groups)]
        rows = [
            [
                (_flat(c[row]["date"]), _flat(c[row]["hours"]), c[row]["status"])
                if row < len(c)
                else ("", "", "")
                for c in columns
            ]
            for row in range(size)
        ]
        tables.append(
            {
                "name": name,
                "summary": "; ".join(f"{status}: {n}" for status, n in counts.most_common()),
                "rows": rows,
                "groups": range(groups),
                **_attendance_widths(groups),
            }
        )
    return tables


# Of the page's width: a date–hours–mark group, its three columns, the gap between groups.
GROUP_WIDTH, COLUMN_WIDTHS, GAP_WIDTH = 30, {"date": 11.5, "hours": 6, "mark": 12.5}, 3.5


def _attendance_widths(groups: int) -> dict:
    """The table's width (% of the page) and its columns' (% of the table): a group is
    a third of the page however many groups there are."""
    width = groups * GROUP_WIDTH + (groups - 1) * GAP_WIDTH
    return {
        "width": f"{width:.1f}",
        "columns": {name: f"{100 * w / width:.2f}" for name, w in COLUMN_WIDTHS.items()},
        "gap": f"{100 * GAP_WIDTH / width:.2f}",
    }


def _sections(data: dict, participant) -> list[dict]:
    """The export as titled parts for the PDF: the person's own data as label–value
    rows, each other part as a table of its records, attendance per activity."""
    sections = []
    for key, (title, labels) in subject_labels().items():
        if key not in data:  # the access log: either every entry or its months
            continue
        value = data[key]
        if key == "access_log_months":
            sections.append(_months_section(title, labels, value))
            continue
        entries = [value] if isinstance(value, dict) else value
        entries = [
            {k: _gendered(key, k, v, participant) for k, v in entry.items()} for entry in entries
        ]
        section: dict[str, Any] = {"title": title, "key": key}
        if not entries:
            section["kind"] = "empty"
        elif key == "attendance":
            section |= {
                "kind": "attendance",
                "labels": labels,
                "activities": _attendance(entries),
                "count": len(entries),
            }
        elif isinstance(value, dict):
            section |= {
                "kind": "pairs",
                "rows": [(labels[k], _flat(v)) for k, v in entries[0].items()],
            }
        else:
            columns = list(dict.fromkeys(k for entry in entries for k in entry))
            cells = [[_flat(entry.get(k)) for k in columns] for entry in entries]
            if len(columns) <= MAX_COLUMNS and all(len(c) <= MAX_CELL for r in cells for c in r):
                section |= {
                    "kind": "table",
                    "columns": [labels[k] for k in columns],
                    "rows": cells,
                }
            else:
                section |= {
                    "kind": "records",
                    "entries": [[(labels[k], _flat(v)) for k, v in e.items()] for e in entries],
                }
        sections.append(section)
    return sections


def _names(counts: list[tuple[str, int]]) -> str:
    """ "karta (12); formularz edycji (2)", the most frequent first, the rest counted."""
    shown = "; ".join(f"{name} ({format_number(n)})" for name, n in counts[:MONTH_NAMES_SHOWN])
    rest = len(counts) - MONTH_NAMES_SHOWN
    if rest > 0:
        shown += " " + _("and %(count)s more") % {"count": format_number(rest)}
    return shown


def _months_section(title: str, labels: dict[str, str], months: list[dict]) -> dict:
    section: dict[str, Any] = {"title": title, "key": "access_log_months"}
    if not months:
        return section | {"kind": "empty"}
    return section | {
        "kind": "months",
        "columns": [labels[k] for k in ("month", "entries", "what", "who")],
        "rows": [
            (
                formats.date_format(m["month"], "F Y"),
                format_number(m["entries"]),
                _names(m["what"]),
                _names(m["who"]),
            )
            for m in months
        ],
    }


@require_POST
@permission_required("participants.restrict_processing", raise_exception=True)
def restriction(request, pk: int):
    participant = _person(request, pk)
    restrict = request.POST.get("restrict") == "1"
    try:
        processing_restriction_set(
            participant=participant,
            restricted=restrict,
            reason=request.POST.get("reason", ""),
            user=request.user,
        )
    except ProcessingRestricted as error:  # anonymised: nothing to restrict any more
        log_refusal(request, error)
        messages.error(request, " ".join(error.messages))
        return redirect("participants:detail", pk=pk)
    except ValidationError as error:
        # The form is a button and a reason on the card: the reason's error goes there.
        messages.error(
            request,
            _("The reason for the restriction: %(errors)s") % {"errors": " ".join(error.messages)},
        )
        return redirect("participants:detail", pk=pk)
    messages.success(
        request,
        _("Processing of the data has been restricted.")
        if restrict
        else _("The restriction has been lifted."),
    )
    return redirect("participants:detail", pk=pk)
