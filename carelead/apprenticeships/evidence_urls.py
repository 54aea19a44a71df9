"""Pages of the apprenticeship programme: the portfolio of evidence (included by urls.py under /apprenticeships/)."""

from django.urls import path

from carelead.apprenticeships import evidence_views

urlpatterns = [
    path("<uuid:public_id>/portfolio/", evidence_views.evidence_list, name="evidence-list"),
    path("<uuid:public_id>/portfolio/new/", evidence_views.evidence_new, name="evidence-new"),
    path("portfolio/queue/", evidence_views.evidence_queue, name="evidence-queue"),
    path("portfolio/<uuid:evidence_id>/", evidence_views.evidence_detail, name="evidence-detail"),
    path("portfolio/<uuid:evidence_id>/edit/", evidence_views.evidence_edit, name="evidence-edit"),
    path("portfolio/<uuid:evidence_id>/submit/", evidence_views.evidence_submit, name="evidence-submit"),
    path("portfolio/<uuid:evidence_id>/assess/", evidence_views.evidence_assess, name="evidence-assess"),
    path("portfolio/<uuid:evidence_id>/mappings/", evidence_views.evidence_mapping_add, name="evidence-mapping-add"),
    path("portfolio/<uuid:evidence_id>/mappings/<int:mapping_id>/remove/", evidence_views.evidence_mapping_remove,
         name="evidence-mapping-remove"),
    path("portfolio/<uuid:evidence_id>/unlock/", evidence_views.evidence_unlock, name="evidence-unlock"),
    path("portfolio/<uuid:evidence_id>/file/", evidence_views.evidence_download, name="evidence-download"),
]
