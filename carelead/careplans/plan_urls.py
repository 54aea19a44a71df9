"""Care plan pages of a person's record, mounted under /people/ by careplans.urls (every pattern
starts <uuid>/plan/)."""

from django.urls import path

from carelead.careplans import plan_views

urlpatterns = [
    path("<uuid:public_id>/plan/", plan_views.plan, name="plan"),
    path("<uuid:public_id>/plan/new/", plan_views.plan_new, name="plan-new"),
    path("<uuid:public_id>/plan/edit/", plan_views.plan_edit, name="plan-edit"),
    path("<uuid:public_id>/plan/sections/new/", plan_views.plan_section_new, name="plan-section-new"),
    path("<uuid:public_id>/plan/sections/<uuid:section_id>/", plan_views.plan_section_edit, name="plan-section-edit"),
    path("<uuid:public_id>/plan/sections/<uuid:section_id>/remove/", plan_views.plan_section_remove,
         name="plan-section-remove"),
    path("<uuid:public_id>/plan/approve/", plan_views.plan_approve, name="plan-approve"),
    path("<uuid:public_id>/plan/versions/", plan_views.plan_versions, name="plan-versions"),
    path("<uuid:public_id>/plan/compare/", plan_views.plan_compare, name="plan-compare"),
    path("<uuid:public_id>/plan/review/", plan_views.plan_review, name="plan-review"),
]
