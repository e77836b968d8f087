"""Sessions end after KIS_SESSION_IDLE_SECONDS without activity, and nothing typed is
lost when they do.

Idle timeout without a write per request: the session keeps the time it was last seen
(`SEEN`), rewritten at most once a minute (`TOUCH_SECONDS`); `SessionIdleMiddleware`
ends a session not seen for longer than the idle time. The session row's own expiry
(SESSION_COOKIE_AGE) is an hour longer, so that the middleware, which knows whose
session it was, is the one that ends it.

While the user types, static/js/session.js extends the session (`session_keepalive`,
at most once a minute) and warns two minutes before it would end. If a form is sent
after the session ended anyway, the middleware keeps what was sent (`KeptForm`: on the
server, for that user only, for KIS_KEPT_FORM_MINUTES), sends the user to the login
page with a message, and after the login back to the form's page, where session.js
fills the form in again from the kept data ("Sesja wygasła — Twoje dane zostały
zachowane"). Nothing is saved until the user sends the form again: the kept data are
never applied without being seen. Files are not kept (the user is told to choose them
again); the CSRF token is not kept (the page has a fresh one).
"""

import json
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kis.kept_forms import kept_form_store, kept_form_take
from kis.lib.http import SignedInRequest

SEEN = "_kis_seen"
TOUCH_SECONDS = 60
RESTORE_PARAMETER = "kis_restore"


def _now() -> int:
    return int(time.time())


def idle_seconds() -> int:
    return settings.KIS_SESSION_IDLE_SECONDS


def remaining_seconds(request: HttpRequest) -> int:
    """Seconds until the signed-in user's session ends without further activity."""
    seen = request.session.get(SEEN)
    if seen is None:
        return idle_seconds()
    return max(0, idle_seconds() - (_now() - int(seen)))


@receiver(user_logged_in)
def _seen_at_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """The login marks the session as seen (saved with it: no write on the next page)."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = _now()


def _unkept_paths() -> set[str]:
    return {
        reverse("login"),
        reverse("logout"),
        reverse("set_language"),
        reverse("session_keepalive"),
        reverse("admin:login"),
        reverse("admin:logout"),
    }


class SessionIdleMiddleware:
    """After AuthenticationMiddleware, before LoginRequiredMiddleware (whose redirect of
    an expired session's request to the login page this leaves in place)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            seen = request.session.get(SEEN)
            now = _now()
            if seen is not None and now - int(seen) > idle_seconds():
                request.kis_expired_user_id = user.pk  # type: ignore[attr-defined]
                logout(request)
            elif seen is None or (  # None: a session from before this middleware
                now - int(seen) >= TOUCH_SECONDS and request.path != reverse("session_status")
            ):
                request.session[SEEN] = now
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        expired = getattr(request, "kis_expired_user_id", None)
        if expired is not None:
            minutes = idle_seconds() // 60
            if request.method == "POST" and request.path not in _unkept_paths():
                return self._keep(request, expired, minutes)
            if request.path in (reverse("session_status"), reverse("session_keepalive")):
                return None
            messages.info(
                request,
                ngettext(
                    "Your session ended after %(minutes)s minute without activity: log in again.",
                    "Your session ended after %(minutes)s minutes without activity: log in again.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            return None
        token = request.GET.get(RESTORE_PARAMETER)
        if token and request.method == "GET" and request.user.is_authenticated:
            self._restore(request, token)  # type: ignore[arg-type]  # signed in
        return None

    def _keep(self, request: HttpRequest, user_id: int, minutes: int) -> HttpResponse:
        data = [[name, values] for name, values in request.POST.lists()]
        token = kept_form_store(
            user_id=user_id,
            path=request.path,
            data=[item for item in data if item[0] != "csrfmiddlewaretoken"],
            had_files=bool(request.FILES),
        )
        messages.warning(
            request,
            ngettext(
                "Your session ended after %(minutes)s minute without activity. The form "
                "you sent has not been saved, but its data have been kept: log in again "
                "and they will be filled in for you to check and save.",
                "Your session ended after %(minutes)s minutes without activity. The form "
                "you sent has not been saved, but its data have been kept: log in again "
                "and they will be filled in for you to check and save.",
                minutes,
            )
            % {"minutes": minutes},
        )
        query = request.GET.copy()
        query[RESTORE_PARAMETER] = token
        return redirect_to_login(f"{request.path}?{query.urlencode()}", settings.LOGIN_URL)

    def _restore(self, request: SignedInRequest, token: str) -> None:
        kept = kept_form_take(token=token, user=request.user, path=request.path)
        if kept is None:
            messages.info(
                request,
                _(
                    "The data of the form sent after your session ended are no longer "
                    "kept (they are kept for %(minutes)s minutes and filled in once)."
                )
                % {"minutes": settings.KIS_KEPT_FORM_MINUTES},
            )
            return
        request.kis_kept_form = kept.data  # type: ignore[attr-defined]
        messages.warning(
            request,
            _(
                "Session expired — your data have been kept. They are filled in below: "
                "check them and save the form again."
            ),
        )
        if kept.had_files:
            messages.warning(request, _("Attached files were not kept: choose them again."))


def kept_form_json(request: HttpRequest) -> str | None:
    """The kept data for session.js to fill in, on the page they were sent from."""
    data = getattr(request, "kis_kept_form", None)
    return json.dumps(data) if data is not None else None


def _state(request: HttpRequest) -> dict[str, Any]:
    return {"remaining": remaining_seconds(request), "idle": idle_seconds()}


@login_not_required
@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """The user is typing: the middleware has marked the session as seen (at most once
    a minute). 401 once the session has ended."""
    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0, "idle": idle_seconds()}, status=401)
    return JsonResponse(_state(request))


@login_not_required
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long the session has left, without extending it (another tab may have)."""
    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0, "idle": idle_seconds()}, status=401)
    return JsonResponse(_state(request))
