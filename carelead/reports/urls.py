"""Status pages across locations, mounted at /status/."""

app_name = "reports"

urlpatterns: list = []
