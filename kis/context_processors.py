from django.conf import settings

from kis.navigation import navigation_for
from kis.roles import user_roles


def kis(request) -> dict:
    """The club's name, and for a signed-in user the navigation and role names."""
    context = {"club_name": settings.KIS_CLUB_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["navigation"] = navigation_for(user, request.path)
        context["user_roles"] = user_roles(user)
    return context
