from django.urls import path

from carelead.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("security-code/", views.second_factor, name="second-factor"),
    path("authenticator/set-up/", views.mfa_enrol, name="mfa-enrol"),
    path("authenticator/change/", views.authenticator_replace, name="authenticator-replace"),
    path("recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("password/", views.password_change, name="password-change"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<uuid:public_id>/revoke/", views.token_revoke, name="token-revoke"),
]
