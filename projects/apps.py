from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects and budgets")

    def ready(self) -> None:
        # Indicator values entered by hand are figures a centre signs: every create,
        # change and delete is recorded with its field changes (auditlog.LogEntry).
        from auditlog.registry import auditlog

        from projects.models import IndicatorValue

        auditlog.register(IndicatorValue, exclude_fields=["created_at", "updated_at"])
