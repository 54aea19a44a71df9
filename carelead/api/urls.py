"""The REST API: /api/v1/ from each app's api.py, the OpenAPI schema and its docs (self-hosted)."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from carelead.accounts import api as accounts_api
from carelead.apprenticeships import api as apprenticeships_api
from carelead.apprenticeships import (
    dashboard_api, otj_api, plan_api, review_api, session_api,
)
from carelead.apprenticeships import practice_api  # noqa: I001 (issue 6, H4)
from carelead.apprenticeships import coverage_api, timeline_api  # noqa: I001 (issue 6, H3)
from carelead.assessments import api as assessments_api
from carelead.careplans import api as careplans_api
from carelead.core.decorators import public
from carelead.organisations import api as organisations_api
from carelead.people import api as people_api

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema is public: it describes the API, never anyone's data."""

    required_perm = "public"


class DocsView(SpectacularSwaggerSplitView):
    required_perm = "public"


urlpatterns = [
    path("v1/", include(accounts_api.urlpatterns + organisations_api.urlpatterns + people_api.urlpatterns
                             + assessments_api.urlpatterns + careplans_api.urlpatterns
                             + apprenticeships_api.urlpatterns + plan_api.urlpatterns + session_api.urlpatterns
                             + otj_api.urlpatterns + review_api.urlpatterns + dashboard_api.urlpatterns
                             + practice_api.urlpatterns
                             + coverage_api.urlpatterns + timeline_api.urlpatterns)),
    path("v1/", include("carelead.apprenticeships.epa_api")),  # issue 6, H1: end-point assessment
    path("v1/", include("carelead.apprenticeships.evidence_api")),  # issue 6, H2: portfolio evidence
    path("v1/", include("carelead.apprenticeships.gateway_api")),  # issue 6, H5: gateway
    path("v1/", include("carelead.apprenticeships.iqa_api")),  # issue 6, H7: internal quality assurance
    path("v1/", include("carelead.apprenticeships.assessor_api")),  # issue 6, H8: EPA assessor access
    path("v1/", include("carelead.apprenticeships.completion_api")),  # issue 6, H8: completion
    path("schema/", public(SchemaView.as_view()), name="schema"),
    # Swagger UI's page carries a small inline <style>; only this page relaxes style-src for it.
    path(
        "docs/",
        public(csp_update({"style-src": [SELF, UNSAFE_INLINE]})(DocsView.as_view(url_name="api:schema"))),
        name="docs",
    ),
]
