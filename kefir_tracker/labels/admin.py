from django.contrib import admin

from kefir_tracker.labels.models import JarCode


@admin.register(JarCode)
class JarCodeAdmin(admin.ModelAdmin):
    """Read-only: a code is made when a label is first printed; deleting one here makes
    the labels already printed for that jar open nothing."""

    list_display = ("batch", "created_at")
    list_select_related = ("batch__culture",)
    search_fields = ("batch__culture__name", "batch__owner__username")
    readonly_fields = ("batch", "code", "created_at")

    def has_add_permission(self, request):
        return False
