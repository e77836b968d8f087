from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The manager's paragraphs of the annual report: who wrote what, on record.
        from kis.audit import audit_register
        from reports.models import IssuedReport

        audit_register(*(m for m in self.get_models() if m is not IssuedReport))
        # An issued report is created once and never changed: its issuing is on record
        # without its files and data (bytes, and kept in the report itself).
        audit_register(IssuedReport, exclude=("pdf", "xlsx", "data", "created_at", "updated_at"))
