from django.urls import path

from carelead.people import audit_views, views
from carelead.people.views import COMMUNICATION, CONSENT, CONTACTS, EQUIPMENT

app_name = "people"


def record_urls(kind: views.RecordKind) -> list:
    """A tab listing one kind of record, and its new / change / remove pages, off the person."""
    base = f"<uuid:public_id>/{kind.tab}/"
    return [
        path(base, views.person_records, {"kind": kind}, name=kind.tab),
        path(f"{base}new/", views.record_new, {"kind": kind}, name=f"{kind.prefix}-new"),
        path(f"{base}<uuid:record_id>/edit/", views.record_edit, {"kind": kind}, name=f"{kind.prefix}-edit"),
        path(f"{base}<uuid:record_id>/delete/", views.record_delete, {"kind": kind}, name=f"{kind.prefix}-delete"),
    ]


urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("new/", views.person_new, name="person-new"),
    path("audit/", audit_views.audit_search, name="audit-search"),
    path("audit/export/", audit_views.audit_export, name="audit-export"),
    path("<uuid:public_id>/", views.person_detail, name="person-detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="person-edit"),
    path("<uuid:public_id>/about-me/", views.about_me, name="about-me"),
    path("<uuid:public_id>/about-me/edit/", views.about_me_edit, name="about-me-edit"),
    *record_urls(CONTACTS),
    *record_urls(COMMUNICATION),
    *record_urls(CONSENT),
    *record_urls(EQUIPMENT),
    path("<uuid:public_id>/audit/", audit_views.person_audit, name="person-audit"),
]
