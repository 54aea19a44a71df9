"""Pages of the apprenticeship programme: progress reviews (§5.1), under /apprenticeships/<id>/reviews/
(included by urls.py)."""

from django.urls import path

from carelead.apprenticeships import review_views

urlpatterns = [
    path("<uuid:public_id>/reviews/", review_views.review_list, name="review-list"),
    path("<uuid:public_id>/reviews/new/", review_views.review_new, name="review-new"),
    path("<uuid:public_id>/reviews/<uuid:review_id>/", review_views.review_detail, name="review-detail"),
    path("<uuid:public_id>/reviews/<uuid:review_id>/edit/", review_views.review_edit, name="review-edit"),
    path("<uuid:public_id>/reviews/<uuid:review_id>/sign/", review_views.review_sign, name="review-sign"),
    path("<uuid:public_id>/reviews/<uuid:review_id>/offline-signature/", review_views.review_offline_signature,
         name="review-offline-signature"),
    path("<uuid:public_id>/reviews/<uuid:review_id>/pdf/", review_views.review_pdf_view, name="review-pdf"),
]
