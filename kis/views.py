from django.shortcuts import render
from django.utils import timezone

from kis.navigation import navigation_for


def dashboard(request):
    """The start page: for caseworkers this week's sessions to take the roll call of,
    for everybody the areas they may open."""
    areas = [
        item
        for item in navigation_for(request.user, request.path)
        if item["url_name"] != "dashboard"
    ]
    context = {"areas": areas, "today": timezone.localdate()}
    if request.user.has_perm("reports.view_reports"):
        from reports.selectors import year_at_a_glance

        context["glance"] = year_at_a_glance(context["today"].year)
    if request.user.has_perm("participants.add_attendance"):
        from participants.selectors.support import week_sessions

        context["sessions"], context["only_own_sessions"] = week_sessions(request.user)
    return render(request, "dashboard.html", context)
