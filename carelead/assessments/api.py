"""API endpoints of the assessments app, mounted under /api/v1/ by carelead.api.urls."""

urlpatterns: list = []
