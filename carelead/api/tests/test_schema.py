"""API-wide contracts: a public, valid OpenAPI 3 schema covering every /api/v1/ URL; self-hosted docs
whose scripts come only from our own origin (the CSP allows no other); and the health check."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def routes(patterns, prefix: str = ""):
    """Every URL route in the project, as written in the urlpatterns (api/v1/people/<uuid:public_id>/)."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def api_v1_paths() -> set[str]:
    """The /api/v1/ routes, written as OpenAPI writes paths: /api/v1/people/{public_id}/."""
    return {"/" + CONVERTER.sub(r"{\1}", route) for route in routes(get_resolver().url_patterns)
            if route.startswith("api/v1/")}


@pytest.fixture
def schema(client):
    response = client.get(reverse("api:schema"), {"format": "json"})  # no sign-in: the schema holds no data
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_public_and_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on anything the OpenAPI 3 JSON Schema rejects


def test_the_schema_includes_every_api_v1_path(schema):
    paths = api_v1_paths()
    assert "/api/v1/people/" in paths  # the walk found the API's URLs at all
    assert paths - set(schema["paths"]) == set()


def test_the_schema_generates_without_a_warning_or_an_error():
    """What `manage.py spectacular --fail-on-warn` checks: drf-spectacular counts each warning and error
    it emits while generating (an unnamed enum collision, a field it cannot type) in GENERATOR_STATS."""
    GENERATOR_STATS.reset()  # counts from earlier schema requests in this run would hide nothing, but mislead
    try:
        SchemaGenerator().get_schema(request=None, public=True)
        warnings, errors = dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)
    finally:
        GENERATOR_STATS.reset()
    assert warnings == {} and errors == {}


def test_enums_are_named_by_their_domain_not_by_a_hash(schema):
    enums = {name for name, component in schema["components"]["schemas"].items() if "enum" in component}
    assert {"PersonStatusEnum", "ContactKindEnum", "NeedsAssessmentStatusEnum", "DolsKindEnum", "DolsStatusEnum",
            "CarePlanStatusEnum", "LikelihoodEnum", "SeverityEnum"} <= enums
    assert not [name for name in enums if re.fullmatch(r"(Status|Kind)\w{3}Enum|Residual\w+Enum", name)]
    risk = schema["components"]["schemas"]["RiskOutput"]["properties"]
    for scale in ("likelihood", "severity"):  # the residual scores use the same scale, so the same enum
        assert risk[scale]["allOf"] == risk[f"residual_{scale}"]["allOf"] == [
            {"$ref": f"#/components/schemas/{scale.title()}Enum"}]


def test_every_operation_documents_a_successful_response(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            successes = {code: answer for code, answer in operation["responses"].items() if code.startswith("2")}
            assert successes, f"{method.upper()} {path} documents no successful response"
            for code, answer in successes.items():
                assert code == "204" or "content" in answer, f"{method.upper()} {path} {code} has no body schema"


class ScriptTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []
        self.inline: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            src = dict(attrs).get("src")
            if src:
                self.sources.append(src)
            else:
                self._in_inline_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.inline.append(data)


def test_the_docs_page_loads_its_scripts_only_from_our_own_origin(client):
    docs_url = reverse("api:docs")
    response = client.get(docs_url)
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    tags = ScriptTags()
    tags.feed(html)
    assert tags.sources, "the docs page loads no scripts"
    assert tags.inline == []  # the CSP would block inline scripts
    assert not re.search(r"<script[^>]+src=[\"'](?:https?:)?//", html)  # no CDN, no other origin
    for src in tags.sources:
        parts = urlsplit(src)
        assert not parts.scheme and not parts.netloc, src
        assert parts.path.startswith("/static/") or parts.path == docs_url, src
        assert client.get(src).status_code == 200, src  # and each is really served from here


def test_the_health_check_answers_without_signing_in(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
