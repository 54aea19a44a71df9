"""The risk assessment API: 404 out of scope (nothing written), 404 for a care worker's write,
409 on a stale version, 400 on a residual risk above the initial one; then the answers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.careplans.models import RiskAssessment
from carelead.careplans.services import RESIDUAL_SEVERITY_MESSAGE
from carelead.careplans.tests.factories import RiskAssessmentFactory
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.people.tests.factories import PersonFactory
from carelead.people.tests.test_api import staff

pytestmark = pytest.mark.django_db


def _body(**overrides) -> dict:
    return {
        "activity": "moving_and_handling", "title": "Transfers bed to chair", "hazard": "Cannot bear weight",
        "who_is_at_risk": "The person and two carers", "likelihood": 3, "severity": 4,
        "controls": "Hoist with two carers", "residual_likelihood": 1, "residual_severity": 4,
        "agreed_with_person": True, "person_views": "", "review_on": str(timezone.localdate() + timedelta(days=30)),
        **overrides,
    }


def _urls(risk):
    return (reverse("api:api-risks", args=[risk.person.public_id]),
            reverse("api:api-risk-detail", args=[risk.person.public_id, risk.public_id]))


def test_a_person_at_another_location_is_a_404_and_nothing_is_written(api):
    membership, _ = staff(Role.REGISTERED_MANAGER)
    client, risk = api(membership), RiskAssessmentFactory()
    listing, detail = _urls(risk)
    assert client.get(listing).status_code == 404
    assert client.post(listing, _body()).status_code == 404
    assert client.get(detail).status_code == 404
    assert client.patch(detail, {"title": "Moved", "version": 1}).status_code == 404
    risk.refresh_from_db()
    assert (risk.version, RiskAssessment.objects.count()) == (1, 1)
    assert not AuditEvent.objects.exists()


def test_a_care_worker_reads_but_cannot_write(api):
    membership, location = staff(Role.CARE_WORKER)
    client, risk = api(membership), RiskAssessmentFactory(person=PersonFactory(location=location))
    listing, detail = _urls(risk)
    assert client.get(listing).status_code == 200
    assert client.post(listing, _body()).status_code == 404
    assert client.patch(detail, {"title": "Changed", "version": 1}).status_code == 404
    risk.refresh_from_db()
    assert (risk.version, RiskAssessment.objects.count()) == (1, 1)


def test_a_stale_version_is_a_409_and_nothing_is_saved(api):
    membership, location = staff(Role.SENIOR_CARER)
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    RiskAssessment.objects.filter(pk=risk.pk).update(version=2)
    response = api(membership).patch(_urls(risk)[1], {"title": "Mine", "version": 1})
    assert response.status_code == 409
    risk.refresh_from_db()
    assert (risk.title, risk.version) != ("Mine", 3)
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


def test_a_residual_risk_above_the_initial_risk_is_a_400(api):
    membership, location = staff(Role.SENIOR_CARER)
    person = PersonFactory(location=location)
    response = api(membership).post(reverse("api:api-risks", args=[person.public_id]),
                                    _body(severity=3, residual_severity=4))
    assert response.status_code == 400
    assert response.json()["residual_severity"] == [RESIDUAL_SEVERITY_MESSAGE]
    assert not RiskAssessment.objects.exists()


def test_patch_needs_the_version(api):
    membership, location = staff(Role.SENIOR_CARER)
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    response = api(membership).patch(_urls(risk)[1], {"title": "No version"})
    assert response.status_code == 400 and "version" in response.json()


def test_a_senior_carer_records_and_changes_a_risk(api):
    membership, location = staff(Role.SENIOR_CARER)
    person = PersonFactory(location=location)
    client = api(membership)
    created = client.post(reverse("api:api-risks", args=[person.public_id]), _body())
    assert created.status_code == 201
    body = created.json()
    assert (body["score"], body["rating"], body["residual_score"], body["residual_rating"]) == (12, "high", 4, "moderate")
    assert body["review_overdue"] is False and body["version"] == 1
    changed = client.patch(created["Location"], {"likelihood": 5, "version": 1})
    assert changed.status_code == 200
    assert (changed.json()["score"], changed.json()["rating"], changed.json()["version"]) == (20, "extreme", 2)
    assert AuditEvent.objects.filter(action=Action.UPDATE).get().details == {"fields": ["likelihood"]}


def test_the_detail_says_when_a_review_is_overdue_and_is_audited(api):
    membership, location = staff(Role.CARE_WORKER)
    risk = RiskAssessmentFactory(person=PersonFactory(location=location),
                                 review_on=timezone.localdate() - timedelta(days=1))
    assert api(membership).get(_urls(risk)[1]).json()["review_overdue"] is True
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert (event.person, event.details) == (risk.person, {"tab": "risks"})


def test_list_queries_do_not_grow_with_risks(api, django_assert_num_queries):
    membership, location = staff(Role.SENIOR_CARER)
    person = PersonFactory(location=location)
    client, url = api(membership), reverse("api:api-risks", args=[person.public_id])
    RiskAssessmentFactory(person=person)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    RiskAssessmentFactory.create_batch(20, person=person)
    with django_assert_num_queries(few):
        assert len(client.get(url).json()["results"]) == 21
