from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
