from django.urls import include, path

urlpatterns = [
    path("", include("carelead.core.urls")),
    path("account/", include("carelead.accounts.urls")),
    path("organisation/", include("carelead.organisations.urls")),
    path("people/", include("carelead.people.urls")),
    path("people/", include("carelead.assessments.urls")),  # the scores tab: /people/<uuid>/scores/...
    path("people/", include("carelead.careplans.urls")),  # risks and plan: /people/<uuid>/risks/, /plan/
    path("status/", include("carelead.reports.urls")),  # overdue reviews across locations
    path("apprenticeships/", include("carelead.apprenticeships.urls")),  # reference data: standards, qualifications
    path("api/", include("carelead.api.urls")),
    path("jobs/", include("carelead.core.job_urls")),  # background jobs: progress and result (core.jobs)
]

handler404 = "carelead.core.views.not_found"
handler403 = "carelead.core.views.forbidden"
handler500 = "carelead.core.views.server_error"
