"""API endpoints of this app, mounted under /api/v1/ by carelead.api.urls."""

urlpatterns: list = []
