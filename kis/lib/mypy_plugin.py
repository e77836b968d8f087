"""A mypy plugin (mypy.ini) for a mistake mypy cannot see by itself: a function
decorator put on a class.

`@transaction.atomic` on `class EditConflict(ValidationError)` replaced the class with a
function (ContextDecorator wraps what it decorates), so `except EditConflict:` raised
TypeError at run time. mypy does not apply class decorators to the class's type, and
django-stubs types `atomic(f)` as returning `f`, so nothing complained. Here each of
Django's decorators that wrap a view or a function in a new function is refused on a
class, with the way to do it right.
"""

from collections.abc import Callable

from mypy.errorcodes import ErrorCode
from mypy.plugin import ClassDefContext, Plugin

FUNCTION_ON_CLASS = ErrorCode(
    "function-decorator-on-class",
    "A decorator that wraps a function is applied to a class",
    "General",
)

# Decorators that return a new function in place of what they decorate.
FUNCTION_DECORATORS = frozenset(
    {
        "django.db.transaction.atomic",
        "django.db.transaction.non_atomic_requests",
        "django.contrib.auth.decorators.login_required",
        "django.contrib.auth.decorators.permission_required",
        "django.contrib.auth.decorators.user_passes_test",
        "django.views.decorators.http.require_http_methods",
        "django.views.decorators.http.require_GET",
        "django.views.decorators.http.require_POST",
        "django.views.decorators.http.require_safe",
        "django.views.decorators.cache.cache_page",
        "django.views.decorators.cache.never_cache",
        "django.views.decorators.csrf.csrf_exempt",
        "django.views.decorators.csrf.csrf_protect",
        "functools.cache",
        "functools.lru_cache",
    }
)


def _refuse(name: str) -> Callable[[ClassDefContext], None]:
    def hook(ctx: ClassDefContext) -> None:
        ctx.api.fail(
            f'"{name}" replaces the class "{ctx.cls.name}" with a function (`except` or '
            "`isinstance` with it then fails at run time): decorate its methods, or use "
            "django.utils.decorators.method_decorator",
            ctx.reason,
            code=FUNCTION_ON_CLASS,
        )

    return hook


class KisPlugin(Plugin):
    def get_class_decorator_hook(self, fullname: str) -> Callable[[ClassDefContext], None] | None:
        if fullname in FUNCTION_DECORATORS:
            return _refuse(fullname.rsplit(".", 1)[-1])
        return None


def plugin(version: str) -> type[Plugin]:
    return KisPlugin
