from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "carelead.reports"
    label = "reports"
    verbose_name = "Reports and status pages"
