from django.urls import path

from carelead.organisations import views

app_name = "organisations"
urlpatterns: list = []
