from django.urls import path

from carelead.people import views

app_name = "people"
urlpatterns: list = []
