"""Settings of KIS, read from the environment (and an optional `.env` file).

Zero set-up on a developer's machine: without any variable the app runs on a SQLite
file. Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL
(PostgreSQL); see `.env.example` and README.md.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A key that is safe to publish because it only ever signs a developer's sessions.
_DEV_SECRET_KEY = "django-insecure-kis-development-only-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")


def _check_secret_key(key: str, debug: bool) -> str:
    """Refuse to start in production mode without a real secret."""
    if debug:
        return key or _DEV_SECRET_KEY
    if not key or key.startswith("django-insecure") or len(key) < 50 or len(set(key)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random string of at least 50 characters when "
            'DEBUG is off (production). Generate one with: python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"'
        )
    return key


SECRET_KEY = _check_secret_key(SECRET_KEY, DEBUG)

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "auditlog",
    "kis.third_party_apps.AxesConfig",  # axes, named in Polish
    "django_tasks",
    "kis.third_party_apps.TasksDbConfig",  # django_tasks_db, named in Polish
    "kis",
    "projects",
    "participants",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kis.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Ends idle sessions, keeps a form sent after the end (kis/sessions.py).
    "kis.sessions.SessionIdleMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Nothing a signed-in user sees is kept in the browser's cache (shared computers).
    "kis.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # django-auditlog's, with the client's address from kis/lib/client.py.
    "kis.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kis.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kis.context_processors.kis",
            ],
        },
    },
]

WSGI_APPLICATION = "kis.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A connection kept open (CONN_MAX_AGE) that the database closed meanwhile (a restart)
# is replaced at the start of the next request instead of failing it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation: it pays off for long analytical queries, not for a page's
    # (measured by bench_reports at 25 000 people: 0.6 s compiling a 0.4 s query of the
    # annual report, whose windowed subqueries the planner over-costs).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (kis/jobs.py): tasks are rows in the database (django-tasks-db), run by
# `manage.py db_worker` (bin/serve starts one beside the server; production has the
# kis-worker service). Finished tasks' rows: `manage.py prune_db_task_results`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# /healthz fails ("tasks") when a task has waited this long: no worker takes them.
KIS_WORKER_LATE_SECONDS = env.int("KIS_WORKER_LATE_SECONDS", default=600)

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins (kis/lockout.py): counted per user name and client address; after
# AXES_FAILURE_LIMIT of them that name waits from that address, first
# AXES_FIRST_DELAY_SECONDS, doubling after each further failure up to AXES_COOLOFF_HOURS.
# Nobody can lock a colleague out from another computer by guessing at his or her name.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "kis.lockout.GrowingDelayHandler"
AXES_LOCKOUT_CALLABLE = "kis.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "kis.lockout.login_username"
# django-axes's defaults, named here because kis/lockout.py reads them.
AXES_USERNAME_FORM_FIELD = "username"
AXES_HTTP_RESPONSE_CODE = 429
# Attempts while waiting are refused without counting (or the wait would never end).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
KIS_LOGIN_FIRST_DELAY = timedelta(seconds=env.int("AXES_FIRST_DELAY_SECONDS", default=60))
# Reverse proxies in front of the app (nginx: 1). The client's address is then the
# X-Forwarded-For entry at -AXES_PROXY_COUNT (kis/lib/client.py), for the lock-out, the
# access log and the change log alike; with 0 the header is ignored.
# (Not named AXES_PROXY_COUNT: django-axes warns about that name, which it no longer uses.)
KIS_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
if KIS_PROXY_COUNT < 0:
    raise ImproperlyConfigured("AXES_PROXY_COUNT is the number of proxies: 0 or more.")
AXES_CLIENT_IP_CALLABLE = "kis.lib.client.client_address"

# Sessions end after 30 minutes without activity (welfare data on shared computers),
# ended by kis.sessions.SessionIdleMiddleware, which rewrites the session at most once a
# minute (not on every request). The session row lives an hour longer, so that the
# middleware sees the expired session and can keep a form sent after it ended.
KIS_SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = KIS_SESSION_IDLE_SECONDS + 60 * 60
SESSION_SAVE_EVERY_REQUEST = False
# How long a form sent after the session ended is kept for its user (kis/sessions.py).
KIS_KEPT_FORM_MINUTES = 30
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy: only the app's own origin, no inline scripts; inline style
# attributes are not used either. The PDF renderer does not go through the browser.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Polish first; English is available through the language switch in the footer.
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Warsaw"
USE_TZ = True
# Numbers are grouped only where a template asks for it (the `money` and `number`
# filters in kis_format): grouping everywhere would print years as "2 014".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production serves hashed, compressed files collected by `collectstatic`.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The proxy and monitoring ask for the health check over plain HTTP on localhost.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    # Preloading is a decision about the centre's whole domain (and impossible for an
    # intranet host name), not the application's: off unless SECURE_HSTS_PRELOAD says.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# --- KIS -------------------------------------------------------------------------------
# Shown in the header and on the dashboard until the centre's profile exists.
KIS_CLUB_NAME = env.str("KIS_CLUB_NAME", default="Klub Integracji Społecznej")
# `manage.py demo` creates users with a published password: only in demo mode.
KIS_DEMO_MODE = env.bool("KIS_DEMO_MODE", default=DEBUG)
# Attendance below this percentage is marked in the activity grid.
KIS_ATTENDANCE_THRESHOLD = env.int("KIS_ATTENDANCE_THRESHOLD", default=80)

# The accessibility statement (required of public bodies): contact and dates.
KIS_ACCESSIBILITY_CONTACT_NAME = env.str("KIS_ACCESSIBILITY_CONTACT_NAME", default="")
KIS_ACCESSIBILITY_CONTACT_EMAIL = env.str("KIS_ACCESSIBILITY_CONTACT_EMAIL", default="")
KIS_ACCESSIBILITY_CONTACT_PHONE = env.str("KIS_ACCESSIBILITY_CONTACT_PHONE", default="")
KIS_ACCESSIBILITY_PUBLISHED = date.fromisoformat(
    env.str("KIS_ACCESSIBILITY_PUBLISHED", default="2026-11-22")
)
KIS_ACCESSIBILITY_UPDATED = date.fromisoformat(
    env.str("KIS_ACCESSIBILITY_UPDATED", default="2026-11-22")
)

# Record-level access: False = a caseworker sees the participants of his or her
# projects and activities and those he or she registered; True (small centres) =
# every caseworker sees everybody.
KIS_CASEWORKERS_SEE_ALL = env.bool("KIS_CASEWORKERS_SEE_ALL", default=False)
