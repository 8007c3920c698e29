from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from outbox.models import Email


@admin.register(Email)
class EmailAdmin(SimpleHistoryAdmin):
    """Read-only: emails are queued by services and sent again from the outbox page."""

    list_display = ["kind", "recipient", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
