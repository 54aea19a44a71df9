"""The apprenticeship programme API: session (included by carelead/api/urls.py)."""

urlpatterns: list = []
