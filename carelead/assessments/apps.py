from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "carelead.assessments"
    label = "assessments"
