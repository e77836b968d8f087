"""Settings for the test suite: production settings with a fast hasher and local caches.

The database comes from DATABASE_URL like in production (CI points it at PostgreSQL).
"""

import os

# Tests run with DEBUG off like production; give them a key that passes the check.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "k1s" * 20)

from kis.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# No collectstatic before tests: serve plain file names instead of the manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests
SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
# Most tests are about features, not who sees whom: caseworkers see everybody there.
# The record-level access tests switch this off (participants/tests/test_access.py).
KIS_CASEWORKERS_SEE_ALL = True
