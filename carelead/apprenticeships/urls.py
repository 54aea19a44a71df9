"""Apprenticeships and their reference data, mounted at /apprenticeships/."""

from django.urls import path

from carelead.apprenticeships import programme_views, views

app_name = "apprenticeships"

urlpatterns = [
    path("", programme_views.apprenticeship_list, name="apprenticeship-list"),
    path("new/", programme_views.apprenticeship_new, name="apprenticeship-new"),
    path("<uuid:public_id>/", programme_views.apprenticeship_detail, name="apprenticeship-detail"),
    path("standards/", views.standard_list, name="standard-list"),
    path("standards/<uuid:version_id>/", views.standard_version, name="standard-version"),
    path("qualifications/<uuid:qualification_id>/", views.qualification, name="qualification"),
]
