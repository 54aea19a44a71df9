"""Pages of the apprenticeship programme: the training plan, and changes to the programme (breaks in
learning, returns, withdrawals, contracted hours, enrolment details). Included by urls.py."""

from django.urls import path

from carelead.apprenticeships import change_views, plan_views

urlpatterns = [
    path("<uuid:public_id>/plan/", plan_views.training_plan, name="training-plan"),
    path("<uuid:public_id>/plan/new/", plan_views.training_plan_new, name="training-plan-new"),
    path("<uuid:public_id>/plan/activities/new/", plan_views.activity_new, name="training-plan-activity-new"),
    path("<uuid:public_id>/plan/activities/<int:activity_id>/", plan_views.activity_edit,
         name="training-plan-activity-edit"),
    path("<uuid:public_id>/plan/activities/<int:activity_id>/remove/", plan_views.activity_remove,
         name="training-plan-activity-remove"),
    path("<uuid:public_id>/plan/versions/<int:number>/", plan_views.training_plan_version,
         name="training-plan-version"),
    path("<uuid:public_id>/plan/versions/<int:number>/sign/", plan_views.training_plan_sign,
         name="training-plan-sign"),
    path("<uuid:public_id>/plan/versions/<int:number>/offline-signature/", plan_views.training_plan_offline_signature,
         name="training-plan-offline-signature"),
    path("<uuid:public_id>/edit/", change_views.enrolment_edit, name="apprenticeship-edit"),
    path("<uuid:public_id>/weekly-hours/new/", change_views.weekly_hours_new, name="weekly-hours-new"),
    path("<uuid:public_id>/changes/new/", change_views.change_new, name="programme-change-new"),
    path("<uuid:public_id>/changes/<uuid:change_id>/", change_views.change_detail, name="programme-change"),
    path("<uuid:public_id>/changes/<uuid:change_id>/decision/", change_views.change_decision,
         name="programme-change-decision"),
    path("<uuid:public_id>/changes/<uuid:change_id>/process/", change_views.change_process,
         name="programme-change-process"),
]
