from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The manager's paragraphs of the annual report: who wrote what, on record.
        from kis.audit import audit_register

        audit_register(*self.get_models())
