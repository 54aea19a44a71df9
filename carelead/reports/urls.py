"""Status pages across locations, mounted at /status/."""

from django.urls import path

from carelead.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.status, name="status"),
    path("<uuid:location_id>/", views.location_status, name="location-status"),
]
