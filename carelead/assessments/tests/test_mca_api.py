"""/api/v1/people/<id>/capacity-assessments/: decision-specific capacity assessments and best-interests
decisions. Negative tests first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.assessments import services
from carelead.assessments.models import BestInterestsDecision, CapacityAssessment
from carelead.assessments.tests.test_mca import BEST, HAS, LACKS
from carelead.core.actor import Actor
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def list_url(person):
    return reverse("api:api-capacity-assessments", args=[person.public_id])


def detail_url(person, assessment):
    return reverse("api:api-capacity-assessment-detail", args=[person.public_id, assessment.public_id])


def best_url(person, assessment):
    return reverse("api:api-best-interests", args=[person.public_id, assessment.public_id])


def post(client, address, body):
    return client.post(address, body, content_type="application/json")


@pytest.fixture
def lead():
    membership = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    membership.person = PersonFactory(location=membership.locations.get())
    return membership


def test_the_urls_are_the_published_contract(lead):
    assessment = services.record_capacity_assessment(actor=Actor(user=lead.user), person=lead.person, **LACKS)
    base = f"/api/v1/people/{lead.person.public_id}/capacity-assessments/"
    assert list_url(lead.person) == base
    assert detail_url(lead.person, assessment) == f"{base}{assessment.public_id}/"
    assert best_url(lead.person, assessment) == f"{base}{assessment.public_id}/best-interests/"


def test_a_person_elsewhere_is_404_and_nothing_is_written(lead, sign_in):
    elsewhere = PersonFactory()
    other = MembershipFactory(role=Role.LEAD_PRACTITIONER, organisation=elsewhere.location.organisation,
                              locations=[elsewhere.location])
    assessment = services.record_capacity_assessment(actor=Actor(user=other.user), person=elsewhere, **LACKS)
    before = AuditEvent.objects.count()
    client = sign_in(lead)
    assert client.get(list_url(elsewhere)).status_code == 404
    assert post(client, list_url(elsewhere), HAS).status_code == 404
    assert client.get(detail_url(elsewhere, assessment)).status_code == 404
    assert post(client, best_url(elsewhere, assessment), BEST).status_code == 404
    assert AuditEvent.objects.count() == before
    assert CapacityAssessment.objects.count() == 1 and not BestInterestsDecision.objects.exists()


def test_a_care_worker_can_read_but_not_record(lead, sign_in):
    assessment = services.record_capacity_assessment(actor=Actor(user=lead.user), person=lead.person, **LACKS)
    worker = MembershipFactory(role=Role.CARE_WORKER, organisation=lead.organisation, locations=[lead.person.location])
    client = sign_in(worker)
    assert client.get(list_url(lead.person)).status_code == 200
    assert post(client, list_url(lead.person), HAS).status_code == 403  # the API's rule for a role held nowhere
    assert post(client, best_url(lead.person, assessment), BEST).status_code == 403
    assert CapacityAssessment.objects.count() == 1 and not BestInterestsDecision.objects.exists()


def test_missing_evidence_is_named_per_field_and_nothing_is_written(lead, sign_in):
    client = sign_in(lead)
    response = post(client, list_url(lead.person), {**LACKS, "retain_evidence": "", "causal_link": None})
    assert response.status_code == 400
    assert set(response.json()) == {"retain_evidence", "causal_link"}
    assert post(client, list_url(lead.person), {**HAS, "outcome": "lacks_capacity"}).status_code == 400
    assert not CapacityAssessment.objects.exists()


def test_best_interests_are_refused_when_the_person_has_capacity(lead, sign_in):
    client = sign_in(lead)
    assessment = services.record_capacity_assessment(actor=Actor(user=lead.user), person=lead.person, **HAS)
    response = post(client, best_url(lead.person, assessment), BEST)
    assert response.status_code == 400
    assert services.NOT_LACKING_MESSAGE in str(response.json())
    assert not BestInterestsDecision.objects.exists()


def test_record_and_read_an_assessment_with_its_best_interests_decision(lead, sign_in):
    client = sign_in(lead)
    created = post(client, list_url(lead.person), {**LACKS, "review_on": "2027-02-22"})
    assert created.status_code == 201
    body = created.json()
    assert body["outcome"] == "lacks_capacity" and body["outcome_text"] == "lacks capacity for this decision"
    assessment = CapacityAssessment.objects.get()
    detail = client.get(detail_url(lead.person, assessment)).json()
    assert detail["best_interests_decision"] is None
    assert post(client, best_url(lead.person, assessment), BEST).status_code == 201
    detail = client.get(detail_url(lead.person, assessment)).json()
    assert detail["best_interests_decision"]["decision"] == "Move to Rose House"
    assert post(client, best_url(lead.person, assessment), BEST).status_code == 400  # only one


def test_the_list_query_count_does_not_grow_with_the_data(lead, sign_in):
    client = sign_in(lead)
    services.record_capacity_assessment(actor=Actor(user=lead.user), person=lead.person, **LACKS)
    client.get(list_url(lead.person))
    with CaptureQueriesContext(connection) as captured:
        client.get(list_url(lead.person))
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    for _ in range(4):
        assessment = services.record_capacity_assessment(actor=Actor(user=lead.user), person=lead.person, **LACKS)
        services.record_best_interests_decision(actor=Actor(user=lead.user), assessment=assessment, **BEST)
    with CaptureQueriesContext(connection) as captured:
        client.get(list_url(lead.person))
    many = len(captured.captured_queries)
    assert many == few
