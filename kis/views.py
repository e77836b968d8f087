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
        from participants.selectors.support import overdue_roll_calls, week_sessions

        context["sessions"], context["only_own_sessions"] = week_sessions(request.user)
        context["overdue"], context["overdue_total"] = overdue_roll_calls(request.user)
    if request.user.has_perm("participants.view_followup"):
        from participants.selectors.outcomes import follow_ups_due_counts

        context["follow_ups"] = follow_ups_due_counts(request.user, today=context["today"])
    return render(request, "dashboard.html", context)


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

    from kis.audit_search import AuditFilterForm, changes_for, reads_for, shown_changes

    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reads = Paginator(reads_for(**filters), 50).get_page(request.GET.get("page"))
    changes = Paginator(changes_for(**filters), 50).get_page(request.GET.get("changes_page"))
    return render(
        request,
        "audit.html",
        {
            "form": form,
            "reads": reads,
            "changes": changes,
            "change_rows": shown_changes(changes, request.user),
            "actions": dict(LogEntry.Action.choices),
        },
    )
