from django.shortcuts import render

from kis.navigation import navigation_for


def dashboard(request):
    """The start page after login: the club and the areas the user may open."""
    areas = [
        item
        for item in navigation_for(request.user, request.path)
        if item["url_name"] != "dashboard"
    ]
    return render(request, "dashboard.html", {"areas": areas})
