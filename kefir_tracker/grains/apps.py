from django.apps import AppConfig
from django.db.models import Q


class GrainsConfig(AppConfig):
    name = "kefir_tracker.grains"
    label = "grains"
    verbose_name = "Grains and lineage"

    def ready(self):
        from kefir_tracker import owner_cache

        owner_cache.watch(
            self.get_model("Culture"), lambda culture: Q(pk=culture.owner_id), "owner"
        )
        owner_cache.watch(self.get_model("Weighing"), lambda w: Q(cultures=w.culture_id), "culture")
