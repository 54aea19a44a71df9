"""Writes of risk assessments: each checks permission, validates, saves and audits, atomically.

Senior carers and up (Perm.PERSON_EDIT at the person's location) assess risks (DESIGN.md).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.careplans.models import RiskAssessment, RiskStatus
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import StaleEdit
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.core.services import require, save_versioned

RISK_FIELDS = [
    "activity", "title", "hazard", "who_is_at_risk", "likelihood", "severity", "controls",
    "residual_likelihood", "residual_severity", "agreed_with_person", "person_views", "review_on",
]
RESIDUAL_LIKELIHOOD_MESSAGE = "The likelihood with the controls in place cannot be higher than before them"
RESIDUAL_SEVERITY_MESSAGE = "The severity with the controls in place cannot be higher than before them"
RESIDUAL_SCORE_MESSAGE = "The risk with the controls in place cannot be higher than the risk before them"
REVIEW_PAST_MESSAGE = "The review date must be today or in the future"
ARCHIVED_MESSAGE = "This risk assessment is archived and cannot be changed"


def _check_residual(risk: RiskAssessment) -> None:
    """Controls reduce a risk or leave it as it was: the residual risk is never higher."""
    errors: dict[str, list[str]] = {}
    if risk.residual_likelihood and risk.likelihood and risk.residual_likelihood > risk.likelihood:
        errors["residual_likelihood"] = [RESIDUAL_LIKELIHOOD_MESSAGE]
    if risk.residual_severity and risk.severity and risk.residual_severity > risk.severity:
        errors["residual_severity"] = [RESIDUAL_SEVERITY_MESSAGE]
    if errors:
        raise ValidationError(errors)


def _check_fields(changes: dict) -> None:
    unknown = set(changes) - set(RISK_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set on a risk assessment")


@transaction.atomic
def create_risk_assessment(*, actor: Actor, person, **fields) -> RiskAssessment:
    """Record a risk to the person; its first review date is today or later."""
    require(actor, Perm.PERSON_EDIT, location_id=person.location_id)
    _check_fields(fields)
    risk = RiskAssessment(person=person, assessed_by=actor.user, **fields)
    risk.full_clean()
    _check_residual(risk)
    if risk.review_on < timezone.localdate():
        raise ValidationError({"review_on": [REVIEW_PAST_MESSAGE]})
    risk.save()
    audit.record(actor, Action.CREATE, risk, person=person, details={"fields": sorted(fields)})
    return risk


@transaction.atomic
def update_risk_assessment(*, actor: Actor, risk: RiskAssessment, seen_version: int, **changes) -> RiskAssessment:
    """Change a current risk assessment; refused (StaleEdit) when someone saved since `seen_version`."""
    person = risk.person
    require(actor, Perm.PERSON_EDIT, location_id=person.location_id)
    _check_fields(changes)
    if risk.status != RiskStatus.CURRENT:
        raise ValidationError({"__all__": [ARCHIVED_MESSAGE]})
    if seen_version != risk.version:
        raise StaleEdit()
    before = {name: getattr(risk, name) for name in RISK_FIELDS}
    for name, value in changes.items():
        setattr(risk, name, value)
    risk.full_clean()
    _check_residual(risk)
    changed = audit.changed_fields(before, {name: getattr(risk, name) for name in RISK_FIELDS})
    if changed:
        save_versioned(risk, seen_version=seen_version, fields=changed)
        audit.record(actor, Action.UPDATE, risk, person=person, details={"fields": changed})
    return risk


@transaction.atomic
def archive_risk_assessment(*, actor: Actor, risk: RiskAssessment) -> RiskAssessment:
    """Archive a risk that no longer applies; it stays in the record, and the audit keeps who did it."""
    person = risk.person
    require(actor, Perm.PERSON_EDIT, location_id=person.location_id)
    if risk.status == RiskStatus.ARCHIVED:
        return risk
    risk.status = RiskStatus.ARCHIVED
    save_versioned(risk, seen_version=risk.version, fields=["status"])
    audit.record(actor, Action.UPDATE, risk, person=person, details={"fields": ["status"]})
    return risk
