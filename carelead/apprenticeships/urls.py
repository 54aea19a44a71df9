"""Apprenticeship reference data, mounted at /apprenticeships/."""

from django.urls import path

from carelead.apprenticeships import views

app_name = "apprenticeships"

urlpatterns = [
    path("standards/", views.standard_list, name="standard-list"),
    path("standards/<uuid:version_id>/", views.standard_version, name="standard-version"),
    path("qualifications/<uuid:qualification_id>/", views.qualification, name="qualification"),
]
