"""The apprenticeship programme API: dashboard (included by carelead/api/urls.py)."""

urlpatterns: list = []
