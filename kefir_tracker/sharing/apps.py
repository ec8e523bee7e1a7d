from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "kefir_tracker.sharing"
