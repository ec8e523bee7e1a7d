from django.contrib import admin

from kefir_tracker.kitchens.models import Invitation, Kitchen, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Kitchen)
class KitchenAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name", "memberships__user__username")
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("kitchen", "created_by", "created_at", "expires_at", "used_at", "used_by")
    readonly_fields = ("kitchen", "created_by", "token_hash", "created_at", "used_at", "used_by")
