import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kis.audit import access_log, access_log_people
from kis.lib.charts import bar_chart
from kis.lib.pdf import render_pdf
from kis.lib.spreadsheet import XLSX_TYPE, xlsx_response
from kis.models import AccessLog
from participants.access import participants_for
from participants.models import ExclusionGroup, Participant
from projects.models import Project
from projects.selectors import letterhead
from reports.drilldown import drill_down, workbook
from reports.eu_monitoring import eu_export
from reports.excel import annual_workbook, eu_workbook, project_workbook, statutory_workbook
from reports.figures import FIGURES, MONEY_KINDS, REPORT_NAMES, figure_label, scope_from
from reports.issuing import compare, report_issue
from reports.models import AnnualSection, IssuedReport
from reports.narratives import narratives_for
from reports.selectors import (
    annual_summary,
    project_report,
    projects_in_year,
    report_years,
    statutory_definitions,
    statutory_report,
)
from reports.services import narrative_save

VIEW = "reports.view_reports"
FIRST_YEAR = 2000


def _year(year: int) -> int:
    """A year that has begun: a year to come has nothing to report."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


def _heading(project: Project | None = None) -> dict:
    return {**letterhead(project), "generated_on": timezone.localdate()}


@permission_required(VIEW, raise_exception=True)
def index(request):
    """Where managers find the reports: years with data up to this one, and the
    projects."""
    years = report_years()
    current = timezone.localdate().year
    if current not in years:
        years = [current, *years]
    projects = Project.objects.select_related("programme").order_by("-start_date", "title")
    return render(request, "reports/index.html", {"years": years, "projects": projects})


def _annual_context(year: int) -> dict:
    summary = annual_summary(year)
    narratives = narratives_for(summary)
    # Each chart answers one question (its caption); see kis/lib/charts.py.
    charts = {
        "served": bar_chart(
            [(_("women"), summary.served.women), (_("men"), summary.served.men)],
            title=_("How many women and men used the club's services"),
        ),
        "budget": bar_chart(
            [(row.label, row.spent) for row in summary.budget.categories],
            title=_("How much was spent in each category"),
            unit="zł",
            decimals=2,
        ),
        "outcomes": bar_chart(
            [
                (_("people who took up work"), summary.jobs.people.total),
                # Summed over projects: a person in two projects is counted in each.
                (_("drop-outs from projects"), sum(p.dropped_out for p in summary.projects)),
                (_("returns to projects after a job"), sum(p.returned for p in summary.projects)),
            ],
            title=_("How many took up work, dropped out and came back after a job"),
            legend=True,
        ),
    }
    sections = [
        {"number": section, "label": label, **narratives[section]}
        for section, label in AnnualSection.choices
    ]
    return {"year": year, "summary": summary, "sections": sections, "charts": charts, **_heading()}


@permission_required(VIEW, raise_exception=True)
def annual(request, year: int):
    context = _annual_context(_year(year))
    context["can_edit"] = request.user.has_perm("reports.change_annualnarrative")
    context["figure_links"] = True
    return render(request, "reports/annual.html", context)


@permission_required(VIEW, raise_exception=True)
def annual_pdf(request, year: int):
    context = _annual_context(_year(year))
    return render_pdf(request, "reports/annual_print.html", context, f"podsumowanie-kis-{year}.pdf")


@permission_required(VIEW, raise_exception=True)
def annual_xlsx(request, year: int):
    summary = annual_summary(_year(year))
    access_log(request, AccessLog.Action.EXPORT, None, f"annual summary {year} (XLSX)")
    return xlsx_response(
        annual_workbook(summary, narratives_for(summary)), f"podsumowanie-kis-{year}.xlsx"
    )


@require_POST
@permission_required("reports.change_annualnarrative", raise_exception=True)
def narrative_update(request, year: int, section: int):
    try:
        narrative_save(
            year=_year(year), section=section, text=request.POST.get("text", ""), user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The paragraph has been saved."))
    return redirect(reverse("reports:annual", args=[year]) + f"#section-{section}")


def _project_context(pk: int) -> dict:
    project = get_object_or_404(Project.objects.select_related("programme"), pk=pk)
    report = project_report(project)
    return {"project": project, "report": report, **_heading(project)}


@permission_required(VIEW, raise_exception=True)
def project(request, pk: int):
    return render(request, "reports/project.html", {**_project_context(pk), "figure_links": True})


@permission_required(VIEW, raise_exception=True)
def project_pdf(request, pk: int):
    context = _project_context(pk)
    return render_pdf(request, "reports/project_print.html", context, f"raport-projektu-{pk}.pdf")


@permission_required(VIEW, raise_exception=True)
def project_xlsx(request, pk: int):
    context = _project_context(pk)
    access_log(request, AccessLog.Action.EXPORT, None, f"project report {pk} (XLSX)")
    return xlsx_response(project_workbook(context["report"]), f"raport-projektu-{pk}.xlsx")


def _statutory_context(year: int) -> dict:
    report = statutory_report(year)
    heading = _heading()
    organisation = heading["organisation"]
    voivode = organisation.voivode if organisation else None
    return {
        "year": year,
        "report": report,
        "definitions": statutory_definitions(),
        "projects": projects_in_year(year),
        # The totals row of the activities table: the rows' own figures added up (every
        # session belongs to one support form, so they add up to the year's sessions).
        "activity_totals": {
            "sessions": sum(row.sessions for row in report.activities),
            "hours": sum((row.hours for row in report.activities), Decimal("0")),
        },
        # Addressed to the voivode of the centre's voivodeship (art. 18a(6)); a blank
        # line to fill in until the profile names the voivodeship.
        "voivode_address": [voivode.title, voivode.office] if voivode else [""],
        **heading,
    }


@permission_required(VIEW, raise_exception=True)
def statutory(request, year: int):
    context = {**_statutory_context(_year(year)), "figure_links": True}
    return render(request, "reports/statutory.html", context)


# The PDFs made in the background (reports/tasks.py): template, context, file name.
PDF_REPORTS = {
    "project": ("reports/project_print.html", _project_context, "raport-projektu-%(key)s.pdf"),
    "annual": ("reports/annual_print.html", _annual_context, "podsumowanie-kis-%(key)s.pdf"),
}


@require_POST
@permission_required(VIEW, raise_exception=True)
def report_pdf_start(request, kind: str, key: int):
    """Hand a large PDF to the worker and show its progress (kis/jobs.py); the request
    only checks and enqueues. The file is kept for its owner to download."""
    from kis.jobs import job_start, job_url
    from reports.tasks import report_pdf

    if kind == "project":
        project = get_object_or_404(Project, pk=key)
        label = _("Project report (PDF): %(title)s") % {"title": project.title}
        back = reverse("reports:project", args=[key])
    elif kind == "annual":
        label = _("Annual summary %(year)s (PDF)") % {"year": _year(key)}
        back = reverse("reports:annual", args=[key])
    else:
        raise Http404
    job = job_start(
        owner=request.user,
        kind="report_pdf",
        label=label,
        task=report_pdf,
        next_url=back,
        report=kind,
        key=key,
    )
    return redirect(job_url(job))


@permission_required(VIEW, raise_exception=True)
def statutory_pdf(request, year: int):
    context = _statutory_context(_year(year))
    return render_pdf(
        request, "reports/statutory_print.html", context, f"sprawozdanie-kis-{year}.pdf"
    )


@permission_required(VIEW, raise_exception=True)
def statutory_xlsx(request, year: int):
    report = statutory_report(_year(year))
    access_log(request, AccessLog.Action.EXPORT, None, f"report to the voivode {year} (XLSX)")
    return xlsx_response(
        statutory_workbook(report, statutory_definitions()), f"sprawozdanie-kis-{year}.xlsx"
    )


# The EU export holds disability and ethnic origin: the sensitive-data permission too.
EU = (VIEW, "participants.view_sensitive_data")


def _eu(request, pk: int):
    project = get_object_or_404(Project.objects.select_related("programme"), pk=pk)
    return eu_export(project, participants_for(request.user))


@permission_required(EU, raise_exception=True)
def eu(request, pk: int):
    """The EU monitoring export of a project: its columns in the configured order, who
    lacks required data (one click from the form where it goes) and the download."""
    export = _eu(request, pk)
    return render(
        request,
        "reports/eu.html",
        {
            "project": export.project,
            "export": export,
            "can_configure": request.user.has_perm("reports.change_eucolumnsetting"),
        },
    )


@permission_required(EU, raise_exception=True)
def eu_xlsx(request, pk: int):
    """The file: refused while anybody is incomplete, unless only the complete ones are
    asked for (?complete=1); people whose processing is restricted are never in it."""
    export = _eu(request, pk)
    if export.withheld:
        access_log_people(
            request, AccessLog.Action.REFUSED, export.withheld, f"EU monitoring export {pk}"
        )
    if export.incomplete and request.GET.get("complete") != "1":
        messages.error(
            request,
            _(
                "The file was not prepared: some participants lack data the monitoring "
                "system requires. Complete them, or download only the complete ones."
            ),
        )
        return redirect("reports:eu", pk=pk)
    rows = export.complete
    access_log_people(
        request,
        AccessLog.Action.EXPORT,
        [row.participant for row in rows],
        f"EU monitoring export, project {pk} (XLSX)",
    )
    return xlsx_response(eu_workbook(export, rows), f"monitoring-efs-projekt-{pk}.xlsx")


# --- the lists behind the figures (reports.figures, reports.drilldown) -----------------------


def _figure_scope(request, key: str):
    """The figure and its scope from the URL; 404 for what no report shows."""
    figure = FIGURES.get(key)
    if figure is None:
        raise Http404
    if figure.kind.name in MONEY_KINDS and not request.user.has_perm("projects.view_budget"):
        raise PermissionDenied
    params = {name: request.GET.get(name, "") for name in ("year", "project", "row", "part")}
    project = None
    if params["project"]:
        if not params["project"].isdigit():
            raise Http404
        project = get_object_or_404(Project, pk=int(params["project"]))
    scope = scope_from(params, project)
    if scope.year is not None:
        _year(scope.year)
    try:
        figure.queryset(scope)
    except ValueError:
        raise Http404 from None
    # People of a sensitive group (addiction, prison…) only for those who may see it.
    if (
        figure.row == "group"
        and ExclusionGroup.objects.filter(pk=scope.row_int() or 0, is_sensitive=True).exists()
        and not request.user.has_perm("participants.view_sensitive_data")
    ):
        raise PermissionDenied
    return figure, scope


def _figure_what(figure, scope) -> str:
    """The access log's stable text: the figure's key and scope."""
    scope_text = " ".join(f"{name}={value}" for name, value in scope.params().items())
    return f"report figure {figure.key} {scope_text}".strip()


@require_GET
@permission_required(VIEW, raise_exception=True)
def figure_list(request, key: str):
    """The records a report's figure counts, under its definition: as many rows as the
    figure (people the user may not open are rows without their data)."""
    figure, scope = _figure_scope(request, key)
    drill = drill_down(figure, scope, request.user, for_export=False)
    if figure.kind.person is not None:
        access_log_people(request, AccessLog.Action.VIEW, drill.people, _figure_what(figure, scope))
    back = (
        reverse("reports:project", args=[scope.project.pk])
        if figure.report == "project" and scope.project
        else reverse(f"reports:{figure.report}", args=[scope.year])
    )
    return render(
        request,
        "reports/figure.html",
        {
            "figure": figure,
            "scope": scope,
            "label": figure_label(figure, scope),
            "report_name": REPORT_NAMES[figure.report],
            "drill": drill,
            "back": back,
            "xlsx": reverse("reports:figure_xlsx", args=[key]) + "?" + urlencode(scope.params()),
        },
    )


@require_GET
@permission_required(VIEW, raise_exception=True)
def figure_xlsx(request, key: str):
    figure, scope = _figure_scope(request, key)
    drill = drill_down(figure, scope, request.user, for_export=True)
    what = _figure_what(figure, scope) + " (XLSX)"
    if figure.kind.person is not None:
        access_log_people(request, AccessLog.Action.EXPORT, drill.people, what)
    else:
        access_log(request, AccessLog.Action.EXPORT, None, what)
    label = figure_label(figure, scope)
    return xlsx_response(
        workbook(drill, label, str(figure.definition)), f"{figure.key.replace('.', '-')}.xlsx"
    )


# --- issued reports (reports.issuing) ---------------------------------------------------------

ISSUE = "reports.add_issuedreport"
ISSUED = "reports.view_issuedreport"


def _issue_target(request) -> tuple[str, int | None, Project | None]:
    """The report to issue, from the query string or the form: its kind and year or
    project."""
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind", "")
    if kind not in IssuedReport.Kind.values:
        raise Http404
    if kind == IssuedReport.Kind.PROJECT:
        if not data.get("project", "").isdigit():
            raise Http404
        return kind, None, get_object_or_404(Project, pk=int(data["project"]))
    if not data.get("year", "").isdigit():
        raise Http404
    return kind, _year(int(data["year"])), None


def _same_report(kind: str, year: int | None, project: Project | None):
    issued = IssuedReport.objects.filter(kind=kind).select_related("project")
    return issued.filter(project=project) if project else issued.filter(year=year)


@permission_required(ISSUE, raise_exception=True)
def issue(request):
    """'Wydaj / wyślij': confirm and freeze the report as it is now; a correction names
    the issue it corrects."""
    kind, year, project = _issue_target(request)
    earlier = list(_same_report(kind, year, project).defer("pdf", "xlsx", "data"))
    if request.method == "POST":
        corrects = None
        if request.POST.get("corrects"):
            corrects = next((r for r in earlier if str(r.pk) == request.POST["corrects"]), None)
            if corrects is None:
                raise Http404
        try:
            issued = report_issue(
                kind=kind,
                year=year,
                project=project,
                user=request.user,
                corrects=corrects,
                note=request.POST.get("note", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report has been issued and frozen."))
            return redirect("reports:issued_detail", pk=issued.pk)
    return render(
        request,
        "reports/issue.html",
        {
            "kind": kind,
            "kind_label": IssuedReport.Kind(kind).label,
            "year": year,
            "project": project,
            "earlier": earlier,
        },
    )


@require_GET
@permission_required(ISSUED, raise_exception=True)
def issued_list(request):
    """Issued reports by year and kind, newest first."""
    reports = IssuedReport.objects.select_related("project", "corrects").defer(
        "pdf", "xlsx", "data"
    )
    years: dict[int, list[IssuedReport]] = {}
    for report in reports.order_by("-year", "kind", "project__title", "-issued_at"):
        years.setdefault(report.year, []).append(report)
    return render(request, "reports/issued_list.html", {"years": years})


def _issued(pk: int) -> IssuedReport:
    return get_object_or_404(IssuedReport.objects.select_related("project", "corrects"), pk=pk)


@require_GET
@permission_required(ISSUED, raise_exception=True)
def issued_detail(request, pk: int):
    issued = _issued(pk)
    data = json.loads(issued.data)
    return render(
        request,
        "reports/issued_detail.html",
        {
            "issued": issued,
            "figures": len(data["figures"]),
            "corrections": issued.corrections.order_by("issued_at"),
            "can_issue": request.user.has_perm(ISSUE),
        },
    )


def _file_name(issued: IssuedReport, extension: str) -> str:
    what = f"projekt-{issued.project_id}" if issued.project_id else str(issued.year)
    return f"{issued.kind}-{what}-wydanie-{issued.pk}.{extension}"


@require_GET
@permission_required(ISSUED, raise_exception=True)
def issued_file(request, pk: int, extension: str):
    """The issued files exactly as stored: the PDF, the workbook, the data (JSON)."""
    issued = _issued(pk)
    content_types = {
        "pdf": ("application/pdf", bytes(issued.pdf)),
        "xlsx": (XLSX_TYPE, bytes(issued.xlsx)),
        "json": ("application/json", issued.data.encode()),
    }
    if extension not in content_types:
        raise Http404
    content_type, content = content_types[extension]
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if extension == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{_file_name(issued, extension)}"'
    return response


@require_GET
@permission_required(ISSUED, raise_exception=True)
def issued_compare(request, pk: int):
    """'Porównaj z obecnymi danymi': figure by figure, then and now, and the records that
    make the difference."""
    issued = _issued(pk)
    changes = compare(issued, request.user)
    changed = [change for change in changes if change.changed]
    # The people it names are a read of their data, like a card's.
    named = {
        record.participant_id
        for change in changed
        for record in (*change.added, *change.removed, *change.amounts)
        if record.participant_id is not None
    }
    access_log_people(
        request,
        AccessLog.Action.VIEW,
        [Participant(pk=person) for person in sorted(named)],
        f"issued report {issued.pk} compared",
    )
    return render(
        request,
        "reports/issued_compare.html",
        {"issued": issued, "changed": changed, "unchanged": len(changes) - len(changed)},
    )
