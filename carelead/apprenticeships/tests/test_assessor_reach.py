"""No other record is reachable by an end-point assessor (issue 6: "no other record reachable (tested)").

Signs in as an assessor holding an OPEN grant and walks every URL pattern of the project, filling each
id in the URL with every real id of a small world: the granted apprenticeship, its accepted and draft
evidence, its off-the-job entry, EPA attempt, programme change and grant, another apprenticeship and
its evidence, a person supported and their care plan. Outside the assessor's own pages every answer
is a refusal (403, 404, 405, 410) or, for the pages every signed-in user has (their account, the
public reference data, empty lists), a page that shows none of that world. The assessor's pages open
the granted apprenticeship and its accepted evidence only.
"""

import itertools
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from carelead.apprenticeships.models import EpaAttempt, EvidenceStatus
from carelead.apprenticeships.tests.factories import OffTheJobEntryFactory
from carelead.apprenticeships.tests.factories_assessor import assessor_of, grant, past_gateway
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory
from carelead.core.decorators import PASSWORD_ONLY, PUBLIC
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

REFUSED = (403, 404, 405, 410)
ASSESSOR_PAGES = ("/apprenticeships/assessor/", "/api/v1/assessor/")
ASSESSOR_HOMES = ("/apprenticeships/assessor/", "/api/v1/assessor/apprenticeships/")
FILLERS = {"int": "7", "str": "not-a-real-token", "slug": "not-a-real-slug", "path": "x"}


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


def urls_for(route: str, pattern: URLPattern, ids: list[str]):
    """Every concrete URL for the pattern with each uuid parameter set to each of `ids`."""
    converters = getattr(pattern.pattern, "converters", {})
    if "(?P" in route or "^" in route:
        return
    names = [(name, type(converter).__name__.replace("Converter", "").lower())
             for name, converter in converters.items()]
    choices = [ids if kind == "uuid" else [FILLERS.get(kind, "x")] for _, kind in names]
    for values in itertools.product(*choices):
        url = route
        for (name, kind), value in zip(names, values, strict=True):
            url = url.replace(f"<{kind}:{name}>", value).replace(f"<{name}>", value)
        if "<" not in url:
            yield "/" + url


@pytest.fixture(params=["assessment organisation", "the apprentice's provider"])
def world(request, reference_data):
    granted = past_gateway()
    accepted = PortfolioEvidenceFactory(apprenticeship=granted, status=EvidenceStatus.ACCEPTED,
                                        assessed_by=granted.coach, title="Accepted-item-7f3a")
    draft = PortfolioEvidenceFactory(apprenticeship=granted, title="Draft-item-c41e")
    entry = OffTheJobEntryFactory(apprenticeship=granted, what_learned="Otj-notes-9b2d")
    attempt = EpaAttempt.objects.create(apprenticeship=granted, method="observation", planned_on=granted.gateway_date,
                                        recorded_by=granted.coach)
    other = past_gateway()
    other_item = PortfolioEvidenceFactory(apprenticeship=other, status=EvidenceStatus.ACCEPTED,
                                          assessed_by=other.coach, title="Other-item-5e6f")
    person = PersonFactory(given_name="Personname", family_name="Zq")
    # The assessor's membership at their own assessment organisation, or at the apprentice's own training
    # provider (assessor_services allows both): neither opens anything but the grant.
    assessor = assessor_of(granted.provider if request.param == "the apprentice's provider" else None)
    access = grant(granted, assessor)
    records = [granted, accepted, draft, entry, attempt, other, other_item, person, access]
    return {"assessor": assessor, "granted": granted, "accepted": accepted, "other": other,
            "ids": [str(record.public_id) for record in records] + [str(uuid.UUID(int=7))],
            # Text that would show a record the assessor must not reach outside their own pages.
            "secrets": [granted.apprentice.full_name, "Accepted-item-7f3a", "Draft-item-c41e", "Otj-notes-9b2d",
                        other.apprentice.full_name, "Other-item-5e6f", "Personname Zq", "Personname"]}


def test_an_assessor_with_an_open_grant_reaches_nothing_else(client, sign_in, world):
    sign_in(world["assessor"])
    granted, accepted = str(world["granted"].public_id), str(world["accepted"].public_id)
    opened, refused = set(), 0
    for route, pattern in walk():
        required = required_perm_of(pattern.callback)
        if route.startswith("static/") or required in (PUBLIC, PASSWORD_ONLY, None) or "sign-out" in route:
            continue
        for url in urls_for(route, pattern, world["ids"]):
            response = client.get(url)
            assert response.status_code < 500, f"{url} answered {response.status_code}"
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if url.startswith(ASSESSOR_PAGES):
                if response.status_code == 200:
                    opened.add(url)
                    assert granted in url or url in ASSESSOR_HOMES, url
                    for secret in world["secrets"][2:]:
                        assert secret.encode() not in body, f"{url} shows {secret!r}"
                continue
            if response.status_code in REFUSED or (response.status_code == 302 and "/account/" in response["Location"]):
                refused += 1
                continue
            assert response.status_code == 200, f"{url} answered {response.status_code}"
            for secret in world["secrets"]:
                assert secret.encode() not in body, f"{url} shows {secret!r} to an assessor"
    assert refused > 1000, "the walk should have tried every record's id on every record URL"
    # The assessor's own pages did open: the home page, the portfolio, coverage, the accepted item.
    base = f"/apprenticeships/assessor/{granted}/"
    assert {*ASSESSOR_HOMES, base, base + "coverage/", f"{base}evidence/{accepted}/",
            f"/api/v1/assessor/apprenticeships/{granted}/portfolio/"} <= opened


@pytest.mark.parametrize("name", ["apprenticeship-detail", "otj-list", "review-list", "training-plan",
                                  "evidence-list", "gateway", "epa", "coverage", "timeline", "assessor-access",
                                  "completion", "apprenticeship-edit", "otj-new", "evidence-list"])
def test_the_normal_apprenticeship_pages_are_404_to_the_assessor(client, sign_in, world, name):
    sign_in(world["assessor"])
    assert client.get(reverse(f"apprenticeships:{name}", args=[world["granted"].public_id])).status_code == 404


def test_the_normal_evidence_page_and_file_are_404_to_the_assessor(client, sign_in, world):
    sign_in(world["assessor"])
    for name in ("evidence-detail", "evidence-download"):
        assert client.get(reverse(f"apprenticeships:{name}", args=[world["accepted"].public_id])).status_code == 404
