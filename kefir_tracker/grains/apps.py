from django.apps import AppConfig


class GrainsConfig(AppConfig):
    name = "kefir_tracker.grains"
    label = "grains"
    verbose_name = "Grains and lineage"
