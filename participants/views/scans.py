"""Signed attendance lists closed in the loop: the scan of a session's signed list is
uploaded to the session, served only to whoever may open the session (never cached),
and one page per activity or project is the auditor's check that every held session
has a signed list matching the attendance entered."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kis.audit import access_log_people
from kis.lib.http import SignedInRequest
from kis.models import AccessLog
from participants.access import activities_for, sees_everybody, sessions_for
from participants.forms.support import AttendanceScanForm
from participants.models import Attendance, AttendanceScan, Participant, Session
from participants.selectors.papers import signed_list_check
from participants.services.papers import SCAN_MAX_BYTES, attendance_scan_save
from participants.templatetags.participant_words import mark_word
from participants.views.people import add_validation_error, log_refusal
from projects.models import Project

SUFFIXES: dict[str, str] = {
    AttendanceScan.Kind.PDF: "pdf",
    AttendanceScan.Kind.JPEG: "jpg",
    AttendanceScan.Kind.PNG: "png",
}


def _session(request: HttpRequest, pk: int) -> Session:
    # Whoever may open the session's roll call: its activity's people, and a trainer who
    # runs this one session only.
    return get_object_or_404(sessions_for(request.user).select_related("activity__project"), pk=pk)


@permission_required("participants.add_attendancescan", raise_exception=True)
def session_scan_upload(request: SignedInRequest, pk: int) -> HttpResponse:
    """Upload (or replace) the scan of a session's signed list. The page shows the
    attendance entered, to compare the signatures with."""
    session = _session(request, pk)
    scan = AttendanceScan.objects.filter(session=session).select_related("uploaded_by").first()
    form = AttendanceScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendance_scan_save(
                session=session,
                file=form.cleaned_data["file"],
                matches_attendance=form.cleaned_data["matches_attendance"],
                user=request.user,
            )
        except ValidationError as error:
            log_refusal(request, error)
            add_validation_error(form, error)
        else:
            messages.success(request, _("The signed attendance list has been saved."))
            return redirect(
                reverse("participants:activity_detail", args=[session.activity_id]) + "#h-sessions"
            )
    marks = list(
        Attendance.objects.filter(session=session)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name")
    )
    access_log_people(
        request,
        AccessLog.Action.VIEW,
        [mark.participant for mark in marks],
        f"signed list, session {session.pk}",
    )
    return render(
        request,
        "participants/session_scan_form.html",
        {
            "session": session,
            "scan": scan,
            "form": form,
            "marks": [(m.participant, mark_word(m.status, m.participant)) for m in marks],
            "max_mb": SCAN_MAX_BYTES // (1024 * 1024),
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("participants.view_attendancescan", raise_exception=True)
def session_scan(request: HttpRequest, pk: int) -> FileResponse:
    """The scan itself, to users who may open the session; never cached. Reading it is
    reading the data of everybody on the list: each of them gets an entry in the access
    log."""
    session = _session(request, pk)
    scan = AttendanceScan.objects.filter(session=session).first()
    if scan is None or not scan.file:
        raise Http404("No signed list.")
    people = Participant.objects.filter(attendance__session=session)
    access_log_people(request, AccessLog.Action.VIEW, people, f"signed list, session {session.pk}")
    try:
        handle = scan.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    filename = (
        f"lista-podpisana-{session.activity_id}-{session.date:%Y-%m-%d}."
        f"{SUFFIXES.get(scan.content_type, 'bin')}"
    )
    response = FileResponse(handle, content_type=scan.content_type, filename=filename)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _check_page(request, *, title: str, sessions, back: str, activity=None):
    # Dates, counts and staff only: no participant's data, nothing for the access log.
    check = signed_list_check(sessions)
    return render(
        request,
        "participants/signed_lists.html",
        {"title": title, "check": check, "back": back, "activity": activity},
    )


@permission_required("participants.view_attendancescan", raise_exception=True)
def activity_scans(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor's check for one activity: every held session, its signed list and
    whether it still matches the attendance entered."""
    activity = get_object_or_404(activities_for(request.user).select_related("project"), pk=pk)
    return _check_page(
        request,
        title=_("Signed attendance lists: %(activity)s") % {"activity": activity.name},
        sessions=activity.sessions.all(),
        back=reverse("participants:activity_detail", args=[activity.pk]),
        activity=activity,
    )


@permission_required("participants.view_attendancescan", raise_exception=True)
def project_scans(request: HttpRequest, project_pk: int) -> HttpResponse:
    """The same check for every activity of a project the user may open."""
    project = get_object_or_404(Project, pk=project_pk)
    activities = activities_for(request.user).filter(project=project)
    if not sees_everybody(request.user) and not activities.exists():
        raise Http404("No activities of this project that the user may open.")
    return _check_page(
        request,
        title=_("Signed attendance lists: %(project)s") % {"project": project.title},
        sessions=Session.objects.filter(activity__in=activities),
        back=reverse("projects:detail", args=[project.pk]),
    )
