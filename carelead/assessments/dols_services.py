"""Deprivation of Liberty Safeguards applications: recording one, recording what became of it, and
what a page shows about them (MCA 2005 Schedule A1; the dates are `assessments.dols`).

Lead practitioners and registered managers (Perm.PERSON_CREATE at the person's location) record
and update; every write is checked, validated, saved and audited at once. DoLS applies in care
homes (and hospitals) only: for a person anywhere else the Court of Protection authorises a
deprivation of liberty, so an application there is refused.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.assessments import dols
from carelead.assessments.models import CapacityAssessment, DolsApplication
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import StaleEdit
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.core.services import require, save_versioned
from carelead.organisations.models import SettingType

# DoLS covers care homes and hospitals (MCA 2005 Schedule A1 paras 1-2); carelead has no hospitals.
DOLS_SETTINGS = frozenset({SettingType.CARE_HOME, SettingType.CARE_HOME_NURSING})

NOT_CARE_HOME_MESSAGE = ("Deprivation of Liberty Safeguards apply only in care homes and hospitals. "
                         "Elsewhere a deprivation of liberty is authorised by the Court of Protection")
URGENT_START_MESSAGE = "Enter the date the urgent authorisation starts"
URGENT_ONLY_MESSAGE = "Only an urgent authorisation has a start date for it"
EXTENDED_ONLY_MESSAGE = "Only an urgent authorisation can be extended"
FUTURE_MESSAGE = "{label} must be today or in the past"
BEFORE_APPLIED_MESSAGE = "{label} must be on or after the date requested"
DECIDED_MESSAGE = "Enter the date it was decided, withdrawn or ended"
AUTHORISED_FROM_MESSAGE = "Enter the date the authorisation starts"
AUTHORISED_UNTIL_MESSAGE = "Enter the date the authorisation ends"
UNTIL_BEFORE_FROM_MESSAGE = "The authorisation must end on or after the day it starts"
LONGER_THAN_A_YEAR_MESSAGE = "A standard authorisation lasts at most a year: it must end by {latest}"
NO_AUTHORISATION_MESSAGE = "Only a granted (or ended) authorisation has authorised dates"
OTHER_PERSON_MESSAGE = "Choose one of this person's capacity assessments"

CREATE_FIELDS = ("kind", "capacity_assessment", "supervisory_body", "reference", "reason", "applied_on",
                 "urgent_from", "cqc_notified_on")
UPDATE_FIELDS = ("status", "decided_on", "authorised_from", "authorised_until", "conditions", "urgent_extended",
                 "reference", "cqc_notified_on")
AUTHORISED = (DolsApplication.Status.GRANTED, DolsApplication.Status.ENDED)


def dols_applies(setting_type: str) -> bool:
    """Whether DoLS (rather than the Court of Protection) covers a deprivation of liberty in this setting."""
    return setting_type in DOLS_SETTINGS


def day(when: date) -> str:
    """A date as pages write it: 29 Dec 2026."""
    return f"{when.day} {when:%b %Y}"


def _label(name: str) -> str:
    return str(DolsApplication._meta.get_field(name).verbose_name)


def dols_errors(values: dict[str, Any], *, today: date) -> dict[str, list[str]]:
    """Every problem with an application's dates and decision at once, by field: an urgent start only
    for an urgent authorisation; nothing in the future or before the request; a decision date once
    decided; a granted authorisation's dates, ending no later than dols.standard_latest_end."""
    errors: dict[str, list[str]] = {}
    urgent = values.get("kind") == DolsApplication.Kind.URGENT_AND_STANDARD
    if urgent and not values.get("urgent_from"):
        errors["urgent_from"] = [URGENT_START_MESSAGE]
    if not urgent and values.get("urgent_from"):
        errors["urgent_from"] = [URGENT_ONLY_MESSAGE]
    if not urgent and values.get("urgent_extended"):
        errors["urgent_extended"] = [EXTENDED_ONLY_MESSAGE]
    applied_on = values.get("applied_on")
    for name in ("applied_on", "urgent_from", "decided_on", "cqc_notified_on"):
        when = values.get(name)
        if when and when > today:
            errors.setdefault(name, [FUTURE_MESSAGE.format(label=_label(name))])
        elif when and applied_on and name in ("decided_on", "cqc_notified_on") and when < applied_on:
            errors.setdefault(name, [BEFORE_APPLIED_MESSAGE.format(label=_label(name))])
    errors.update(_decision_errors(values))
    return errors


def _decision_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    status = values.get("status") or DolsApplication.Status.REQUESTED
    start, end = values.get("authorised_from"), values.get("authorised_until")
    errors: dict[str, list[str]] = {}
    if status != DolsApplication.Status.REQUESTED and not values.get("decided_on"):
        errors["decided_on"] = [DECIDED_MESSAGE]
    if status not in AUTHORISED:
        for name in ("authorised_from", "authorised_until"):
            if values.get(name):
                errors[name] = [NO_AUTHORISATION_MESSAGE]
        return errors
    if not start:
        errors["authorised_from"] = [AUTHORISED_FROM_MESSAGE]
    if not end:
        errors["authorised_until"] = [AUTHORISED_UNTIL_MESSAGE]
    if start and end and end < start:
        errors["authorised_until"] = [UNTIL_BEFORE_FROM_MESSAGE]
    elif start and end and end > dols.standard_latest_end(start):
        latest = dols.standard_latest_end(start)
        errors["authorised_until"] = [LONGER_THAN_A_YEAR_MESSAGE.format(latest=day(latest))]
    return errors


