from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reviews.models import AccessLog, Review


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records change only through the services; the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["reference", "framework", "stage", "referred_on"]
    list_filter = ["stage", "framework"]
    search_fields = ["reference"]
    exclude = ["agencies_involved"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "object_type", "object_ref", "allowed", "ip_address"]
    list_filter = ["allowed", "object_type", "action"]
    search_fields = ["object_ref", "user__email"]
