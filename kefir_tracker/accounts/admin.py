from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kefir_tracker.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            "Preferences",
            {
                "fields": (
                    "time_zone",
                    "clock_hours",
                    "date_order",
                    "temperature_unit",
                    "volume_unit",
                )
            },
        ),
    )
    list_display = ("username", "email", "time_zone", "is_staff", "date_joined", "last_login")
