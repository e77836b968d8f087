"""Request types for the type checker."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class SignedInRequest(HttpRequest):
    """A request past LoginRequiredMiddleware: its user is signed in, never anonymous.
    Views that hand `request.user` to a service (an Actor, a `recorded_by`) say so:
    `request: SignedInRequest`. Only for annotations; Django builds the requests."""

    user: "User"
