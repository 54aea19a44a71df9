from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "carelead.api"
    label = "api"
