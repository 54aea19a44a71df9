"""Risk assessment services: negative cases first, then what is saved and audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carelead.careplans import services
from carelead.careplans.models import RiskActivity, RiskAssessment, RiskStatus
from carelead.careplans.selectors import risk_assessment_for, risk_assessments_of
from carelead.careplans.tests.factories import RiskAssessmentFactory, risk_fields
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _staff(role=Role.SENIOR_CARER):
    membership = MembershipFactory(role=role)
    return Actor(user=membership.user), membership.locations.get()


def test_a_senior_carer_cannot_assess_a_person_at_another_location():
    actor, _ = _staff()
    with pytest.raises(NotAllowed):
        services.create_risk_assessment(actor=actor, person=PersonFactory(), **risk_fields())
    assert not RiskAssessment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_care_worker_cannot_assess_risks():
    actor, location = _staff(Role.CARE_WORKER)
    with pytest.raises(NotAllowed):
        services.create_risk_assessment(actor=actor, person=PersonFactory(location=location), **risk_fields())
    assert not RiskAssessment.objects.exists()


def test_a_care_worker_cannot_change_or_archive_a_risk():
    actor, location = _staff(Role.CARE_WORKER)
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    with pytest.raises(NotAllowed):
        services.update_risk_assessment(actor=actor, risk=risk, seen_version=1, title="Changed")
    with pytest.raises(NotAllowed):
        services.archive_risk_assessment(actor=actor, risk=risk)
    risk.refresh_from_db()
    assert (risk.title, risk.status, risk.version) != ("Changed", RiskStatus.ARCHIVED, 2)
    assert risk.status == RiskStatus.CURRENT


@pytest.mark.parametrize(("field", "value", "message"), [
    ("residual_likelihood", 4, services.RESIDUAL_LIKELIHOOD_MESSAGE),
    ("residual_severity", 4, services.RESIDUAL_SEVERITY_MESSAGE),
])
def test_residual_risk_may_not_be_higher_than_the_initial_risk(field, value, message):
    actor, location = _staff()
    with pytest.raises(ValidationError) as error:
        services.create_risk_assessment(actor=actor, person=PersonFactory(location=location),
                                        **risk_fields(likelihood=3, severity=3, **{field: value}))
    assert error.value.message_dict[field] == [message]
    assert not RiskAssessment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_residual_risk_raised_on_an_edit_is_refused_and_nothing_saved():
    actor, location = _staff()
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    with pytest.raises(ValidationError) as error:
        services.update_risk_assessment(actor=actor, risk=risk, seen_version=1, residual_likelihood=5)
    assert error.value.message_dict["residual_likelihood"] == [services.RESIDUAL_LIKELIHOOD_MESSAGE]
    risk.refresh_from_db()
    assert (risk.residual_likelihood, risk.version) == (2, 1)


def test_a_review_date_in_the_past_is_refused_when_created():
    actor, location = _staff()
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.create_risk_assessment(actor=actor, person=PersonFactory(location=location),
                                        **risk_fields(review_on=yesterday))
    assert error.value.message_dict["review_on"] == [services.REVIEW_PAST_MESSAGE]
    assert not RiskAssessment.objects.exists()


def test_positive_risk_taking_needs_the_persons_views():
    actor, location = _staff()
    with pytest.raises(ValidationError) as error:
        services.create_risk_assessment(actor=actor, person=PersonFactory(location=location),
                                        **risk_fields(activity=RiskActivity.POSITIVE_RISK_TAKING, person_views=" "))
    assert "person_views" in error.value.message_dict
    assert not RiskAssessment.objects.exists()


def test_a_stale_version_is_refused_and_nothing_saved():
    actor, location = _staff()
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    services.update_risk_assessment(actor=actor, risk=RiskAssessment.objects.get(pk=risk.pk), seen_version=1,
                                    title="First editor")
    with pytest.raises(StaleEdit):
        services.update_risk_assessment(actor=actor, risk=risk, seen_version=1, title="Second editor")
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("First editor", 2)
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 1


def test_an_archived_risk_cannot_be_changed():
    actor, location = _staff()
    risk = RiskAssessmentFactory(person=PersonFactory(location=location), status=RiskStatus.ARCHIVED)
    with pytest.raises(ValidationError):
        services.update_risk_assessment(actor=actor, risk=risk, seen_version=1, title="Changed")


def test_a_senior_carer_records_a_risk_and_the_audit_keeps_field_names_only():
    actor, location = _staff()
    person = PersonFactory(location=location)
    risk = services.create_risk_assessment(actor=actor, person=person, **risk_fields())
    assert (risk.score, risk.rating, risk.residual_score, risk.residual_rating) == (15, "extreme", 5, "moderate")
    assert risk.assessed_by == actor.user
    event = AuditEvent.objects.get()
    assert (event.action, event.person, event.subject) == (Action.CREATE, person, f"careplans.RiskAssessment:{risk.public_id}")
    assert "title" in event.details["fields"]
    assert "Choking on food" not in str(event.details)


def test_an_update_bumps_the_version_and_audits_the_changed_fields():
    actor, location = _staff(Role.LEAD_PRACTITIONER)
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    services.update_risk_assessment(actor=actor, risk=risk, seen_version=1, title="Falls at night", likelihood=5)
    risk.refresh_from_db()
    assert (risk.title, risk.likelihood, risk.version) == ("Falls at night", 5, 2)
    assert AuditEvent.objects.get().details == {"fields": ["likelihood", "title"]}


def test_archiving_keeps_the_risk_out_of_the_current_list():
    actor, location = _staff()
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    services.archive_risk_assessment(actor=actor, risk=risk)
    assert not risk_assessments_of(risk.person).exists()
    assert list(risk_assessments_of(risk.person, status=RiskStatus.ARCHIVED)) == [risk]
    assert AuditEvent.objects.get().details == {"fields": ["status"]}


def test_risk_assessment_for_is_a_404_for_another_persons_risk():
    from django.http import Http404

    actor, location = _staff()
    person = PersonFactory(location=location)
    other = RiskAssessmentFactory(person=PersonFactory(location=location))
    with pytest.raises(Http404):
        risk_assessment_for(actor.user, person.public_id, other.public_id)
    with pytest.raises(Http404):
        risk_assessment_for(actor.user, PersonFactory().public_id, other.public_id)
    assert risk_assessment_for(actor.user, other.person.public_id, other.public_id) == other
