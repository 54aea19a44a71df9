"""The apprenticeship programme API: plan (included by carelead/api/urls.py)."""

urlpatterns: list = []
