"""Every URL says who may use it, and every role is held to it (STYLE.md §4).

Walks every URL pattern in the project. A view that declares nothing fails the first test; the
second signs in as each role and requests each URL with made-up record ids: nothing may answer
500, a role without the permission never gets the page, and a made-up record is never confirmed
to exist (404, not 403).
"""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from carelead.core.decorators import PASSWORD_ONLY, PUBLIC, names_a_record
from carelead.core.permissions import Perm, Role, perms_of
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SAMPLE_ARGS = {"uuid": str(uuid.UUID(int=7)), "int": "7", "str": "not-a-real-token", "slug": "not-a-real-slug", "path": "x"}


def walk(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def required_perm_of(callback):
    for holder in (callback, getattr(callback, "cls", None), getattr(callback, "view_class", None)):
        if holder is not None and getattr(holder, "required_perm", None) is not None:
            return holder.required_perm
    return None


def sample_url(route: str, pattern: URLPattern) -> str | None:
    """A concrete URL for the pattern, with made-up ids; None for regex routes we cannot fill."""
    converters = getattr(pattern.pattern, "converters", {})
    url = route
    for name, converter in converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        value = SAMPLE_ARGS.get(kind, "x")
        url = url.replace(f"<{kind}:{name}>", value).replace(f"<{name}>", value)
    if "<" in url or "(?P" in url or "^" in url:
        return None
    return "/" + url


ALL = list(walk())
ROUTES = [(route, pattern) for route, pattern in ALL if not route.startswith("static/")]


def test_there_are_urls_to_walk():
    assert len(ROUTES) > 10


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=[route for route, _ in ROUTES])
def test_every_url_declares_who_may_use_it(route, pattern):
    assert required_perm_of(pattern.callback) is not None, f"/{route} declares no permission (@requires or @public)"


@pytest.mark.parametrize("role", list(Role))
def test_every_role_is_held_to_each_urls_permission(role, client, sign_in):
    sign_in(MembershipFactory(role=role))
    held = perms_of(role)
    for route, pattern in ROUTES:
        url = sample_url(route, pattern)
        required = required_perm_of(pattern.callback)
        if url is None or required in (PUBLIC, PASSWORD_ONLY) or url.startswith("/account/sign-out"):
            continue
        response = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code} for {role}"
        if names_a_record(getattr(pattern.pattern, "converters", {})):
            assert response.status_code in (404, 405, 410), f"{url} with a made-up id gave {response.status_code} to {role}"
        elif required != Perm.OWN_ACCOUNT and required not in held:
            assert response.status_code in (403, 405), f"{url} needs {required}; {role} got {response.status_code}"


def test_signed_out_visitors_reach_only_public_urls(client):
    for route, pattern in ROUTES:
        url = sample_url(route, pattern)
        required = required_perm_of(pattern.callback)
        if url is None or required == PUBLIC:
            continue
        response = client.get(url)
        assert response.status_code in (302, 401, 403, 404, 405), f"{url} answered {response.status_code} signed out"
        if response.status_code == 302:
            assert response["Location"].startswith("/account/sign-in"), url


def test_a_password_without_the_second_factor_reaches_no_protected_page(client, sign_in):
    sign_in(MembershipFactory(role=Role.REGISTERED_MANAGER), verified=False)
    for route, pattern in ROUTES:
        url = sample_url(route, pattern)
        required = required_perm_of(pattern.callback)
        if url is None or required in (PUBLIC, PASSWORD_ONLY):
            continue
        response = client.get(url)
        expected = (401, 403, 405) if url.startswith("/api/") else (302, 405)
        assert response.status_code in expected, f"{url} answered {response.status_code} before MFA"
