"""The risks and care plan tabs of a person's record, mounted under /people/ after the people app's own URLs
(every pattern here starts <uuid>/risks/, so none clashes with theirs)."""

from django.urls import path

from carelead.careplans import plan_urls, print_urls, views

app_name = "careplans"

urlpatterns = [
    path("<uuid:public_id>/risks/", views.risk_list, name="risk-list"),
    path("<uuid:public_id>/risks/new/", views.risk_new, name="risk-new"),
    path("<uuid:public_id>/risks/<uuid:risk_id>/", views.risk_detail, name="risk-detail"),
    path("<uuid:public_id>/risks/<uuid:risk_id>/edit/", views.risk_edit, name="risk-edit"),
    path("<uuid:public_id>/risks/<uuid:risk_id>/archive/", views.risk_archive, name="risk-archive"),
] + plan_urls.urlpatterns + print_urls.urlpatterns
