from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "carelead.careplans"
    label = "careplans"
