from django.apps import AppConfig


class LabelsConfig(AppConfig):
    name = "kefir_tracker.labels"
    label = "labels"
    verbose_name = "Jar labels"
