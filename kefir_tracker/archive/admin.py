from django.contrib import admin

from kefir_tracker.archive.models import ImportUnderWay


@admin.register(ImportUnderWay)
class ImportUnderWayAdmin(admin.ModelAdmin):
    """Read-only: a claim left by a crashed import lapses by itself, or can be deleted here."""

    list_display = ("owner", "filename", "started_at")
    readonly_fields = ("owner", "file_sha256", "filename", "started_at")

    def has_add_permission(self, request):
        return False
