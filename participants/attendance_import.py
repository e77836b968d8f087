"""Attendance of past sessions of one activity from a grid: a row per person (last
name, first name, optionally PESEL), a column per session ("22.11.2026", or
"22.11.2026 16:00" where a day has two sessions, as the activity's grid export
writes them), a mark in each cell. Checked like a roll call: only people assigned to
the activity and on the session's list that day (taking part in the project), only
past sessions, nobody restricted or anonymised; the marks are then saved through the
roll call's own service (participants.services.support.roll_call_save).

Marks read: ✓ / obecny / obecna / o / 1 / t / tak / + / x → present; ✗ / nieobecny /
nieobecna / n / 0 / nie / - → absent; U / usprawiedliwiony / usprawiedliwiona → excused;
an empty cell or · (not on the list) → nothing recorded."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kis.lib.text import fold
from participants.importing import parse_date
from participants.models import Activity, ActivityParticipant, Attendance, Session
from participants.selectors.support import timelines
from participants.services.support import is_care_point
from participants.templatetags.participant_words import mark_word

Status = Attendance.Status
MARKS = {
    **dict.fromkeys(
        ["✓", "obecny", "obecna", "obecnosc", "o", "1", "t", "tak", "+", "x", "p"], Status.PRESENT
    ),
    **dict.fromkeys(["✗", "nieobecny", "nieobecna", "n", "0", "nie", "-", "a"], Status.ABSENT),
    **dict.fromkeys(["u", "usprawiedliwiony", "usprawiedliwiona", "e"], Status.EXCUSED),
}
EMPTY = {"", "·", "."}
NAME_HEADERS = {
    "nazwisko": "last_name",
    "last name": "last_name",
    "imie": "first_name",
    "first name": "first_name",
    "pesel": "pesel",
}


@dataclass
class GridPlan:
    sessions: dict[int, Session] = field(default_factory=dict)  # column → session
    column_errors: list[str] = field(default_factory=list)
    # (session id, participant id) → mark, and what was there before ("" none)
    marks: dict[tuple[int, int], str] = field(default_factory=dict)
    before: dict[tuple[int, int], str] = field(default_factory=dict)
    report: list[dict[str, Any]] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0, "warning": 0}
        for row in self.report:
            counts[row["action"]] += 1
            if row["warnings"]:
                counts["warning"] += 1
        return counts


def _session_columns(activity: Activity, headers: list[str], plan: GridPlan) -> dict[str, int]:
    names: dict[str, int] = {}
    sessions = list(Session.objects.filter(activity=activity).order_by("date", "start_time"))
    today = timezone.localdate()
    for number, header in enumerate(headers):
        key = fold(header).strip()
        if key in NAME_HEADERS:
            names.setdefault(NAME_HEADERS[key], number)
            continue
        text = header.strip()
        match = re.fullmatch(r"(\S+)(?:\s+(\d{1,2}:\d{2}))?(?::\d{2})?", text)
        day = parse_date(match.group(1)) if match else None
        if day is None:
            if text:
                plan.column_errors.append(
                    _("Column “%(column)s” is neither a name nor a date: left out.")
                    % {"column": text}
                )
            continue
        hour = (
            datetime.strptime(match.group(2), "%H:%M").time() if match and match.group(2) else None
        )
        found = [s for s in sessions if s.date == day and (hour is None or s.start_time == hour)]
        label = day.strftime("%d.%m.%Y") + (f" {hour:%H:%M}" if hour else "")
        if not found:
            plan.column_errors.append(
                _("The activity has no session on %(date)s: column left out.") % {"date": label}
            )
        elif len(found) > 1:
            plan.column_errors.append(
                ngettext(
                    "The activity has %(count)s session on %(date)s: give the hour in the "
                    "header (e.g. %(date)s 16:00).",
                    "The activity has %(count)s sessions on %(date)s: give the hour in the "
                    "header (e.g. %(date)s 16:00).",
                    len(found),
                )
                % {"count": len(found), "date": label}
            )
        elif found[0].date > today:
            plan.column_errors.append(
                _("The session of %(date)s has not taken place yet: column left out.")
                % {"date": label}
            )
        elif is_care_point(found[0]):
            plan.column_errors.append(
                _(
                    "The session of %(date)s is at the care point: take its roll call with the number of dependants."
                )
                % {"date": label}
            )
        else:
            plan.sessions[number] = found[0]
    return names


def plan_grid(
    activity: Activity, headers: list[str], rows: list[list[str]], first_row: int
) -> GridPlan:
    plan = GridPlan()
    names = _session_columns(activity, headers, plan)
    if "last_name" not in names and "pesel" not in names:
        plan.column_errors.append(_("The file has no column “Nazwisko” or “PESEL”."))
        return plan
    assigned = list(
        ActivityParticipant.objects.filter(activity=activity).select_related("participant")
    )
    by_pesel = {a.participant.pesel: a.participant for a in assigned if a.participant.pesel}
    by_name: dict[tuple[str, str], list] = {}
    for a in assigned:
        by_name.setdefault(
            (fold(a.participant.last_name), fold(a.participant.first_name)), []
        ).append(a.participant)
    lines = timelines(activity, [a.participant_id for a in assigned])
    current = {
        (a.session_id, a.participant_id): a.status
        for a in Attendance.objects.filter(session__in=list(plan.sessions.values()))
    }

    def cell(row: list[str], key: str) -> str:
        return row[names[key]].strip() if key in names and names[key] < len(row) else ""

    for index, row in enumerate(rows):
        entry: dict[str, Any] = {
            "row": first_row + index,
            "name": f"{cell(row, 'first_name')} {cell(row, 'last_name')}".strip(),
            "action": "unchanged",
            "errors": [],
            "warnings": [],
            "changes": [],
            "participant": None,
        }
        plan.report.append(entry)
        if not any(c.strip() for c in row):
            continue
        pesel = re.sub(r"\s", "", cell(row, "pesel"))
        person = by_pesel.get(pesel) if pesel else None
        if person is None and not pesel:
            found = by_name.get((fold(cell(row, "last_name")), fold(cell(row, "first_name"))), [])
            if len(found) > 1:
                entry["errors"].append(
                    _("Two people of this name take part in the activity: give the PESEL.")
                )
            person = found[0] if len(found) == 1 else None
        if person is None:
            if not entry["errors"]:
                entry["errors"].append(_("Not a participant of this activity."))
            entry["action"] = "error"
            continue
        entry["participant"] = person.pk
        if person.processing_restricted or person.anonymised_at is not None:
            entry["errors"].append(
                _("%(name)s: processing is restricted or the data are anonymised.")
                % {"name": person.full_name}
            )
            entry["action"] = "error"
            continue
        row_marks: dict[tuple[int, int], tuple[str, str]] = {}
        for column, session in plan.sessions.items():
            raw = row[column].strip() if column < len(row) else ""
            day = session.date.strftime("%d.%m.%Y")
            if fold(raw) in EMPTY or raw in EMPTY:
                continue
            status = MARKS.get(fold(raw)) or MARKS.get(raw)
            if status is None:
                entry["errors"].append(
                    _("Unknown mark “%(mark)s” on %(date)s.") % {"mark": raw, "date": day}
                )
                continue
            line = lines.get(person.pk)
            if not (line and line.on_list(session.date)):
                entry["errors"].append(
                    _("%(date)s: not taking part in the project that day (not on the list).")
                    % {"date": day}
                )
                continue
            key = (session.pk, person.pk)
            before = current.get(key, "")
            if before == status:
                continue
            row_marks[key] = (status, before)
            if before:
                entry["warnings"].append(
                    _("%(date)s: the mark “%(before)s” becomes “%(after)s”.")
                    % {
                        "date": day,
                        "before": mark_word(before, person),
                        "after": mark_word(status, person),
                    }
                )
            entry["changes"].append(f"{day}: {mark_word(status, person)}")
        if entry["errors"]:
            # A row with an error is left out whole, like a row of the participants' import.
            entry["action"], entry["changes"], entry["warnings"] = "error", [], []
        elif row_marks:
            entry["action"] = "update"
            for key, (mark, was) in row_marks.items():
                plan.marks[key], plan.before[key] = mark, was
    return plan
