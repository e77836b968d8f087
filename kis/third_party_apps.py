"""Third-party apps under names users read in admin's sidebar (their own are English:
"Axes", "Tasks Database Backend"); the label and everything else stay the apps'.
Named in INSTALLED_APPS (a module of their own: kis.apps must hold only KisConfig for
"kis" to find it)."""

from axes.apps import AppConfig as _AxesConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig as _TasksDbConfig


class AxesConfig(_AxesConfig):
    verbose_name = _("Login lock-outs")


class TasksDbConfig(_TasksDbConfig):
    # A lazy text, as Django's own apps have (the stubs say str).
    verbose_name = _("Background tasks")  # type: ignore[assignment]
