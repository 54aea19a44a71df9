from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "carelead.organisations"
    label = "organisations"
