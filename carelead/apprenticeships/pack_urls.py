"""The gateway evidence pack page (included by urls.py under /apprenticeships/); its progress and
download are the background job's pages (core/job_urls.py, /jobs/)."""

from django.urls import path

from carelead.apprenticeships import pack_views

urlpatterns = [
    path("<uuid:public_id>/gateway-pack/", pack_views.gateway_pack, name="gateway-pack"),
]
