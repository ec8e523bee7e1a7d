from django.contrib import admin

from kefir_tracker.sharing.models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Read-only: only the person makes a link (and sees it once); here it can be seen
    and, by setting when, turned off."""

    list_display = ("culture", "owner", "label", "created_at", "expires_at", "revoked_at")
    list_select_related = ("culture", "owner")
    search_fields = ("culture__name", "owner__username", "label")
    readonly_fields = ("owner", "culture", "token_hash", "created_at", "include_batches")

    def has_add_permission(self, request):
        return False
