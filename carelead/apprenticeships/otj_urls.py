"""Pages of the apprenticeship programme: off-the-job hours (included by urls.py under /apprenticeships/)."""

from django.urls import path

from carelead.apprenticeships import otj_views

urlpatterns = [
    path("<uuid:public_id>/otj/", otj_views.otj_list, name="otj-list"),
    path("<uuid:public_id>/otj/new/", otj_views.otj_new, name="otj-new"),
    path("otj/queue/", otj_views.otj_queue, name="otj-queue"),
    path("otj/<uuid:entry_id>/", otj_views.otj_entry, name="otj-entry"),
    path("otj/<uuid:entry_id>/edit/", otj_views.otj_edit, name="otj-edit"),
    path("otj/<uuid:entry_id>/decision/", otj_views.otj_decide, name="otj-decide"),
    path("otj/<uuid:entry_id>/evidence/", otj_views.otj_evidence, name="otj-evidence"),
]
