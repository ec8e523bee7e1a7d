from django.contrib import admin

from kefir_tracker.reminders.models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Read-only: only the person makes a link (and sees it once); here it can be turned off."""

    list_display = ("owner", "created_at")
    search_fields = ("owner__username",)
    readonly_fields = ("owner", "token_hash", "created_at")

    def has_add_permission(self, request):
        return False
