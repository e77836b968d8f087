from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kis.lib.admin import ServiceAdmin
from reports import services
from reports.eu_monitoring import COLUMNS
from reports.models import EuColumnSetting, IssuedReport

DEFAULT_PLACES = {column.key: (index, column.header) for index, column in enumerate(COLUMNS, 1)}


@admin.register(EuColumnSetting)
class EuColumnSettingAdmin(ServiceAdmin):
    """The EU monitoring export's columns as a call's template wants them: a column
    without a setting here keeps its default header and place."""

    list_display = ["key", "default_header", "default_position", "header", "position", "included"]
    list_editable = ["header", "position", "included"]
    list_display_links = ["key"]
    list_filter = ["included"]

    @admin.display(description=_("default header"))
    def default_header(self, obj) -> str:
        return DEFAULT_PLACES.get(obj.key, (None, ""))[1]

    @admin.display(description=_("default position"))
    def default_position(self, obj):
        return DEFAULT_PLACES.get(obj.key, (None, ""))[0]

    def save_service(self, request, obj, form, change):
        services.eu_column_setting_save(setting=obj, user=request.user)

    def delete_service(self, request, obj):
        services.eu_column_setting_delete(setting=obj, user=request.user)


@admin.register(IssuedReport)
class IssuedReportAdmin(admin.ModelAdmin):
    """Issued reports, read only: nobody changes or deletes one, administrators neither
    (a correction is a new issue, from the report's page)."""

    list_display = ["__str__", "kind", "year", "project", "issued_by_name", "checksum"]
    list_filter = ["kind", "year"]
    exclude = ["pdf", "xlsx"]
    readonly_fields = [
        "kind",
        "year",
        "project",
        "as_of",
        "issued_at",
        "issued_by",
        "issued_by_name",
        "corrects",
        "note",
        "checksum",
        "pdf_sha256",
        "xlsx_sha256",
        "data",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
