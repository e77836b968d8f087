"""The participants' lists as Excel workbooks: the filtered participant list, an
activity's attendance grid, social contracts, placements and community events. Each
holds what its page shows (from the same selector and filter), built by
`kis.lib.spreadsheet.WorkbookBuilder`.

People whose processing is restricted (art. 18 GDPR: kept, but not exported) are left
out of every export that names people; a note below the rows says how many."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kis.lib.spreadsheet import (
    DATE,
    DATETIME,
    HOURS,
    INTEGER,
    PERCENT,
    Column,
    WorkbookBuilder,
)
from participants.models import Attendance, Participant
from participants.selectors.support import OFF_LIST, ActivityGrid
from participants.templatetags.participant_words import status_for


def exportable(people: list[Participant]) -> tuple[list[Participant], list[Participant]]:
    """(those who may be exported, those whose processing is restricted)."""
    shown: list[Participant] = []
    withheld: list[Participant] = []
    for person in people:
        (withheld if person.processing_restricted else shown).append(person)
    return shown, withheld


def withheld_note(count: int) -> list[str]:
    if not count:
        return []
    return [
        ngettext(
            "%(n)s person left out: processing of the data is restricted (art. 18 GDPR).",
            "%(n)s people left out: processing of the data is restricted (art. 18 GDPR).",
            count,
        )
        % {"n": count}
    ]


def participants_workbook(people: list[Participant], *, sensitive: bool, withheld: int) -> bytes:
    """The participant list with the filters of the page; the sensitive columns only
    for a user allowed to see them (`sensitive`), exclusion groups as the user sees
    them (prefetched as `visible_groups`)."""
    columns = [
        Column(_("Last name")),
        Column(_("First name")),
        Column(_("PESEL")),
        Column(_("Date of birth"), DATE),
        Column(_("Sex")),
        Column(_("Street and number")),
        Column(_("Postal code")),
        Column(_("Town")),
        Column(_("Municipality")),
        Column(_("Phone")),
        Column(_("E-mail")),
        Column(_("Education")),
        Column(_("Labour-market status")),
        Column(_("Exclusion groups")),
    ]
    if sensitive:
        columns.append(Column(_("Disability")))
    columns += [Column(_("Projects")), Column(_("Registered"), DATE)]
    rows = []
    for person in people:
        row = [
            person.last_name,
            person.first_name,
            person.pesel,
            person.birth_date,
            person.get_sex_display(),
            person.street,
            person.postal_code,
            person.city,
            person.municipality,
            person.phone,
            person.email,
            person.get_education_display(),
            person.get_labour_status_display(),
            # Prefetched as the user may see them (participants.views.exports).
            ", ".join(group.name for group in getattr(person, "visible_groups", [])),
        ]
        if sensitive:
            row.append(person.get_disability_display())
        row += [
            "; ".join(
                f"{e.project.title}: {status_for(e, person)} {e.status_date:%d.%m.%Y}"
                for e in person.enrolments.all()
            ),
            person.created_at.date() if person.created_at else None,
        ]
        rows.append(row)
    book = WorkbookBuilder()
    book.sheet(_("Participants"), columns, rows, notes=withheld_note(withheld))
    return book.content()


MARKS = {
    Attendance.Status.PRESENT: "✓",
    Attendance.Status.ABSENT: "✗",
    Attendance.Status.EXCUSED: "U",
    OFF_LIST: "·",
    None: "",
}


def grid_workbook(grid: ActivityGrid, rows) -> bytes:
    """The activity's grid as on its page (marks, hours, attendance %, completion) and
    its sessions."""
    activity = grid.activity
    columns = [
        Column(_("Last name")),
        Column(_("First name")),
        *[Column(f"{s.date:%d.%m.%Y} {s.start_time:%H:%M}", width=11) for s in grid.sessions],
        Column(_("Hours"), HOURS),
        Column(_("Hours of sessions with a roll call"), HOURS),
        Column(_("Attendance %"), PERCENT),
        Column(_("Below the threshold")),
        Column(_("Completed on"), DATE),
    ]
    book = WorkbookBuilder()
    book.sheet(
        _("Attendance"),
        columns,
        [
            [
                row.participant.last_name,
                row.participant.first_name,
                *[MARKS[cell] for cell in row.cells],
                row.hours,
                row.recorded_hours,
                row.percent,
                _("yes") if row.below_threshold else "",
                row.assignment.completed_on,
            ]
            for row in rows
        ],
        notes=[
            f"{activity.name} – {activity.project.title}",
            _(
                "✓ present, ✗ absent, U excused, · not taking part in the project on that "
                "day. Attendance % = hours present of the hours of the sessions whose roll "
                "call was taken while the person was taking part in the project."
            ),
            *withheld_note(len(grid.rows) - len(rows)),
        ],
    )
    book.sheet(
        _("Sessions"),
        [
            Column(_("Date"), DATE),
            Column(_("Time")),
            Column(_("Hours"), HOURS),
            Column(_("Topic")),
            Column(_("Roll call taken"), DATETIME),
        ],
        [
            [s.date, f"{s.start_time:%H:%M}", s.duration_hours, s.topic, s.roll_call_at]
            for s in grid.sessions
        ],
        notes=[
            _("Held: %(hours)s h in %(sessions)s sessions of %(planned)s h planned.")
            % {
                "hours": grid.held_hours,
                "sessions": grid.held_sessions,
                "planned": activity.planned_hours,
            }
        ],
    )
    return book.content()


def contracts_workbook(contracts, withheld: int) -> bytes:
    book = WorkbookBuilder()
    book.sheet(
        _("Social contracts"),
        [
            Column(_("Number")),
            Column(_("Last name")),
            Column(_("First name")),
            Column(_("Date signed"), DATE),
            Column(_("In force from"), DATE),
            Column(_("In force until"), DATE),
            Column(_("Status")),
            Column(_("Reason for termination")),
            Column(_("Review date"), DATE),
            Column(_("Caseworker")),
        ],
        [
            [
                c.number,
                c.participant.last_name,
                c.participant.first_name,
                c.signed_on,
                c.start_date,
                c.end_date,
                c.get_status_display(),
                c.termination_reason,
                c.review_date,
                c.caseworker.full_name,
            ]
            for c in contracts
        ],
        notes=withheld_note(withheld),
    )
    return book.content()


def placements_workbook(placements, withheld: int) -> bytes:
    book = WorkbookBuilder()
    book.sheet(
        _("Placements"),
        [
            Column(_("Kind")),
            Column(_("Last name")),
            Column(_("First name")),
            Column(_("Employer")),
            Column(_("Employer's NIP")),
            Column(_("Labour office (PUP) referral number")),
            Column(_("Start date"), DATE),
            Column(_("End date"), DATE),
            Column(_("Hours per month"), HOURS),
            Column(_("The employer declared hiring")),
            Column(_("Outcome")),
        ],
        [
            [
                p.get_kind_display(),
                p.participant.last_name,
                p.participant.first_name,
                p.employer_name,
                p.employer_nip,
                p.referral_number,
                p.start_date,
                p.end_date,
                p.hours_per_month,
                _("yes") if p.hiring_declared else _("no"),
                p.get_outcome_display(),
            ]
            for p in placements
        ],
        notes=withheld_note(withheld),
    )
    return book.content()


def events_workbook(events) -> bytes:
    book = WorkbookBuilder()
    book.sheet(
        _("Community events"),
        [
            Column(_("Date"), DATE),
            Column(_("Last day"), DATE),
            Column(_("Event")),
            Column(_("Place")),
            Column(_("Project")),
            Column(_("Participants from the register"), INTEGER),
            Column(_("From outside"), INTEGER),
        ],
        [
            [
                e.date,
                e.end_date,
                e.name,
                e.place,
                e.project.title if e.project else "",
                e.registry_count,
                e.outside_count,
            ]
            for e in events
        ],
    )
    return book.content()
