"""Pages of the apprenticeship programme: KSB and Diploma-unit coverage (included by urls.py under
/apprenticeships/)."""

from django.urls import path

from carelead.apprenticeships import coverage_views

urlpatterns = [
    path("<uuid:public_id>/coverage/", coverage_views.coverage_page, name="coverage"),
]
