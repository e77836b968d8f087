from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kis.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Append-only: nobody adds, changes or deletes entries, administrators included."""

    list_display = ["at", "username", "ip_address", "action", "participant_ref", "what_shown"]
    list_filter = ["action"]
    search_fields = ["username", "what", "=participant_ref"]
    date_hierarchy = "at"

    @admin.display(description=_("what"), ordering="what")
    def what_shown(self, entry: AccessLog) -> str:
        return entry.get_what_display()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
