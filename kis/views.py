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

        context["week"] = week_sessions(request.user, today=context["today"])
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
    from kis.audit_search import AuditFilterForm, changes_for, reads_for, shown_changes
    from kis.lib.spreadsheet import DATETIME, Column, WorkbookBuilder, xlsx_response
    from kis.models import AccessLog

    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reads = reads_for(**filters)
    changes = changes_for(**filters)
    counts = (reads.count(), changes.count())

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
                f"#{e.participant_ref}" if e.participant_ref else "",
                e.what,
            ]
            for e in reads[:AUDIT_EXPORT_ROWS]
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
                f"{row['entry'].content_type.name} #{row['entry'].object_id}",
                row["entry"].get_action_display(),
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
