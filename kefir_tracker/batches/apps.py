from django.apps import AppConfig
from django.db.models import Q


class BatchesConfig(AppConfig):
    name = "kefir_tracker.batches"
    label = "batches"
    verbose_name = "Batches and tasting"

    def ready(self):
        from kefir_tracker import owner_cache

        owner_cache.watch(self.get_model("Batch"), lambda batch: Q(pk=batch.owner_id), "owner")
        owner_cache.watch(
            self.get_model("TastingNote"), lambda note: Q(batches=note.batch_id), "batch"
        )
