from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kefir_tracker.accounts"
    label = "accounts"
    verbose_name = "Accounts"
