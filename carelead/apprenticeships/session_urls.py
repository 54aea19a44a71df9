"""Pages of the apprenticeship programme: sessions, attendance imports and calendar feeds (included by urls.py)."""

from django.urls import path

from carelead.apprenticeships import attendance_views, session_views

urlpatterns = [
    path("sessions/", session_views.session_list, name="session-list"),
    path("sessions/new/", session_views.session_new, name="session-new"),
    path("sessions/<uuid:public_id>/", session_views.session_detail, name="session-detail"),
    path("sessions/<uuid:public_id>/edit/", session_views.session_edit, name="session-edit"),
    path("sessions/<uuid:public_id>/cancel/", session_views.session_cancel, name="session-cancel"),
    path("sessions/<uuid:public_id>/attendance/", attendance_views.attendance_upload, name="attendance-upload"),
    path("sessions/<uuid:public_id>/attendance/<uuid:import_id>/", attendance_views.attendance_import,
         name="attendance-import"),
    path("sessions/<uuid:public_id>/attendance/<uuid:import_id>/confirm/", attendance_views.attendance_confirm,
         name="attendance-confirm"),
    path("sessions/<uuid:public_id>/attendance/<uuid:import_id>/discard/", attendance_views.attendance_discard,
         name="attendance-discard"),
    path("<uuid:public_id>/sessions/", session_views.apprenticeship_sessions, name="apprenticeship-sessions"),
    path("calendar/", session_views.calendar_page, name="calendar-feed"),
    path("calendar/<str:token>.ics", session_views.calendar_ics, name="calendar-ics"),
]
