"""`{% statutory_deadline %}`: on the manager's dashboard, the report to the voivode for
the previous year, due by 31 March (art. 18a(6) of the Social Employment Act), until it
has been issued (reports.issuing). Its own fragment, so the dashboard's template only
includes it."""

from datetime import date

from django import template
from django.utils import timezone

from reports.models import IssuedReport

register = template.Library()


@register.inclusion_tag("reports/fragments/statutory_deadline.html", takes_context=True)
def statutory_deadline(context) -> dict:
    user = context.get("user")
    if user is None or not user.has_perm("reports.view_reports"):
        return {"show": False}
    today = timezone.localdate()
    year = today.year - 1
    if IssuedReport.objects.filter(kind=IssuedReport.Kind.STATUTORY, year=year).exists():
        return {"show": False}
    deadline = date(today.year, 3, 31)
    return {
        "show": True,
        "year": year,
        "deadline": deadline,
        "overdue": today > deadline,
        "days_left": (deadline - today).days,
        "can_issue": user.has_perm("reports.add_issuedreport"),
    }
