from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carelead.accounts"
    label = "accounts"
