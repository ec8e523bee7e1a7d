from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "kefir_tracker.reminders"
