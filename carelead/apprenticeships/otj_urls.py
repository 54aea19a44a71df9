"""Pages of the apprenticeship programme: otj (included by urls.py)."""

urlpatterns: list = []
