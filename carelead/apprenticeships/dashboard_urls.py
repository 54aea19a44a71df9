"""Pages of the apprenticeship programme: dashboard (included by urls.py)."""

urlpatterns: list = []
