"""The internal quality assurance API (issue 6): policies, drawing a plan, its samples, compliance,
signing decisions and the coach's feedback; out of reach is a 404, a role without IQA a 403, bad input a
400 naming the field, and the sample list's queries do not grow with the samples."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships import iqa_services
from carelead.apprenticeships.models import SampleDecision, SamplingPlan, SamplingPolicy
from carelead.apprenticeships.tests.factories import employer_contact_of
from carelead.apprenticeships.tests.factories_iqa import assessed, iqa_of, provider_with_coach, sampled_world
from carelead.core.actor import Actor
from carelead.organisations.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_data):
    return sampled_world()


def record_urls(world):
    return [reverse("api:api-iqa-policy", args=[world["policy"].public_id]),
            reverse("api:api-iqa-plan", args=[world["plan"].public_id]),
            reverse("api:api-iqa-plan-samples", args=[world["plan"].public_id]),
            reverse("api:api-iqa-plan-compliance", args=[world["plan"].public_id])]


@pytest.mark.parametrize("who", ["other_iqa", "coach", "employer_contact", "apprentice"])
def test_only_the_providers_iqa_reaches_its_records(world, api, who):
    apprenticeship = world["apprenticeship"]
    membership = {
        "other_iqa": lambda: iqa_of(),
        "coach": lambda: Membership.objects.get(user=apprenticeship.coach, role="skills_coach"),
        "employer_contact": lambda: employer_contact_of(apprenticeship),
        "apprentice": lambda: Membership.objects.get(user=apprenticeship.apprentice),
    }[who]()
    client = api(membership)
    for url in record_urls(world):
        assert client.get(url).status_code == 404, url
    decision = reverse("api:api-iqa-decision", args=[world["item"].public_id])
    assert client.post(decision, {"verdict": "agree"}).status_code == 404
    listing = client.get(reverse("api:api-iqa-policies"))
    if who == "other_iqa":
        assert listing.status_code == 200 and listing.json()["results"] == []
    else:
        assert listing.status_code == 403
    assert not SampleDecision.objects.exists()


def test_the_iqa_writes_and_changes_a_policy(world, api):
    client = api(world["iqa"])
    response = client.post(reverse("api:api-iqa-policies"), {
        "name": "New assessors", "default_percent": "150",
        "rates": [{"kind": "file", "stage": "interim", "percent": "-5"}]})
    assert response.status_code == 400 and response.json() == {
        "default_percent": [iqa_services.PERCENT_MESSAGE], "rates": [f"file (interim): {iqa_services.PERCENT_MESSAGE}"]}
    response = client.post(reverse("api:api-iqa-policies"), {
        "name": "New assessors", "default_percent": "50",
        "rates": [{"kind": "file", "stage": "interim", "percent": "101"}]})
    assert response.status_code == 400
    assert response.json() == {"rates": [f"file (interim): {iqa_services.PERCENT_MESSAGE}"]}
    assert not SamplingPolicy.objects.filter(name="New assessors").exists()
    response = client.post(reverse("api:api-iqa-policies"), {
        "name": "New assessors", "default_percent": "50",
        "rates": [{"kind": "observation", "stage": "summative", "percent": "100"}]})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "New assessors" and body["rates"] == [
        {"kind": "observation", "stage": "summative", "percent": "100.00"}]
    url = reverse("api:api-iqa-policy", args=[body["public_id"]])
    response = client.put(url, {"name": "Renamed", "default_percent": "10", "active": False, "rates": []})
    assert response.status_code == 200 and response.json()["active"] is False and response.json()["rates"] == []
    assert SamplingPolicy.objects.get(public_id=body["public_id"]).name == "Renamed"


def test_an_unknown_kind_or_stage_is_refused_in_words(world, api):
    client = api(world["iqa"])
    response = client.post(reverse("api:api-iqa-policies"), {
        "name": "X", "default_percent": "10", "rates": [{"kind": "essay", "stage": "interim", "percent": "10"}]})
    assert response.status_code == 400 and response.json()["rates"][0].startswith("essay (interim) is not")
    samples = reverse("api:api-iqa-plan-samples", args=[world["plan"].public_id])
    assert set(client.get(samples, {"kind": "essay", "stage": "final"}).json()) == {"kind", "stage"}
    assert not SamplingPolicy.objects.filter(name="X").exists()


def test_a_percentage_over_100_is_refused_naming_the_field(world, api):
    response = api(world["iqa"]).post(reverse("api:api-iqa-policies"), {"name": "X", "default_percent": "100.5"})
    assert response.status_code == 400 and response.json() == {"default_percent": [iqa_services.PERCENT_MESSAGE]}
    assert not SamplingPolicy.objects.filter(name="X").exists()


def test_drawing_a_plan_reading_samples_compliance_and_signing(world, api):
    client = api(world["iqa"])
    url = reverse("api:api-iqa-plan-new", args=[world["policy"].public_id])
    assert client.post(url, {"period_from": "2026-03-31", "period_to": "2026-03-01"}).json() == {
        "period_to": [iqa_services.PERIOD_ORDER_MESSAGE]}
    response = client.post(url, {"period_from": "2026-03-01", "period_to": "2026-03-31", "seed": "Q1"})
    assert response.status_code == 201 and response.json()["seed"] == "Q1"
    plan = SamplingPlan.objects.get(seed="Q1")
    samples = client.get(reverse("api:api-iqa-plan-samples", args=[plan.public_id])).json()["results"]
    assert [(row["evidence"], row["verdict"]) for row in samples] == [(str(world["item"].public_id), None)]
    compliance = client.get(reverse("api:api-iqa-plan-compliance", args=[plan.public_id])).json()
    assert [(row["required"], row["planned"], row["result"], row["signed_result"]) for row in compliance] == [
        (1, 1, "Compliant", "Not compliant")]
    decision = reverse("api:api-iqa-decision", args=[world["item"].public_id])
    assert client.post(decision, {"verdict": "disagree"}).json() == {"feedback": [iqa_services.FEEDBACK_MESSAGE]}
    response = client.post(decision, {"verdict": "disagree", "feedback": "Show K3."})
    assert response.status_code == 201 and response.json()["locks_evidence"] is True
    undecided = client.get(reverse("api:api-iqa-plan-samples", args=[plan.public_id]), {"decided": "false"}).json()
    assert undecided["results"] == []
    feedback = api(Membership.objects.get(user=world["apprenticeship"].coach, role="skills_coach")).get(
        reverse("api:api-iqa-feedback")).json()["results"]
    assert [row["feedback"] for row in feedback] == ["Show K3."]


def test_redrawing_keeps_signed_samples(world, api):
    client = api(world["iqa"])
    iqa_services.record_decision(actor=Actor(world["iqa"].user), evidence=world["item"], verdict="agree")
    response = client.post(reverse("api:api-iqa-plan-redraw", args=[world["plan"].public_id]), {"seed": "again"})
    assert response.status_code == 200 and response.json()["seed"] == "again"
    assert world["plan"].samples.get().decision.verdict == "agree"


def test_the_sample_list_does_not_grow_with_samples(world, api):
    client = api(world["iqa"])
    url = reverse("api:api-iqa-plan-samples", args=[world["plan"].public_id])
    for day in range(4, 6):
        assessed(world["apprenticeship"], on=date(2026, 3, day))
    iqa_services.regenerate_plan(actor=Actor(world["iqa"].user), plan=world["plan"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).json()["results"]) == 3
    for day in range(6, 33):
        assessed(provider_with_coach(world["provider"]), on=date(2026, 3, min(day, 31)))
    iqa_services.regenerate_plan(actor=Actor(world["iqa"].user), plan=world["plan"])
    for sample in world["plan"].samples.select_related("evidence")[:5]:
        iqa_services.record_decision(actor=Actor(world["iqa"].user), evidence=sample.evidence, verdict="agree")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["results"]) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_name_longer_than_the_column_is_a_400_not_a_database_error(world, api):
    client = api(world["iqa"])
    response = client.post(reverse("api:api-iqa-policies"), {"name": "x" * 121, "default_percent": "10"})
    assert response.status_code == 400 and set(response.json()) == {"name"}
    url = reverse("api:api-iqa-policy", args=[world["policy"].public_id])
    assert client.put(url, {"name": "x" * 121, "default_percent": "10"}).status_code == 400
    assert not SamplingPolicy.objects.filter(name="x" * 121).exists()
