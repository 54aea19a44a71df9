"""GET apprenticeships/<id>/timeline/: the strands, the month pages, bad input; per role; flat queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships.models import OtjStatus
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, OffTheJobEntryFactory, employer_contact_of, staff_of,
)
from carelead.apprenticeships.tests.factories_reviews import fix_today, signed_review

pytestmark = pytest.mark.django_db


def url(apprenticeship):
    return reverse("api:api-timeline", args=[apprenticeship.public_id])


@pytest.fixture(autouse=True)
def today(monkeypatch):
    fix_today(monkeypatch, date(2026, 3, 17))


def test_events_newest_first_with_the_page_window(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2026, 2, 10), status=OtjStatus.APPROVED)
    signed_review(apprenticeship, held_on=date(2026, 3, 1))
    body = api(apprenticeship.apprentice).get(url(apprenticeship)).json()
    assert (body["since"], body["until"], body["newer"], body["older"]) == ("2025-10-01", "2026-03-31", None, 2)
    assert [(event["strand"], event["on"]) for event in body["events"]] == [
        ("assessed", "2026-03-01"), ("learned", "2026-02-10")]
    assert body["events"][0]["url"].endswith("/")


def test_a_page_far_past_the_start_is_the_oldest_page_not_an_error(api, reference_data):
    apprenticeship = ApprenticeshipFactory(start_date=date(2025, 9, 1))
    response = api(apprenticeship.apprentice).get(url(apprenticeship), {"page": "99999999999"})
    assert response.status_code == 200
    assert (response.json()["page"], response.json()["since"], response.json()["older"]) == (2, "2025-04-01", None)


def test_the_strand_filter(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2026, 2, 10), status=OtjStatus.APPROVED)
    signed_review(apprenticeship, held_on=date(2026, 3, 1))
    body = api(apprenticeship.coach).get(url(apprenticeship), {"strand": "assessed"}).json()
    assert [event["strand"] for event in body["events"]] == ["assessed"] and body["strands"] == ["assessed"]


@pytest.mark.parametrize(("query", "field"), [({"strand": "gossip"}, "strand"), ({"page": "0"}, "page"),
                                              ({"page": "two"}, "page")])
def test_bad_input_is_400_naming_the_field(api, reference_data, query, field):
    apprenticeship = ApprenticeshipFactory()
    response = api(apprenticeship.apprentice).get(url(apprenticeship), query)
    assert response.status_code == 400 and field in response.json()


@pytest.mark.parametrize("who", ["apprentice", "coach", "employer_contact"])
def test_the_parties_read_it(api, reference_data, who):
    apprenticeship = ApprenticeshipFactory()
    user = employer_contact_of(apprenticeship).user if who == "employer_contact" else getattr(apprenticeship, who)
    assert api(user).get(url(apprenticeship)).status_code == 200


@pytest.mark.parametrize("who", ["other_coach", "unrelated_staff"])
def test_anyone_else_gets_404(api, reference_data, who):
    apprenticeship = ApprenticeshipFactory()
    user = ApprenticeshipFactory().coach if who == "other_coach" else staff_of().user
    assert api(user).get(url(apprenticeship)).status_code == 404


def test_the_same_queries_for_few_or_many_events(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2026, 2, 1), status=OtjStatus.APPROVED)
    client = api(apprenticeship.coach)
    client.get(url(apprenticeship))
    with CaptureQueriesContext(connection) as few:
        client.get(url(apprenticeship))
    for day in range(2, 20):
        OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2026, 2, day), status=OtjStatus.APPROVED)
        signed_review(apprenticeship, held_on=date(2026, 1, day), number=day)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url(apprenticeship)).json()["events"]) == 37
    assert len(many) == len(few)


def test_the_schema_files_the_timeline_under_its_own_tag(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/apprenticeships/{public_id}/timeline/"]["get"]
    assert operation["tags"] == ["portfolio timeline"]
    assert "a page past the oldest is the oldest" in {p["name"]: p for p in operation["parameters"]}["page"]["description"]
