"""Printed papers of support activities, as PDF: the attendance list of a session, the
monthly attendance list of an activity and the certificate of completion. These are
what an auditor checks, so they carry the project's number and the funding programme."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import permission_required
from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from kis.audit import access_log, access_log_people
from kis.lib.formats import format_number
from kis.lib.pdf import render_pdf
from kis.models import AccessLog
from participants.access import activities_for, sessions_for
from participants.models import Activity, ActivityParticipant, Attendance, Session
from participants.selectors.support import Timeline, assignments_of, session_roster, timelines
from participants.views.people import restricted_refusal
from projects.selectors import letterhead

# More sessions than this do not fit across a portrait page.
PORTRAIT_MAX_SESSIONS = 6


def _activities(user) -> QuerySet[Activity]:
    return activities_for(user).select_related("project__programme", "support_form")


def _header(activity: Activity) -> dict:
    """What heads every paper: the centre, the club, the project and the activity."""
    return {**letterhead(), "activity": activity, "project": activity.project}


@permission_required("participants.view_activity", raise_exception=True)
def session_attendance_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        sessions_for(request.user).select_related(
            "activity__project__programme", "activity__support_form"
        ),
        pk=pk,
    )
    activity = session.activity
    # The session's own staff if it names any, else the activity's usual staff.
    staff = list(session.staff.all()) or list(activity.staff.all())
    # Only the people on the session's list: taking part in the project that day.
    assignments = [entry.assignment for entry in session_roster(session) if entry.on_list]
    context = {**_header(activity), "session": session, "staff": staff, "assignments": assignments}
    filename = f"lista-obecnosci-{activity.pk}-{session.date:%Y-%m-%d}.pdf"
    access_log_people(
        request,
        AccessLog.Action.PDF,
        [a.participant for a in assignments],
        f"attendance list, session {session.pk}",
    )
    return render_pdf(request, "participants/print/session_attendance.html", context, filename)


@permission_required("participants.view_activity", raise_exception=True)
def activity_month_attendance_pdf(
    request: HttpRequest, pk: int, year: int, month: int
) -> HttpResponse:
    try:
        month_start = date(year, month, 1)
    except (ValueError, OverflowError):  # a year beyond 9999, or beyond C's int
        raise Http404("No such month.") from None
    activity = get_object_or_404(_activities(request.user), pk=pk)
    sessions = list(
        activity.sessions.filter(date__year=year, date__month=month).order_by("date", "start_time")
    )
    if not sessions:
        raise Http404("No sessions in this month.")
    # The people on the list of at least one of the month's sessions; a session a person
    # was not on the list of is crossed out in his or her row.
    assignments = assignments_of(activity)
    lines = timelines(activity, (a.participant_id for a in assignments))
    rows = []
    for assignment in assignments:
        line = lines.get(assignment.participant_id, Timeline())
        cells = [line.on_list(session.date) for session in sessions]
        if any(cells):
            rows.append({"participant": assignment.participant, "cells": cells})
    people = [row["participant"] for row in rows]
    context = {
        **_header(activity),
        "month_start": month_start,
        "sessions": sessions,
        "staff": list(activity.staff.all()),
        "rows": rows,
        "landscape": len(sessions) > PORTRAIT_MAX_SESSIONS,
    }
    filename = f"lista-obecnosci-{activity.pk}-{month_start:%Y-%m}.pdf"
    access_log_people(
        request,
        AccessLog.Action.PDF,
        people,
        f"attendance list, activity {activity.pk}, {month}/{year}",
    )
    return render_pdf(request, "participants/print/month_attendance.html", context, filename)


def hours_attended(assignment: ActivityParticipant) -> Decimal:
    """Hours of the activity's sessions the person was present at (one SQL sum)."""
    return Session.objects.filter(
        activity_id=assignment.activity_id,
        attendance__participant_id=assignment.participant_id,
        attendance__status=Attendance.Status.PRESENT,
    ).aggregate(
        total=Coalesce(
            Sum("duration_hours"),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=8, decimal_places=2),
        )
    )["total"]


@permission_required("participants.view_activity", raise_exception=True)
def certificate_pdf(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    activity = get_object_or_404(_activities(request.user), pk=pk)
    # Only a completed activity earns a certificate.
    assignment = get_object_or_404(
        activity.assignments.select_related("participant"),
        pk=assignment_pk,
        completed_on__isnull=False,
    )
    if assignment.participant.processing_restricted:
        return restricted_refusal(request, assignment.participant)
    access_log(request, AccessLog.Action.PDF, assignment.participant, "certificate")
    context = _header(activity)
    context |= {
        "assignment": assignment,
        "participant": assignment.participant,
        "hours_attended": format_number(hours_attended(assignment), 1),
        "planned_hours": format_number(activity.planned_hours, 1),
    }
    filename = f"zaswiadczenie-{activity.pk}-{assignment.pk}.pdf"
    return render_pdf(request, "participants/print/certificate.html", context, filename)
