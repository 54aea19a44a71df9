from django.urls import path

from carelead.organisations import views

app_name = "organisations"
urlpatterns: list = [
    path("", views.admin_home, name="admin-home"),
    path("locations/", views.location_list, name="location-list"),
    path("locations/new/", views.location_new, name="location-new"),
    path("locations/<uuid:public_id>/edit/", views.location_edit, name="location-edit"),
    path("care-plan-settings/", views.care_plan_settings, name="care-plan-settings"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/invite/", views.staff_invite, name="staff-invite"),
    path("staff/<uuid:public_id>/edit/", views.membership_edit, name="membership-edit"),
    path("staff/<uuid:public_id>/end/", views.membership_end, name="membership-end"),
    path("invitations/<uuid:public_id>/cancel/", views.invitation_cancel, name="invitation-cancel"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
