"""Recording the outcome of an apprenticeship after end-point assessment (issue 6 "Completion").

The coach records the achievement date and the certificate once the overall EPA grade is a Pass or
a Distinction (epa_selectors.epa_result). The apprenticeship becomes COMPLETED, after which
`parties.require_open` refuses every write to its records. Withdrawal is not recorded here: it is a
programme change (change_services.process_change), which the completion page links to.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.apprenticeships import assessor_rules, epa_selectors
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipCompletion, ApprenticeshipStatus, EpaGrade, Party,
)
from carelead.apprenticeships.otj_services import evidence_errors
from carelead.apprenticeships.parties import require_open, require_party
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import StaleEdit
from carelead.core.models import Action
from carelead.core.services import save_versioned

GATEWAY_NOT_SET = "Confirm the gateway date first: an apprenticeship is completed only after end-point assessment."
NOT_PASSED = "Record the end-point assessment first: the overall grade must be a Pass or a Distinction. {status}"
CERTIFICATE_REQUIRED = "Choose the achievement certificate (PDF, DOCX, JPG or PNG)."
PASSING = frozenset({EpaGrade.PASS, EpaGrade.DISTINCTION})


def _check(apprenticeship: Apprenticeship, *, achieved_on: date | None, certificate, today: date) -> None:
    """ValidationError naming every bad field, or about the EPA result when it is not a pass yet."""
    if apprenticeship.gateway_date is None:
        raise ValidationError(GATEWAY_NOT_SET)
    result = epa_selectors.epa_result(epa_selectors.attempts_of(apprenticeship))
    if result.overall not in PASSING:
        raise ValidationError(NOT_PASSED.format(status=result.status))
    errors = {}
    if achieved_on is None:
        errors["achieved_on"] = ["Enter the achievement date."]
    elif problems := assessor_rules.achievement_date_errors(
            achieved_on=achieved_on, gateway_date=apprenticeship.gateway_date, today=today,
            assessed_on=max(row.latest.held_on for row in result.methods)):  # both graded: a pass
        errors["achieved_on"] = problems
    if certificate is None:
        errors["certificate"] = [CERTIFICATE_REQUIRED]
    elif problems := evidence_errors(certificate):
        errors["certificate"] = problems
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_completion(*, actor: Actor, apprenticeship: Apprenticeship, achieved_on: date | None, certificate,
                      seen_version: int, today: date | None = None) -> ApprenticeshipCompletion:
    """The coach records the achievement (date not before gateway, not in the future; the certificate),
    which completes the apprenticeship and locks its records. Over someone else's newer change to the
    apprenticeship it is refused (StaleEdit) and nothing is written."""
    today = today or timezone.localdate()
    require_party(actor, apprenticeship, Party.PROVIDER)
    require_open(apprenticeship)
    _check(apprenticeship, achieved_on=achieved_on, certificate=certificate, today=today)
    was, apprenticeship.status = apprenticeship.status, ApprenticeshipStatus.COMPLETED
    try:
        save_versioned(apprenticeship, seen_version=seen_version, fields=["status"])
    except StaleEdit:
        apprenticeship.status = was  # the caller's copy stays as the database has it
        raise
    completion = ApprenticeshipCompletion(apprenticeship=apprenticeship, achieved_on=achieved_on,
                                          certificate_name=certificate.name[:200], recorded_by=actor.user)
    completion.certificate.save(certificate.name, certificate, save=False)
    completion.save()
    audit.record(actor, Action.UPDATE, apprenticeship, details={"fields": ["status"], "status": "completed"})
    audit.record(actor, Action.CREATE, completion, details={"apprenticeship": str(apprenticeship.public_id),
                                                            "achieved_on": achieved_on.isoformat()})
    return completion
