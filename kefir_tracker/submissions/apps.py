from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "kefir_tracker.submissions"
    label = "submissions"
    verbose_name = "Form submissions"
