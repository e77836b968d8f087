from django.conf import settings

from kis.navigation import navigation_for
from kis.roles import user_roles
from kis.sessions import idle_seconds, kept_form_json
from projects.selectors import organisation_get


def kis(request) -> dict:
    """The centre and club heading every page, and for a signed-in user the navigation
    and role names."""
    organisation = organisation_get()
    context = {
        "organisation": organisation,
        "club_name": organisation.club_name if organisation else settings.KIS_CLUB_NAME,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["navigation"] = navigation_for(user, request.path)
        context["user_roles"] = user_roles(user)
        context["session_idle_seconds"] = idle_seconds()
        context["kept_form"] = kept_form_json(request)
    return context
