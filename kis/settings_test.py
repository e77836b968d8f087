"""Settings for the test suite: production settings with a fast password hasher, local
caches and e-mail kept in memory. Nothing else differs from production: record-level
access, the HTTPS redirect and the hashed static files of `collectstatic` are on, and a
test that needs something else says so with a fixture (conftest.py).

Background tasks are the one exception every test shares: they run at once (the
immediate backend) instead of waiting for a worker. That is set by the autouse fixture
`tasks_run_immediately` in conftest.py, not here, so that it reads as what it is; a test
marked `task_queue` keeps the database backend and runs `db_worker` itself.

The database comes from DATABASE_URL like in production (CI points it at PostgreSQL).
"""

import os

# Tests run with DEBUG off like production; give them a key that passes the check.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "k1s" * 20)

from kis.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