def _check(application: DolsApplication) -> None:
    values = {name: getattr(application, name) for name in (*CREATE_FIELDS, *UPDATE_FIELDS)}
    errors = dols_errors(values, today=timezone.localdate())
    try:
        application.full_clean(exclude=list(errors))
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_dols_application(*, actor: Actor, person, **fields: Any) -> DolsApplication:
    """Record a request to the supervisory body to authorise depriving the person of their liberty,
    in a care home only (Perm.PERSON_CREATE there); every problem is named at once."""
    require(actor, Perm.PERSON_CREATE, location_id=person.location_id)
    unknown = set(fields) - set(CREATE_FIELDS)
    if unknown:
        raise ValueError(f"record_dols_application() does not take {sorted(unknown)}")
    if not dols_applies(person.location.setting_type):
        raise ValidationError(NOT_CARE_HOME_MESSAGE)
    assessment = fields.get("capacity_assessment")
    if assessment is not None and assessment.person_id != person.pk:
        raise ValidationError({"capacity_assessment": [OTHER_PERSON_MESSAGE]})
    application = DolsApplication(person=person, recorded_by=actor.user, **fields)
    _check(application)
    application.save()
    audit.record(actor, Action.CREATE, application, person=person,
                 details={"fields": sorted(name for name, value in fields.items() if value not in (None, ""))})
    return application


@transaction.atomic
def update_dols_application(*, actor: Actor, application: DolsApplication, seen_version: int,
                            **changes: Any) -> DolsApplication:
    """Record what became of an application (granted with its dates, not granted, withdrawn, ended
    early), an urgent authorisation's extension, the reference, or when CQC was notified (Reg 18).
    Refused (StaleEdit, nothing saved) when someone saved the application since `seen_version`."""
    person = application.person
    require(actor, Perm.PERSON_CREATE, location_id=person.location_id)
    unknown = set(changes) - set(UPDATE_FIELDS)
    if unknown:
        raise ValueError(f"update_dols_application() does not take {sorted(unknown)}")
    if seen_version != application.version:
        raise StaleEdit()
    before = {name: getattr(application, name) for name in UPDATE_FIELDS}
    for name, value in changes.items():
        setattr(application, name, value)
    _check(application)
    changed = audit.changed_fields(before, {name: getattr(application, name) for name in UPDATE_FIELDS})
    if changed:
        save_versioned(application, seen_version=seen_version, fields=changed)
        audit.record(actor, Action.UPDATE, application, person=person, details={"fields": changed})
    return application


# --- What the pages and the API show ------------------------------------------------------------


def state_of(application: DolsApplication, today: date) -> str:
    """The authorisation's state: only a granted one is in force, renewal due or expired."""
    if application.status != DolsApplication.Status.GRANTED:
        return dols.NOT_IN_FORCE
    return dols.authorisation_state(application.authorised_until, today)


def urgent_ends_on(application: DolsApplication) -> date | None:
    """The last day of an urgent authorisation (7 days, 14 if extended), or None if there is none."""
    if application.kind != DolsApplication.Kind.URGENT_AND_STANDARD or not application.urgent_from:
        return None
    return dols.urgent_ends_on(application.urgent_from, extended=application.urgent_extended)


@dataclass(frozen=True)
class DolsAlert:
    """A warning for the Mental capacity tab, in words, with the application it is about."""

    application: DolsApplication
    heading: str
    text: str


def alerts(applications, today: date) -> list[DolsAlert]:
    """Warnings for the person's applications: the newest authorisation in its renewal window or
    expired, unless a further request has been made since it started; an urgent authorisation still
    awaiting the standard decision, with its end date."""
    found: list[DolsAlert] = []
    granted = [each for each in applications if each.status == DolsApplication.Status.GRANTED and each.authorised_until]
    if granted:
        latest = max(granted, key=lambda each: each.authorised_until)
        state = dols.authorisation_state(latest.authorised_until, today)
        renewing = any(each.status == DolsApplication.Status.REQUESTED and each.applied_on >= latest.authorised_from
                       for each in applications)
        end = day(latest.authorised_until)
        if state == dols.RENEWAL_DUE and not renewing:
            found.append(DolsAlert(latest, "Deprivation of Liberty Safeguards authorisation ends soon",
                                   f"The authorisation ends on {end}. If they are still deprived of their liberty, request a "
                                   "further authorisation now, so it is decided before then."))
        elif state == dols.EXPIRED and not renewing:
            found.append(DolsAlert(latest, "Deprivation of Liberty Safeguards authorisation has expired",
                                   f"The authorisation ended on {end}. If they are still deprived of their "
                                   "liberty, request a further authorisation now."))
    for each in applications:
        ends = urgent_ends_on(each)
        if ends and each.status == DolsApplication.Status.REQUESTED:
            when = day(ends)
            text = (f"The urgent authorisation ends on {when}." if today <= ends else
                    f"The urgent authorisation ended on {when} and the standard authorisation is not yet decided.")
            found.append(DolsAlert(each, "Urgent authorisation awaiting the supervisory body", text))
    return found


def capacity_choices(person) -> list[CapacityAssessment]:
    """The person's capacity assessments that found they lack capacity for a decision, newest first."""
    return list(CapacityAssessment.objects.filter(person=person, outcome=CapacityAssessment.Outcome.LACKS_CAPACITY)
                .order_by("-assessed_at", "-id")[:50])
