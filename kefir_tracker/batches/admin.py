from django.contrib import admin

from kefir_tracker.batches.models import Batch, TastingNote


class TastingNoteInline(admin.TabularInline):
    model = TastingNote
    extra = 0


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "culture",
        "owner",
        "base",
        "volume_ml",
        "strained_at",
        "discarded",
    )
    list_filter = ("base", "discarded", "culture__kind", "owner")
    search_fields = ("notes", "flavourings", "culture__name", "owner__username")
    list_select_related = ("culture", "owner")
    autocomplete_fields = ("culture",)
    date_hierarchy = "started_at"
    inlines = [TastingNoteInline]


@admin.register(TastingNote)
class TastingNoteAdmin(admin.ModelAdmin):
    list_display = ("tasted_at", "batch", "rating", "sourness", "fizz", "thickness")
    list_filter = ("rating",)
    search_fields = ("notes", "batch__culture__name")
    list_select_related = ("batch__culture",)
    raw_id_fields = ("batch",)
    date_hierarchy = "tasted_at"
