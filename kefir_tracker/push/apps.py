from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "kefir_tracker.push"
