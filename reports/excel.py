"""The reports as Excel workbooks: the annual summary, the project report, the report
to the voivode and the EU monitoring export. Each holds the figures of its page,
from the same selector, built by `kis.lib.spreadsheet.WorkbookBuilder` (user text stays
text, dates are dates, money is money)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kis.lib.spreadsheet import (
    DATE,
    DATE_FORMAT,
    HOURS,
    INTEGER,
    MONEY,
    MONEY_FORMAT,
    NUMBER,
    PERCENT,
    Column,
    WorkbookBuilder,
)
from reports.eu_monitoring import EuExport
from reports.models import AnnualSection
from reports.selectors import AnnualSummary, ProjectReport, ShortContactFigures, StatutoryReport


def _people_columns(first: str) -> list[Column]:
    return [Column(first), Column(_("Total"), INTEGER), Column(_("Women"), INTEGER),
            Column(_("Men"), INTEGER)]  # fmt: skip


def _as_of(report) -> list[str]:
    if getattr(report, "is_partial", True):
        return [_("As of %(date)s: only what happened up to that day is counted.")
                % {"date": report.as_of.strftime("%d.%m.%Y")}]  # fmt: skip
    return []


def _short_contacts_sheet(book: WorkbookBuilder, title: str, figures: ShortContactFigures) -> None:
    """One-off help by form, with the total (reports.selectors.ShortContactFigures)."""
    book.sheet(
        title,
        [
            Column(_("Form of help")),
            Column(_("Contacts"), INTEGER),
            Column(_("People"), INTEGER),
            Column(_("Hours"), NUMBER),
        ],
        [
            *[[row.label, row.contacts, row.people, row.hours] for row in figures.kinds],
            [_("Total"), figures.contacts, figures.people.total, figures.hours],
        ],
    )


def annual_workbook(summary: AnnualSummary, narratives: dict[int, dict]) -> bytes:
    s = summary
    book = WorkbookBuilder()
    book.sheet(
        _("Summary"),
        _people_columns(_("Figure")),
        [
            [_("People served"), s.served.total, s.served.women, s.served.men],
            [_("Long-term cooperation"), s.long_term.total, s.long_term.women, s.long_term.men],
            [_("Social contracts concluded"), s.contracts_concluded, None, None],
            *[[p.label, p.people.total, p.people.women, p.people.men] for p in s.placements],
            [
                _("People who took up work"),
                s.jobs.people.total,
                s.jobs.people.women,
                s.jobs.people.men,
            ],
            [
                _("One-off help: people"),
                s.short_contacts.people.total,
                s.short_contacts.people.women,
                s.short_contacts.people.men,
            ],
            [_("One-off help: contacts"), s.short_contacts.contacts, None, None],
            [_("Care point: sessions held"), s.community.care_point_sessions, None, None],
            [
                _("Care point: adults who left dependants"),
                s.community.care_point_people,
                None,
                None,
            ],
            [_("Care point: dependant-places"), s.community.care_point_places, None, None],
        ],
        notes=_as_of(s),
    )
    _short_contacts_sheet(book, _("One-off help"), s.short_contacts)
    book.sheet(
        _("Supported employment"),
        [
            *_people_columns(_("Form")),
            Column(_("Aged 50+"), INTEGER),
            Column(_("Single parents"), INTEGER),
        ],
        [
            [
                p.label,
                p.people.total,
                p.people.women,
                p.people.men,
                p.aged_50_plus,
                p.single_parents,
            ]
            for p in s.placements
        ],
    )
    book.sheet(
        _("Projects"),
        [
            Column(_("Project")),
            Column(_("Engaged"), INTEGER),
            Column(_("Women engaged"), INTEGER),
            Column(_("Dropped out"), INTEGER),
            Column(pgettext("people", "Left for a job"), INTEGER),
            Column(_("Of them came back"), INTEGER),
            Column(pgettext("people", "Completed"), INTEGER),
            Column(_("Returned after a job"), INTEGER),
            Column(_("Continuing"), INTEGER),
            Column(_("Support hours"), HOURS),
        ],
        [
            [
                p.project.title,
                p.engaged,
                p.engaged_women,
                p.dropped_out,
                p.left_for_job,
                p.came_back,
                p.completed,
                p.returned,
                p.continuing,
                p.support_hours,
            ]
            for p in s.projects
        ],
    )
    book.sheet(
        _("Drop-out reasons"),
        [Column(_("Project")), Column(_("Reason")), Column(_("People"), INTEGER)],
        [[p.project.title, reason, n] for p in s.projects for reason, n in p.dropout_reasons],
    )
    book.sheet(
        _("Support forms"),
        [
            Column(_("Project")),
            Column(_("Support form")),
            Column(_("Sessions"), INTEGER),
            Column(_("Hours"), HOURS),
        ],
        [
            [p.project.title, row.name, row.sessions, row.hours]
            for p in s.projects
            for row in p.support
        ],
    )
    book.sheet(
        _("Community events"),
        [
            Column(_("Date"), DATE),
            Column(_("Event")),
            Column(_("Place")),
            Column(_("From the register"), INTEGER),
            Column(_("From outside"), INTEGER),
        ],
        [[e.date, e.name, e.place, e.registry, e.outside_count] for e in s.community.events],
    )
    book.sheet(
        _("Budget"),
        [
            Column(_("Category")),
            Column(_("Planned"), MONEY),
            Column(_("Spent"), MONEY),
            Column(_("Execution"), PERCENT),
        ],
        [[c.label, c.planned, c.spent, c.percent] for c in s.budget.categories]
        + [[_("Total"), s.budget.planned, s.budget.spent, s.budget.percent]]
        + [
            [_("Spent: %(source)s") % {"source": c.label}, None, c.spent, None]
            for c in s.budget.sources
        ],
    )
    book.sheet(
        _("Narrative"),
        [Column(_("Section")), Column(_("Text"), width=100)],
        [[str(AnnualSection(section).label), item["text"]] for section, item in narratives.items()],
    )
    return book.content()


def project_workbook(report: ProjectReport) -> bytes:
    """The project report's tables: the project, indicators, support, drop-outs, the
    budget per year and category, and the costs."""
    project, book = report.project, WorkbookBuilder()
    counts = report.status_counts
    book.sheet(
        _("Project"),
        [Column(_("Figure")), Column(_("Value"))],
        [
            [_("Title"), project.title],
            [_("Project number"), project.number],
            [_("Funding programme"), project.programme.name if project.programme else ""],
            [_("Start date"), project.start_date],
            [_("End date"), project.end_date],
            [_("Total value"), project.total_value],
            [_("co-financing"), project.cofinancing],
            [_("own contribution"), project.own_contribution],
            [_("Participants"), report.people.total],
            [_("Women"), report.people.women],
            [_("Men"), report.people.men],
            [_("Target number of participants"), project.target_participants],
            [_("Taking part"), counts["active"]],
            [pgettext("people", "Completed"), counts["completed"]],
            [_("Dropped out"), counts["dropped_out"]],
            [_("Away at a job"), counts["left_for_job"]],
        ],
        notes=_as_of(report),
    )
    # The value column mixes kinds: give each cell its own format.
    sheet = book.workbook[_("Project")]
    for row in (5, 6):
        sheet.cell(row=row, column=2).number_format = DATE_FORMAT
    for row in (7, 8, 9):
        sheet.cell(row=row, column=2).number_format = MONEY_FORMAT
    book.sheet(
        _("Indicators"),
        [
            Column(_("Indicator")),
            Column(_("Unit")),
            Column(_("Target"), NUMBER),
            Column(_("Achieved"), NUMBER),
            Column(_("Women"), NUMBER),
            Column(_("Men"), NUMBER),
            Column(_("Of the target"), PERCENT),
        ],
        [
            [
                row.indicator.name,
                row.indicator.get_unit_display(),
                row.indicator.target_total,
                row.total,
                row.women,
                row.men,
                row.achieved_percent,
            ]
            for row in report.indicators
        ],
    )
    book.sheet(
        _("Support delivered"),
        [
            Column(_("Activity")),
            Column(_("Support form")),
            Column(_("People"), INTEGER),
            Column(_("Hours planned"), HOURS),
            Column(_("Hours held"), HOURS),
            Column(_("Of the plan"), PERCENT),
            Column(_("Participant-hours attended"), HOURS),
        ],
        [
            [
                a.name,
                a.support_form,
                a.people,
                a.planned_hours,
                a.delivered_hours,
                a.percent,
                a.participant_hours,
            ]
            for a in report.activities
        ]
        + [[_("Total"), "", None, None, report.delivered_hours, None, report.participant_hours]],
    )
    # Recorded under the project, not its participants: apart.
    _short_contacts_sheet(book, _("One-off help"), report.short_contacts)
    book.sheet(
        _("Drop-outs"),
        [Column(_("Reason")), Column(_("People"), INTEGER)],
        [[reason, n] for reason, n in report.dropout_reasons],
    )
    execution = report.execution
    book.sheet(
        _("Budget execution"),
        [
            Column(_("Year"), INTEGER),
            Column(_("Category")),
            Column(_("Planned"), MONEY),
            Column(_("Spent"), MONEY),
            Column(_("Execution"), PERCENT),
        ],
        [
            [year.year, row.category, row.planned, row.spent, row.percent]
            for year in execution.years
            for row in year.rows
        ]
        + [[None, _("Total"), execution.planned, execution.spent, execution.percent]]
        + [
            [None, _("Spent: %(source)s") % {"source": s.label}, None, s.spent, None]
            for s in execution.sources
        ],  # fmt: skip
    )
    book.sheet(
        _("Cost of the support"),
        [Column(_("Figure")), Column(_("Amount"), MONEY)],
        [
            [_("Spent so far"), execution.spent],
            [_("Per participant"), report.cost_per_participant],
            [_("Per hour of support held"), report.cost_per_hour],
            [_("Per participant-hour attended"), report.cost_per_participant_hour],
        ],
    )
    return book.content()


def statutory_workbook(report: StatutoryReport, definitions: list[str]) -> bytes:
    """The report to the voivode, a sheet a section of the ministry's structure."""
    r, book = report, WorkbookBuilder()
    sex = [Column(_("Total"), INTEGER), Column(_("Women"), INTEGER), Column(_("Men"), INTEGER)]
    book.sheet(
        _("1. Funding sources"),
        [Column(_("Source")), Column(_("Spent in the year"), MONEY)],
        [[row.label, row.amount] for row in r.funding] + [[_("Total"), r.funding_total]],
        notes=_as_of(r),
    )
    staff = r.staff_total
    book.sheet(
        _("2. Staff"),
        [
            Column(_("Legal basis of employment")),
            *sex,
            Column(_("Hours per week"), HOURS),
            Column(_("Full-time equivalents"), NUMBER),
        ],
        [
            [row.label, row.people.total, row.people.women, row.people.men, row.hours, row.fte]
            for row in r.staff
        ]
        + [
            [
                _("Total"),
                staff.people.total,
                staff.people.women,
                staff.people.men,
                staff.hours,
                staff.fte,
            ]
        ],  # fmt: skip
    )
    v = r.volunteers
    book.sheet(
        _("3. Volunteers"),
        [*sex, Column(_("Hours per week"), HOURS)],
        [[v.people.total, v.people.women, v.people.men, v.hours]],
    )

    def by_sex(rows, total_label, total):
        return [[row.name, row.people.total, row.people.women, row.people.men] for row in rows] + [
            [total_label, total.total, total.women, total.men]
        ]

    book.sheet(
        _("4. Started, by group"),
        [Column(_("Group (art. 1(2) of the Act)")), *sex],
        by_sex(r.started, _("People who started (each once)"), r.started_total),
    )
    p = r.participants
    book.sheet(_("5. All participants"), sex, [[p.total, p.women, p.men]])
    book.sheet(
        _("6. Finished, by situation"),
        [Column(_("Situation after the club")), *sex],
        by_sex(r.finished, _("People who finished"), r.finished_total),
        notes=[
            _("Of those who finished, found work: %(n)s.") % {"n": r.finished_working.total},
            _("Dropped out in the year: %(n)s.") % {"n": r.dropped_out.total},
        ],
    )
    book.sheet(
        _("7. Social reintegration"),
        [Column(_("Form of service")), *sex],
        by_sex(r.social, _("People (each once)"), r.social_total),
    )
    book.sheet(
        _("8. Vocational reintegration"),
        [Column(_("Form of service")), *sex],
        by_sex(r.vocational, _("People (each once)"), r.vocational_total),
    )
    book.sheet(
        _("9. Activities"),
        [Column(_("Support form")), Column(_("Sessions"), INTEGER), Column(_("Hours"), HOURS)],
        [[row.name, row.sessions, row.hours] for row in r.activities],
        notes=[_("Activities completed (certificates): %(n)s.") % {"n": r.completions}],
    )
    _short_contacts_sheet(book, _("One-off help"), r.short_contacts)
    book.sheet(
        _("10. Grants"),
        [
            Column(_("Project")),
            Column(_("Project number")),
            Column(_("Funding programme")),
            Column(_("Planned for the year"), MONEY),
            Column(_("Spent in the year"), MONEY),
            Column(_("Execution"), PERCENT),
        ],
        [
            [
                g.project.title,
                g.project.number,
                str(g.project.programme or ""),
                g.planned,
                g.spent,
                g.percent,
            ]
            for g in r.grants
        ]
        + [[_("Total"), "", "", r.grants_planned, r.grants_spent, None]],
    )
    book.sheet(_("Definitions"), [Column(_("Definition"), width=120)], [[d] for d in definitions])
    return book.content()


def eu_workbook(export: EuExport, rows) -> bytes:
    """The EU monitoring file: the configured header row, one row per participant."""
    kinds = {"age": INTEGER, "degurba": INTEGER}
    dates = {"start_date", "end_date", "support_start"}
    columns = [
        Column(c.header, DATE if c.column.key in dates else kinds.get(c.column.key, "text"))
        for c in export.columns
    ]
    book = WorkbookBuilder()
    book.sheet(_("Participants"), columns, [row.values for row in rows])
    return book.content()
