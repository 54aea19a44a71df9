"""Pages of the apprenticeship programme: the apprentice's timeline (included by urls.py under /apprenticeships/)."""

from django.urls import path

from carelead.apprenticeships import timeline_views

urlpatterns = [
    path("<uuid:public_id>/timeline/", timeline_views.timeline_page, name="timeline"),
]
