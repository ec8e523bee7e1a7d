from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "kefir_tracker.insights"
    label = "insights"
    verbose_name = "Insights"
