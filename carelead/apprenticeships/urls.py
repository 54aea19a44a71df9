"""Apprenticeships and their reference data, mounted at /apprenticeships/. Each part of the
programme has its own URL module (training plan, sessions, off-the-job hours, reviews, dashboards)."""

from django.urls import path

from carelead.apprenticeships import coverage_urls, timeline_urls  # noqa: I001 (issue 6, H3)
from carelead.apprenticeships import practice_urls  # noqa: I001 (issue 6, H4)
from carelead.apprenticeships import epa_urls  # noqa: I001 (issue 6, H1: end-point assessment)
from carelead.apprenticeships import gateway_urls  # noqa: I001 (issue 6, H5)
from carelead.apprenticeships import pack_urls  # noqa: I001 (issue 6: the gateway evidence pack)
from carelead.apprenticeships import assessor_urls  # noqa: I001 (issue 6, H8: EPA assessor access, completion)
from carelead.apprenticeships import iqa_urls  # noqa: I001 (issue 6, H7: internal quality assurance)
from carelead.apprenticeships import (
    dashboard_urls, evidence_urls, otj_urls, plan_urls, programme_views, review_urls, session_urls, views,
)

app_name = "apprenticeships"

urlpatterns = [
    path("", programme_views.apprenticeship_list, name="apprenticeship-list"),
    path("new/", programme_views.apprenticeship_new, name="apprenticeship-new"),
    path("<uuid:public_id>/", programme_views.apprenticeship_detail, name="apprenticeship-detail"),
    path("standards/", views.standard_list, name="standard-list"),
    path("standards/<uuid:version_id>/", views.standard_version, name="standard-version"),
    path("qualifications/<uuid:qualification_id>/", views.qualification, name="qualification"),
    *plan_urls.urlpatterns,
    *session_urls.urlpatterns,
    *otj_urls.urlpatterns,
    *review_urls.urlpatterns,
    *evidence_urls.urlpatterns,
    *dashboard_urls.urlpatterns,
    *pack_urls.urlpatterns,
    *practice_urls.urlpatterns,
    *epa_urls.urlpatterns,
    *gateway_urls.urlpatterns,
    *coverage_urls.urlpatterns, *timeline_urls.urlpatterns,
    *assessor_urls.urlpatterns,
    *iqa_urls.urlpatterns,
]
