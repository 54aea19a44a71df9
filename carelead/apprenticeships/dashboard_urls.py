"""Pages of the apprenticeship programme: dashboards (included by urls.py)."""

from django.urls import path

from carelead.apprenticeships import dashboard_views

urlpatterns = [
    path("caseload/", dashboard_views.caseload, name="caseload"),
    path("mine/", dashboard_views.my_apprenticeship, name="my-apprenticeship"),
    path("employer/", dashboard_views.employer_dashboard, name="employer-dashboard"),
]
