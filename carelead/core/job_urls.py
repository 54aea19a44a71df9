"""Background jobs' pages (core.jobs), mounted at /jobs/ by carelead/urls.py."""

from django.urls import path

from carelead.core import job_views

app_name = "jobs"
urlpatterns = [
    path("<uuid:job_id>/", job_views.job_detail, name="job-detail"),
    path("<uuid:job_id>/download/", job_views.job_download, name="job-download"),
]
