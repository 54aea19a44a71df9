"""Internal quality assurance pages (issue 6), included by urls.py under /apprenticeships/iqa/."""

from django.urls import path

from carelead.apprenticeships import iqa_views

urlpatterns = [
    path("iqa/", iqa_views.policy_list, name="iqa-policy-list"),
    path("iqa/policies/new/", iqa_views.policy_new, name="iqa-policy-new"),
    path("iqa/policies/<uuid:policy_id>/edit/", iqa_views.policy_edit, name="iqa-policy-edit"),
    path("iqa/policies/<uuid:policy_id>/plans/new/", iqa_views.plan_new, name="iqa-plan-new"),
    path("iqa/plans/<uuid:plan_id>/", iqa_views.plan_detail, name="iqa-plan"),
    path("iqa/plans/<uuid:plan_id>/redraw/", iqa_views.plan_redraw, name="iqa-plan-redraw"),
    path("iqa/plans/<uuid:plan_id>/compliance/", iqa_views.plan_compliance, name="iqa-plan-compliance"),
    path("iqa/samples/<uuid:evidence_id>/", iqa_views.sample_detail, name="iqa-sample"),
    path("iqa/samples/<uuid:evidence_id>/file/", iqa_views.sample_file, name="iqa-sample-file"),
    path("iqa/decisions/<uuid:decision_id>/unlock/", iqa_views.decision_release, name="iqa-decision-release"),
    path("iqa/feedback/", iqa_views.coach_feedback, name="iqa-coach-feedback"),
]
