"""Mental capacity assessments and best-interests decisions (issue 4): services and pages.

Negative tests first: a person elsewhere is a 404 on every URL and nothing is written; a care
worker cannot record; missing evidence is named per field; best interests are refused when the
person has capacity. Then the outcome wording, audit rows, and a list whose queries stay flat.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from carelead.assessments import services
from carelead.assessments.models import BestInterestsDecision, CapacityAssessment
from carelead.assessments.tests.helpers import actor, member
from carelead.core.errors import NotAllowed
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import LocationFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HAS = {"decision": "Whether to go on holiday to Wales", "practicable_steps": "Explained with pictures, in the morning",
       "can_understand": True, "can_retain": True, "can_use_or_weigh": True, "can_communicate": True}
LACKS = {**HAS, "decision": "Whether to move into a care home", "can_retain": False,
         "retain_evidence": "Could not recall the options after five minutes, three times",
         "impairment_present": True, "impairment_evidence": "Diagnosed Alzheimer's disease",
         "causal_link": True, "causal_link_evidence": "Memory loss from dementia stops retention"}
BEST = {"participation": "Visited with her daughter", "persons_wishes_and_feelings": "Wants to be near her garden",
        "beliefs_and_values": "Methodist", "consultees": "Daughter (LPA): supports the move",
        "options_considered": "Home with care; care home", "least_restrictive_rationale": "Home care tried first",
        "decision": "Move to Rose House"}


def url(name, person, *args):
    return reverse(f"assessments:{name}", args=[person.public_id, *args])


def post_form(data):
    body = {}
    for name, value in data.items():
        body[name] = ("yes" if value else "no") if isinstance(value, bool) else value
    return body


# --- Who may: negative tests first -------------------------------------------------------------


def test_a_person_at_another_location_is_404_on_every_url_and_nothing_is_written(lead):
    for person in (PersonFactory(), PersonFactory(location=LocationFactory(organisation=lead.organisation))):
        other = member(Role.LEAD_PRACTITIONER, person.location)
        assessment = services.record_capacity_assessment(actor=actor(other), person=person, **LACKS)
        before = (CapacityAssessment.objects.count(), BestInterestsDecision.objects.count())
        for address in [url("mca-list", person), url("mca-new", person),
                        url("mca-detail", person, assessment.public_id),
                        url("mca-best-interests", person, assessment.public_id)]:
            assert lead.client.get(address).status_code == 404, address
            assert lead.client.post(address, post_form({**LACKS, **BEST})).status_code in (404, 405), address
        assert (CapacityAssessment.objects.count(), BestInterestsDecision.objects.count()) == before
        with pytest.raises(NotAllowed):
            services.record_capacity_assessment(actor=actor(lead), person=person, **HAS)


def test_a_care_worker_cannot_record_an_assessment_or_a_decision(lead, sign_in):
    worker = member(Role.CARE_WORKER, lead.person.location, sign_in)
    assessment = services.record_capacity_assessment(actor=actor(lead), person=lead.person, **LACKS)
    assert worker.client.get(url("mca-list", lead.person)).status_code == 200
    for address in [url("mca-new", lead.person), url("mca-best-interests", lead.person, assessment.public_id)]:
        assert worker.client.post(address, post_form({**HAS, **BEST})).status_code == 404
    with pytest.raises(NotAllowed):
        services.record_capacity_assessment(actor=actor(worker), person=lead.person, **HAS)
    with pytest.raises(NotAllowed):
        services.record_best_interests_decision(actor=actor(worker), assessment=assessment, **BEST)
    assert CapacityAssessment.objects.count() == 1
    assert not BestInterestsDecision.objects.exists()


def test_missing_evidence_and_answers_are_named_per_field(lead):
    with pytest.raises(ValidationError) as refused:
        services.record_capacity_assessment(
            actor=actor(lead), person=lead.person, decision="", practicable_steps="",
            can_understand=False, can_retain=None, can_use_or_weigh=False, can_communicate=True)
    errors = refused.value.message_dict
    assert set(errors) == {"decision", "practicable_steps", "can_retain", "understand_evidence",
                           "use_or_weigh_evidence", "impairment_present"}
    with pytest.raises(ValidationError) as refused:
        services.record_capacity_assessment(actor=actor(lead), person=lead.person,
                                            **{**LACKS, "causal_link": None, "impairment_evidence": ""})
    assert set(refused.value.message_dict) == {"causal_link", "impairment_evidence"}
    assert not CapacityAssessment.objects.exists()


def test_the_form_shows_each_missing_answer_beside_its_field(lead):
    response = lead.client.post(url("mca-new", lead.person), post_form({**LACKS, "retain_evidence": ""}))
    assert response.status_code == 200
    assert response.context["form"].errors["retain_evidence"] == [services.EVIDENCE_MESSAGES["retain_evidence"]]
    assert not CapacityAssessment.objects.exists()


def test_the_form_names_every_missing_answer_at_once(lead):
    response = lead.client.post(url("mca-new", lead.person), {"can_understand": "no"})
    errors = response.context["form"].errors
    assert set(errors) == {"decision", "practicable_steps", "can_retain", "can_use_or_weigh", "can_communicate",
                           "understand_evidence", "impairment_present"}
    assert errors["can_retain"] == [services.ANSWER_MESSAGES["can_retain"]]
    assert "(optional)" not in response.content.decode().split("Can they retain")[1].split("</legend>")[0]
    assert not CapacityAssessment.objects.exists()


def test_a_second_best_interests_decision_is_refused(lead):
    assessment = services.record_capacity_assessment(actor=actor(lead), person=lead.person, **LACKS)
    services.record_best_interests_decision(actor=actor(lead), assessment=assessment, **BEST)
    with pytest.raises(ValidationError):
        services.record_best_interests_decision(actor=actor(lead), assessment=assessment, **BEST)
    assert lead.client.post(url("mca-best-interests", lead.person, assessment.public_id), BEST).status_code == 302
    assert BestInterestsDecision.objects.count() == 1


def test_a_future_assessment_time_is_refused(lead):
    with pytest.raises(ValidationError) as refused:
        services.record_capacity_assessment(actor=actor(lead), person=lead.person,
                                            assessed_at=timezone.now() + timedelta(days=1), **HAS)
    assert refused.value.message_dict == {"assessed_at": [services.ASSESSED_FUTURE_MESSAGE]}
    assert not CapacityAssessment.objects.exists()


def test_a_future_best_interests_decision_time_is_refused(lead):
    assessment = services.record_capacity_assessment(actor=actor(lead), person=lead.person, **LACKS)
    with pytest.raises(ValidationError) as refused:
        services.record_best_interests_decision(actor=actor(lead), assessment=assessment,
                                                decided_at=timezone.now() + timedelta(days=1), **BEST)
    assert refused.value.message_dict == {"decided_at": [services.DECIDED_FUTURE_MESSAGE]}
    assert not BestInterestsDecision.objects.exists()


def test_best_interests_are_refused_when_the_person_has_capacity(lead):
    assessment = services.record_capacity_assessment(actor=actor(lead), person=lead.person, **HAS)
    with pytest.raises(ValidationError) as refused:
        services.record_best_interests_decision(actor=actor(lead), assessment=assessment, **BEST)
    assert refused.value.messages == [services.NOT_LACKING_MESSAGE]
    response = lead.client.post(url("mca-best-interests", lead.person, assessment.public_id), BEST)
    assert response.status_code == 302
    assert not BestInterestsDecision.objects.exists()


def test_an_unwise_decision_with_every_ability_is_capacity(lead):
    assessment = services.record_capacity_assessment(
        actor=actor(lead), person=lead.person, **{**HAS, "impairment_present": True, "impairment_evidence": "Dementia"})
    assert assessment.outcome == CapacityAssessment.Outcome.HAS_CAPACITY


# --- Recording and reading ---------------------------------------------------------------------


def test_a_lead_records_an_assessment_and_a_best_interests_decision_through_the_pages(lead):
    response = lead.client.post(url("mca-new", lead.person), post_form({**LACKS, "review_on_0": "22",
                                                                         "review_on_1": "2", "review_on_2": "2027"}))
    assessment = CapacityAssessment.objects.get()
    assert response.status_code == 302
    assert assessment.outcome == "lacks_capacity" and assessment.assessor == lead.user
    assert assessment.review_on.isoformat() == "2027-02-22"
    detail = lead.client.get(url("mca-detail", lead.person, assessment.public_id)).content.decode()
    assert "lacks capacity for this decision" in detail
    assert "Record a best-interests decision" in detail
    response = lead.client.post(url("mca-best-interests", lead.person, assessment.public_id), BEST)
    assert response.status_code == 302
    decision = BestInterestsDecision.objects.get()
    assert decision.capacity_assessment == assessment and decision.decision_maker == lead.user
    written = AuditEvent.objects.filter(action=Action.CREATE).order_by("id")
    assert [event.details.get("outcome") for event in written][:1] == ["lacks_capacity"]
    assert "Rose House" not in str(list(written.values_list("details", flat=True)))  # field names only


def test_outcome_wording_never_says_lacks_capacity_without_for_this_decision(lead):
    services.record_capacity_assessment(actor=actor(lead), person=lead.person, **LACKS)
    services.record_capacity_assessment(actor=actor(lead), person=lead.person, **HAS)
    page = " ".join(strip_tags(lead.client.get(url("mca-list", lead.person)).content.decode()).split())
    assert "Capacity for: Whether to move into a care home — lacks capacity for this decision (" in page
    assert "Capacity for: Whether to go on holiday to Wales — has capacity for this decision (" in page
    assert page.count("lacks capacity") == page.count("lacks capacity for this decision")
    for label in CapacityAssessment.Outcome.labels:
        assert label.endswith("for this decision")


def test_every_read_is_audited_with_the_tab(lead):
    assessment = services.record_capacity_assessment(actor=actor(lead), person=lead.person, **LACKS)
    for address in [url("mca-list", lead.person), url("mca-new", lead.person),
                    url("mca-detail", lead.person, assessment.public_id),
                    url("mca-best-interests", lead.person, assessment.public_id)]:
        before = AuditEvent.objects.filter(action=Action.VIEW).count()
        assert lead.client.get(address).status_code == 200
        event = AuditEvent.objects.filter(action=Action.VIEW).latest("id")
        assert AuditEvent.objects.filter(action=Action.VIEW).count() == before + 1
        assert event.details["tab"] == "mca"


def test_the_list_query_count_does_not_grow_with_the_data(lead):
    address = url("mca-list", lead.person)
    services.record_capacity_assessment(actor=actor(lead), person=lead.person, **LACKS)
    lead.client.get(address)
    with CaptureQueriesContext(connection) as captured:
        lead.client.get(address)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    for _ in range(4):
        assessment = services.record_capacity_assessment(actor=actor(lead), person=lead.person, **LACKS)
        services.record_best_interests_decision(actor=actor(lead), assessment=assessment, **BEST)
        services.record_capacity_assessment(actor=actor(lead), person=lead.person, **HAS)
    with CaptureQueriesContext(connection) as captured:
        lead.client.get(address)
    many = len(captured.captured_queries)
    assert many == few
