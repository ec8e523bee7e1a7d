from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "kefir_tracker.archive"
    label = "archive"
    verbose_name = "Export, import and backups"
