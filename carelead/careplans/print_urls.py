"""The printed care plan and its one-screen summary, mounted under /people/ by careplans.urls (every
pattern starts <uuid>/plan/)."""

from django.urls import path

from carelead.careplans import print_views

urlpatterns = [
    path("<uuid:public_id>/plan/pdf/", print_views.plan_pdf, name="plan-pdf"),
    path("<uuid:public_id>/plan/summary/", print_views.plan_summary, name="plan-summary"),
]
