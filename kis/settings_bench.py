"""Production settings for the load benchmark (`bench_reports --load`) on 127.0.0.1:
plain HTTP (the TLS proxy's part) and static files without `collectstatic`. Nothing
else differs from kis.settings."""

from kis.settings import *  # noqa: F403
from kis.settings import STORAGES

ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
