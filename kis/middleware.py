import auditlog.middleware
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from kis.lib.client import client_address


class LanguageMiddleware:
    """Serve Polish unless the user picked another language with the footer switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the
    staff of a Polish welfare centre get the Polish interface (and Polish dates and
    numbers) even on a computer set up in English. The choice is kept in the language
    cookie written by `django.views.i18n.set_language`.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so that work outside
        # requests (commands, tests) does not inherit the last visitor's choice.
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user.

    Cards, exports, PDFs and spreadsheets hold personal data; on a computer shared by
    the staff of a centre they must not stay in the browser's cache for the next person
    (nor in a proxy's). Static files are served before this middleware (WhiteNoise) and
    keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class AuditlogMiddleware(auditlog.middleware.AuditlogMiddleware):
    """django-auditlog's middleware with the client's address from `client_address`.

    Its own takes the leftmost X-Forwarded-For entry, which any client can write (and
    which, not being an address, made PostgreSQL refuse the change). The port it takes
    from X-Forwarded-Port is the client's word too, and of no use: not recorded."""

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request)

    @staticmethod
    def _get_remote_port(request):
        return None
