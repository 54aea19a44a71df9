"""Care plan pages of a person's record, mounted under /people/ by careplans.urls (every pattern
starts <uuid>/plan/)."""

urlpatterns: list = []
