"""WSGI entry point: `gunicorn kis.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kis.settings")

application = get_wsgi_application()
