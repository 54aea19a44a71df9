"""Pages of the apprenticeship programme: end-point assessment (included by urls.py under /apprenticeships/)."""

from django.urls import path

from carelead.apprenticeships import epa_views

urlpatterns = [
    path("<uuid:public_id>/epa/", epa_views.epa_page, name="epa"),
    path("<uuid:public_id>/epa/new/", epa_views.epa_attempt_new, name="epa-attempt-new"),
    path("epa/<uuid:attempt_id>/result/", epa_views.epa_attempt_result, name="epa-attempt-result"),
]
