"""The apprenticeship programme API: review (included by carelead/api/urls.py)."""

urlpatterns: list = []
