from django.apps import AppConfig


class KitchensConfig(AppConfig):
    name = "kefir_tracker.kitchens"

    def ready(self):
        from kefir_tracker.kitchens import signals  # noqa: F401
