"""Pages of the gateway (issue 6), included by urls.py under /apprenticeships/."""

from django.urls import path

from carelead.apprenticeships import gateway_views

urlpatterns = [
    path("<uuid:public_id>/gateway/", gateway_views.gateway, name="gateway"),
    path("<uuid:public_id>/gateway/diploma/", gateway_views.gateway_diploma, name="gateway-diploma"),
    path("<uuid:public_id>/gateway/english-maths/", gateway_views.gateway_english_maths, name="gateway-english-maths"),
    path("<uuid:public_id>/gateway/observation-scope/", gateway_views.gateway_observation_scope,
         name="gateway-observation-scope"),
    path("<uuid:public_id>/gateway/portfolio/", gateway_views.gateway_portfolio, name="gateway-portfolio"),
    path("<uuid:public_id>/gateway/sign/", gateway_views.gateway_sign, name="gateway-sign"),
    path("<uuid:public_id>/gateway/offline-signature/", gateway_views.gateway_offline_signature,
         name="gateway-offline-signature"),
    path("<uuid:public_id>/gateway/withdraw-signatures/", gateway_views.gateway_withdraw_signatures,
         name="gateway-withdraw-signatures"),
    path("<uuid:public_id>/gateway/confirm/", gateway_views.gateway_confirm, name="gateway-confirm"),
    path("<uuid:public_id>/gateway/certificates/<str:which>/", gateway_views.gateway_certificate,
         name="gateway-certificate"),
]
