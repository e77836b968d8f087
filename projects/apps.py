from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects and budgets")

    def ready(self) -> None:
        # Every change of a project, its budget, spending, indicators and staff, the
        # centre's profile and the programmes is on record (the audit trail).
        from kis.audit import audit_register

        audit_register(*self.get_models())
