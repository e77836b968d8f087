"""Printed papers of support activities, as PDF: the attendance list of a session, the
monthly attendance list of an activity and the certificate of completion. These are
what an auditor checks, so they carry the project's number, the funding programme and
(for an EU-funded project) its logo strip.

An attendance list holds only the people on the session's list (the one rule:
`participants.selectors.support.Timeline.on_list`). After a roll call it is printed
with the marks entered, for the participants to confirm with their signatures; with
?blank=1 (or before the roll call) it is a blank sheet to sign during the session."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from kis.audit import access_log, access_log_people
from kis.lib.formats import format_number
from kis.lib.http import SignedInRequest
from kis.lib.pdf import render_pdf
from kis.models import AccessLog
from participants.access import activities_for, sessions_for
from participants.models import Activity, ActivityParticipant, Attendance, Session
from participants.selectors.support import Timeline, assignments_of, session_roster, timelines
from participants.services.papers import certificate_issue, certificates_issue_all
from participants.templatetags.participant_words import mark_word
from participants.views.people import restricted_refusal
from projects.selectors import letterhead

# More sessions than this do not fit across a portrait page.
PORTRAIT_MAX_SESSIONS = 6


def _activities(user) -> QuerySet[Activity]:
    return activities_for(user).select_related("project__programme", "support_form")


def _header(activity: Activity) -> dict:
    """What heads every paper: the centre, the club (and the project's logo strip), the
    project and the activity."""
    return {**letterhead(activity.project), "activity": activity, "project": activity.project}


def wants_blank(request: HttpRequest) -> bool:
    return request.GET.get("blank") == "1"


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
    people = [entry.participant for entry in session_roster(session) if entry.on_list]
    marks = dict(Attendance.objects.filter(session=session).values_list("participant_id", "status"))
    prefilled = bool(marks) and not wants_blank(request)
    rows = [
        {"participant": p, "mark": mark_word(marks.get(p.pk, ""), p) if prefilled else ""}
        for p in people
    ]
    context = {
        **_header(activity),
        "session": session,
        "staff": staff,
        "rows": rows,
        "prefilled": prefilled,
    }
    filename = f"lista-obecnosci-{activity.pk}-{session.date:%Y-%m-%d}.pdf"
    access_log_people(
        request, AccessLog.Action.PDF, people, f"attendance list, session {session.pk}"
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
    marks = {}
    if not wants_blank(request):
        marks = {
            (pid, sid): status
            for pid, sid, status in Attendance.objects.filter(session__in=sessions).values_list(
                "participant_id", "session_id", "status"
            )
        }
    rows = []
    for assignment in assignments:
        line = lines.get(assignment.participant_id, Timeline())
        person = assignment.participant
        cells = [
            {
                "on_list": line.on_list(session.date),
                "mark": mark_word(marks.get((person.pk, session.pk), ""), person),
            }
            for session in sessions
        ]
        if any(cell["on_list"] for cell in cells):
            rows.append({"participant": person, "cells": cells})
    people = [row["participant"] for row in rows]
    context = {
        **_header(activity),
        "month_start": month_start,
        "sessions": sessions,
        "staff": list(activity.staff.all()),
        "rows": rows,
        "prefilled": bool(marks),
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
def certificate_pdf(request: SignedInRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """The certificate of completion. Its first printing issues it: the next number of
    the register of certificates; printed again, it keeps the number and the date."""
    activity = get_object_or_404(_activities(request.user), pk=pk)
    # Only a completed activity earns a certificate.
    assignment = get_object_or_404(
        activity.assignments.select_related("participant"),
        pk=assignment_pk,
        completed_on__isnull=False,
    )
    person = assignment.participant
    if person.processing_restricted or person.anonymised_at is not None:
        return restricted_refusal(request, person)
    try:
        certificate = certificate_issue(assignment=assignment, user=request.user)
    except ValidationError:
        raise Http404("The certificate cannot be issued.") from None
    access_log(request, AccessLog.Action.PDF, person, f"certificate {certificate.number}")
    context = _header(activity)
    context |= {
        "assignment": assignment,
        "certificate": certificate,
        "participant": person,
        "hours_attended": format_number(hours_attended(assignment), 1),
        "planned_hours": format_number(activity.planned_hours, 1),
    }
    filename = f"zaswiadczenie-{certificate.sequence}-{certificate.year}.pdf"
    return render_pdf(request, "participants/print/certificate.html", context, filename)


@permission_required("participants.view_activity", raise_exception=True)
def certificates_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    """All certificates of the activity in one PDF, a page each: everybody who completed
    it (those whose data may be processed). Printing issues those not issued yet with
    the next numbers of the register (`certificates_issue_all`); the others keep theirs."""
    activity = get_object_or_404(_activities(request.user), pk=pk)
    issued = certificates_issue_all(activity=activity, user=request.user)
    if not issued:
        raise Http404("Nobody has completed the activity.")
    hours = dict(
        Attendance.objects.filter(
            session__activity=activity,
            status=Attendance.Status.PRESENT,
            participant_id__in=[a.participant_id for a, _c in issued],
        )
        .values("participant_id")
        .annotate(
            total=Coalesce(
                Sum("session__duration_hours"),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=8, decimal_places=2),
            )
        )
        .values_list("participant_id", "total")
    )
    for assignment, certificate in issued:
        access_log(
            request,
            AccessLog.Action.PDF,
            assignment.participant,
            f"certificate {certificate.number}",
        )
    context = _header(activity)
    context |= {
        "items": [
            {
                "assignment": assignment,
                "certificate": certificate,
                "participant": assignment.participant,
                "hours_attended": format_number(
                    hours.get(assignment.participant_id, Decimal("0")), 1
                ),
            }
            for assignment, certificate in issued
        ],
        "planned_hours": format_number(activity.planned_hours, 1),
    }
    filename = f"zaswiadczenia-zajecia-{activity.pk}.pdf"
    return render_pdf(request, "participants/print/certificates.html", context, filename)
