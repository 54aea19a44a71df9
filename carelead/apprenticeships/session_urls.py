"""Pages of the apprenticeship programme: session (included by urls.py)."""

urlpatterns: list = []
