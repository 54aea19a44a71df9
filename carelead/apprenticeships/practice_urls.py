"""Pages for practice records and witness testimony as portfolio evidence (included by urls.py
under /apprenticeships/). The witness page is public: the secret in its URL is the credential."""

from django.urls import path

from carelead.apprenticeships import practice_views, witness_views

urlpatterns = [
    path("<uuid:public_id>/portfolio/practice/", practice_views.practice_records, name="evidence-practice"),
    path("<uuid:public_id>/portfolio/witness/new/", witness_views.witness_new, name="evidence-witness-new"),
    path("portfolio/<uuid:evidence_id>/witness/resend/", witness_views.witness_resend, name="evidence-witness-resend"),
    path("witness/<str:token>/", witness_views.witness_testimony, name="witness-testimony"),
]
