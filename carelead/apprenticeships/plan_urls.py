"""Pages of the apprenticeship programme: plan (included by urls.py)."""

urlpatterns: list = []
