from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "kefir_tracker.forecast"
