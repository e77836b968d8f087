from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kis.audit import access_log, access_log_people
from kis.lib.charts import bar_chart
from kis.lib.pdf import render_pdf
from kis.lib.spreadsheet import xlsx_response
from kis.models import AccessLog
from participants.access import participants_for
from projects.models import Project
from projects.selectors import letterhead
from reports.eu_monitoring import eu_export
from reports.excel import annual_workbook, eu_workbook, project_workbook, statutory_workbook
from reports.models import AnnualSection
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


def _heading() -> dict:
    return {**letterhead(), "generated_on": timezone.localdate()}


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
    charts = {
        "served": bar_chart(
            [(_("women"), summary.served.women), (_("men"), summary.served.men)],
            title=_("People served by sex"),
        ),
        "budget": bar_chart(
            [(row.label, row.spent) for row in summary.budget.categories],
            title=_("Spent by category"),
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
            title=_("Outcomes"),
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
    return render(request, "reports/annual.html", context)


@permission_required(VIEW, raise_exception=True)
def annual_pdf(request, year: int):
    context = _annual_context(_year(year))
    return render_pdf(
        request, "reports/annual_print.html", context, f"podsumowanie-kis-{year}.pdf", download=True
    )


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
    return {"project": project, "report": report, **_heading()}


@permission_required(VIEW, raise_exception=True)
def project(request, pk: int):
    return render(request, "reports/project.html", _project_context(pk))


@permission_required(VIEW, raise_exception=True)
def project_pdf(request, pk: int):
    context = _project_context(pk)
    return render_pdf(
        request, "reports/project_print.html", context, f"raport-projektu-{pk}.pdf", download=True
    )


@permission_required(VIEW, raise_exception=True)
def project_xlsx(request, pk: int):
    context = _project_context(pk)
    access_log(request, AccessLog.Action.EXPORT, None, f"project report {pk} (XLSX)")
    return xlsx_response(project_workbook(context["report"]), f"raport-projektu-{pk}.xlsx")


def _statutory_context(year: int) -> dict:
    return {
        "year": year,
        "report": statutory_report(year),
        "definitions": statutory_definitions(),
        "projects": projects_in_year(year),
        **_heading(),
    }


@permission_required(VIEW, raise_exception=True)
def statutory(request, year: int):
    return render(request, "reports/statutory.html", _statutory_context(_year(year)))


@permission_required(VIEW, raise_exception=True)
def statutory_pdf(request, year: int):
    context = _statutory_context(_year(year))
    return render_pdf(
        request,
        "reports/statutory_print.html",
        context,
        f"sprawozdanie-kis-{year}.pdf",
        download=True,
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
