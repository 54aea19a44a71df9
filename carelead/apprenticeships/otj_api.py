"""The apprenticeship programme API: otj (included by carelead/api/urls.py)."""

urlpatterns: list = []
