"""Pages of the apprenticeship programme: review (included by urls.py)."""

urlpatterns: list = []
