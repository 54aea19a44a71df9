from django.apps import AppConfig


class ApprenticeshipsConfig(AppConfig):
    name = "carelead.apprenticeships"
    label = "apprenticeships"
    verbose_name = "Apprenticeships"
