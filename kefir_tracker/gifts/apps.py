from django.apps import AppConfig


class GiftsConfig(AppConfig):
    name = "kefir_tracker.gifts"
