"""Pages of the end-point assessor's access (included by urls.py under /apprenticeships/): the
assessor's own read-only pages under assessor/, and the coach's grants on an apprenticeship."""

from django.urls import path

from carelead.apprenticeships import assessor_views, completion_views

urlpatterns = [
    path("assessor/", assessor_views.assessor_home, name="assessor-home"),
    path("assessor/<uuid:public_id>/", assessor_views.assessor_portfolio, name="assessor-portfolio"),
    path("assessor/<uuid:public_id>/coverage/", assessor_views.assessor_coverage, name="assessor-coverage"),
    path("assessor/<uuid:public_id>/evidence/<uuid:evidence_id>/", assessor_views.assessor_evidence,
         name="assessor-evidence"),
    path("assessor/<uuid:public_id>/evidence/<uuid:evidence_id>/file/", assessor_views.assessor_evidence_file,
         name="assessor-evidence-file"),
    path("<uuid:public_id>/assessor-access/", assessor_views.assessor_access, name="assessor-access"),
    path("<uuid:public_id>/assessor-access/new/", assessor_views.assessor_access_new, name="assessor-access-new"),
    path("<uuid:public_id>/assessor-access/<uuid:grant_id>/revoke/", assessor_views.assessor_access_revoke,
         name="assessor-access-revoke"),
    path("<uuid:public_id>/completion/", completion_views.completion, name="completion"),
    path("<uuid:public_id>/completion/certificate/", completion_views.completion_certificate,
         name="completion-certificate"),
]
