from django.apps import AppConfig


class BatchesConfig(AppConfig):
    name = "kefir_tracker.batches"
    label = "batches"
    verbose_name = "Batches and tasting"
