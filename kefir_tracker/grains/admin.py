from django.contrib import admin
from django.db.models import Count

from kefir_tracker.grains.models import Culture, Weighing


class WeighingInline(admin.TabularInline):
    model = Weighing
    extra = 0


@admin.register(Culture)
class CultureAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "owner",
        "kind",
        "status",
        "parent",
        "origin",
        "acquired_on",
        "batch_count",
    )
    list_filter = ("kind", "status", "origin", "owner")
    search_fields = ("name", "source", "notes", "owner__username")
    list_select_related = ("owner", "parent")
    autocomplete_fields = ("parent",)
    date_hierarchy = "acquired_on"
    inlines = [WeighingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(batch_total=Count("batches"))

    @admin.display(description="batches", ordering="batch_total")
    def batch_count(self, culture):
        return culture.batch_total


@admin.register(Weighing)
class WeighingAdmin(admin.ModelAdmin):
    list_display = ("culture", "weighed_at", "grams")
    list_filter = ("culture__owner",)
    search_fields = ("culture__name",)
    list_select_related = ("culture",)
    autocomplete_fields = ("culture",)
    date_hierarchy = "weighed_at"
