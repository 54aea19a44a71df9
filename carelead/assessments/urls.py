"""The scores tab of a person's record, mounted under /people/ after the people app's own URLs
(every pattern here starts <uuid>/scores/, so none clashes with theirs)."""

from django.urls import path

from carelead.assessments import dols_views, mca_views, views

app_name = "assessments"

urlpatterns = [
    path("<uuid:public_id>/scores/", views.scores, name="scores"),
    path("<uuid:public_id>/scores/<str:tool>/", views.tool_history, name="tool-history"),
    path("<uuid:public_id>/scores/<str:tool>/new/", views.score_new, name="score-new"),
    path("<uuid:public_id>/assessments/", views.needs_list, name="needs-list"),
    path("<uuid:public_id>/assessments/new/", views.needs_new, name="needs-new"),
    path("<uuid:public_id>/assessments/<uuid:assessment_id>/", views.needs_detail, name="needs-detail"),
    path("<uuid:public_id>/assessments/<uuid:assessment_id>/complete/", views.needs_complete, name="needs-complete"),
    path("<uuid:public_id>/assessments/<uuid:assessment_id>/versions/<int:version>/", views.needs_version,
         name="needs-version"),
    path("<uuid:public_id>/assessments/<uuid:assessment_id>/<str:area>/edit/", views.needs_section_edit,
         name="needs-section-edit"),
    path("<uuid:public_id>/mental-capacity/", mca_views.mca_list, name="mca-list"),
    path("<uuid:public_id>/mental-capacity/new/", mca_views.mca_new, name="mca-new"),
    path("<uuid:public_id>/mental-capacity/<uuid:assessment_id>/", mca_views.mca_detail, name="mca-detail"),
    path("<uuid:public_id>/mental-capacity/<uuid:assessment_id>/best-interests/", mca_views.mca_best_interests,
         name="mca-best-interests"),
    path("<uuid:public_id>/mental-capacity/dols/new/", dols_views.dols_new, name="dols-new"),
    path("<uuid:public_id>/mental-capacity/dols/<uuid:application_id>/", dols_views.dols_detail, name="dols-detail"),
    path("<uuid:public_id>/mental-capacity/dols/<uuid:application_id>/edit/", dols_views.dols_edit,
         name="dols-edit"),
]
