from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from kis.navigation import navigation_for


def dashboard(request):
    """The start page: for caseworkers this week's sessions to take the roll call of and
    the follow-ups due, for everybody the areas they may open."""
    areas = [
        item
        for item in navigation_for(request.user, request.path)
        if item["url_name"] != "dashboard"
    ]
    context: dict[str, Any] = {"areas": areas, "today": timezone.localdate()}
    if request.user.has_perm("reports.view_reports"):
        from reports.selectors import year_at_a_glance

        context["glance"] = year_at_a_glance(context["today"].year)
    if request.user.has_perm("participants.add_attendance"):
        from participants.selectors.support import week_sessions

        context["week"] = week_sessions(request.user, today=context["today"])
    context |= _todo(request.user, context["today"])
    return render(request, "dashboard.html", context)


def _todo(user, today) -> dict[str, Any]:
    """The to-do list (participants.selectors.todo) and, for managers, the checks of the
    centre's projects: indicators against targets, projects past their end still marked
    in progress, and how much of the year has passed (next to the budget executed)."""
    from participants.selectors.support import attendance_threshold
    from participants.selectors.todo import CONTRACT_NOTICE, todo_list

    context: dict[str, Any] = {}
    if user.has_perm("participants.view_participant"):
        context["todo"] = todo_list(user, today)
        context["soon"] = today + CONTRACT_NOTICE
        context["attendance_threshold"] = attendance_threshold()
    if user.has_perm("reports.view_reports"):
        from projects.selectors import projects_past_end, year_passed
        from reports.selectors import running_projects_indicators

        context["manager_checks"] = {
            "past_end": list(projects_past_end(today)),
            "indicators": running_projects_indicators(today),
        }
        context["year_passed"] = year_passed(today)
    return context


@login_not_required
def accessibility(request):
    """The accessibility statement required of public bodies (Polish act of 4 April
    2019 on digital accessibility), from the centre's profile and settings."""
    from projects.selectors import organisation_get

    organisation = organisation_get()
    return render(
        request,
        "accessibility.html",
        {
            "centre": organisation.name if organisation else settings.KIS_CLUB_NAME,
            "contact_name": settings.KIS_ACCESSIBILITY_CONTACT_NAME,
            "contact_email": settings.KIS_ACCESSIBILITY_CONTACT_EMAIL
            or (organisation.email if organisation else ""),
            "contact_phone": settings.KIS_ACCESSIBILITY_CONTACT_PHONE
            or (organisation.phone if organisation else ""),
            "published": settings.KIS_ACCESSIBILITY_PUBLISHED,
            "updated": settings.KIS_ACCESSIBILITY_UPDATED,
            "address": organisation.address if organisation else "",
        },
    )


@permission_required("kis.view_accesslog", raise_exception=True)
def audit(request):
    """The audit trail for managers and administrators: reads and logins (AccessLog)
    and changes with their fields (auditlog), searchable by person, user and date."""
    from auditlog.models import LogEntry

    from kis.audit_search import (
        AuditFilterForm,
        changes_for,
        participant_names,
        read_texts,
        reads_for,
        shown_changes,
    )

    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reads = Paginator(reads_for(**filters), 50).get_page(request.GET.get("page"))
    names, texts = participant_names(reads), read_texts(reads)
    # People, activities and sessions by name (one deleted since: by number).
    read_rows = [
        {"entry": e, "name": names.get(e.participant_ref or 0, ""), "what": texts[e.pk]}
        for e in reads
    ]
    changes = Paginator(changes_for(**filters), 50).get_page(request.GET.get("changes_page"))
    return render(
        request,
        "audit.html",
        {
            "form": form,
            "reads": reads,
            "read_rows": read_rows,
            "changes": changes,
            "change_rows": shown_changes(changes, request.user),
            "actions": dict(LogEntry.Action.choices),
        },
    )


# An export of the audit search holds at most this many rows of each kind: narrow the
# search (person, user, dates) for more.
AUDIT_EXPORT_ROWS = 20_000


