from django.urls import path

from carelead.accounts import views

app_name = "accounts"
urlpatterns: list = []
