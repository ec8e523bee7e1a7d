from django.contrib import admin

from kefir_tracker.push.models import PushSubscription, SentReminder


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """Read-only: only a browser subscribes itself; here a phone can be removed."""

    list_display = ("owner", "label", "created_at")
    search_fields = ("owner__username", "label")
    readonly_fields = ("owner", "endpoint", "p256dh", "auth", "label", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ("owner", "key", "sent_at")
    search_fields = ("owner__username", "key")
    readonly_fields = ("owner", "key", "sent_at")

    def has_add_permission(self, request):
        return False