@permission_required("kis.view_accesslog", raise_exception=True)
def audit_xlsx(request):
    """The audit search as on its page (same filters), reads and changes on two sheets;
    sensitive values hidden from those who may not see them, as on the page."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from kis.audit import access_log
    from kis.audit_search import (
        AuditFilterForm,
        changes_for,
        participant_names,
        read_texts,
        reads_for,
        shown_changes,
    )
    from kis.lib.spreadsheet import DATETIME, Column, WorkbookBuilder, xlsx_response
    from kis.models import AccessLog

    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reads = reads_for(**filters)
    changes = changes_for(**filters)
    counts = (reads.count(), changes.count())
    read_rows = list(reads[:AUDIT_EXPORT_ROWS])
    names, texts = participant_names(read_rows), read_texts(read_rows)

    def cut(total: int) -> list[str]:
        if total <= AUDIT_EXPORT_ROWS:
            return []
        return [
            ngettext(
                "The first %(shown)s of %(total)s entry: narrow the search for the rest.",
                "The first %(shown)s of %(total)s entries: narrow the search for the rest.",
                total,
            )
            % {"shown": AUDIT_EXPORT_ROWS, "total": total}
        ]

    book = WorkbookBuilder()
    book.sheet(
        _("Reads, exports and logins"),
        [
            Column(_("When"), DATETIME),
            Column(_("User")),
            Column(_("Address")),
            Column(_("Action")),
            Column(_("Participant")),
            Column(_("What")),
        ],
        [
            [
                e.at,
                e.username,
                e.ip_address or "",
                e.get_action_display(),
                " ".join(filter(None, [names.get(e.participant_ref, ""), f"#{e.participant_ref}"]))
                if e.participant_ref
                else "",
                texts[e.pk],
            ]
            for e in read_rows
        ],  # fmt: skip
        notes=cut(counts[0]),
    )
    book.sheet(
        _("Changes of personal data"),
        [
            Column(_("When"), DATETIME),
            Column(_("User")),
            Column(_("Address")),
            Column(_("Record")),
            Column(_("Action")),
            Column(_("Changes"), width=80),
        ],
        [
            [
                row["entry"].timestamp,
                row["entry"].actor.get_username() if row["entry"].actor else "",
                row["entry"].remote_addr or "",
                row["record"],
                row["action"],
                "\n".join(
                    f"{c['field']}: "
                    + (
                        _("sensitive data, not shown")
                        if c["hidden"]
                        else f"{c['old'] or '–'} → {c['new'] or '–'}"
                    )
                    for c in row["changes"]
                ),
            ]
            for row in shown_changes(changes[:AUDIT_EXPORT_ROWS], request.user)
        ],
        notes=cut(counts[1]),
    )
    access_log(request, AccessLog.Action.EXPORT, None, "audit search (XLSX)")
    return xlsx_response(book.content(), "dziennik-zdarzen.xlsx")


def _own_job(request, pk: int):
    """The user's own background job; anybody else's is a 404 (as if it did not
    exist: its name may say whose papers it makes)."""
    from django.shortcuts import get_object_or_404

    from kis.models import BackgroundJob

    return get_object_or_404(BackgroundJob, pk=pk, owner=request.user)


def _job_state(job) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "message": job.message,
        "finished": job.finished,
        "next_url": job.next_url if job.status == job.Status.DONE else "",
        "file_url": reverse("job_file", args=[job.pk]) if job.result_file else "",
    }


def job(request, pk: int):
    """A background job's progress, polled by static/js/jobs.js; when done, its result
    file or the next page."""
    job = _own_job(request, pk)
    return render(request, "job.html", {"job": job, "state": _job_state(job)})


def job_json(request, pk: int):
    from django.http import JsonResponse

    return JsonResponse(_job_state(_own_job(request, pk)))


def job_file(request, pk: int):
    """The job's file, to its owner. What it holds was logged by the job when it read
    the people's data; the download is logged as an export too."""
    from django.http import FileResponse, Http404

    from kis.audit import access_log
    from kis.models import AccessLog

    job = _own_job(request, pk)
    if not job.result_file:
        raise Http404("No file.")
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    access_log(request, AccessLog.Action.EXPORT, what=f"background task {job.pk}")
    name = job.result_name or job.result_file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
