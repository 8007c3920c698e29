from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from agencies.models import Agency, User


class _ReasonedHistoryAdmin(SimpleHistoryAdmin):
    """A change made in the admin says so in the history, like every change a service makes:
    an edit page read before it is then refused (409) rather than saved over it."""

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj._change_reason = "changed in the admin" if change else "added in the admin"
        super().save_model(request, obj, form, change)


@admin.register(Agency)
class AgencyAdmin(_ReasonedHistoryAdmin):
    list_display = ["name", "sector", "is_active"]
    list_filter = ["sector", "is_active"]
    search_fields = ["name"]


@admin.register(User)
class PersonAdmin(UserAdmin, _ReasonedHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["is_active", "groups", "agency"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "job_title", "agency"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
