from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kis.lib.admin import ServiceAdmin
from reports import services
from reports.eu_monitoring import COLUMNS
from reports.models import EuColumnSetting

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
