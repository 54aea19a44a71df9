"""Writes of apprenticeships: each checks permission, validates, saves and audits, atomically.

A skills coach (Perm.APPRENTICESHIP_MANAGE at their training provider) enrols an apprentice: a
current member of staff of a care organisation, on the standard version that takes their start
date (§1.4), with contracted weekly hours (kept with history), English and maths (§5.2), recognised
prior learning and the end-point assessment organisation when known. Programme records are not
a person's care record, so the audit row names no person.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.apprenticeships import selectors
from carelead.apprenticeships.models import Apprenticeship, Standard, WeeklyHours
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
from carelead.core.permissions import Perm, Role
from carelead.core.services import require
from carelead.organisations.models import Membership, Organisation, OrganisationKind

DEFAULT_STANDARD = "ST0007"  # Lead practitioner in adult care: the standard carelead supports
NOT_STAFF_MESSAGE = "Choose a current member of staff of the employer."
NOT_EMPLOYER_MESSAGE = "Choose a care organisation or an individual employer, not a training provider."
COACH_MESSAGE = "Choose a skills coach of your training provider."
OWN_COACH_MESSAGE = "Choose a coach other than the apprentice: nobody coaches their own apprenticeship."
CONTACT_MESSAGE = "Choose current members of staff of the employer as employer contacts."
NO_VERSION_MESSAGE = "No version of {standard} takes apprentices starting on this date."
NO_PROVIDER_MESSAGE = "You enrol apprentices as a skills coach of a training provider."
SEVERAL_PROVIDERS_MESSAGE = "Choose which training provider this apprenticeship is with."
ALREADY_ENROLLED_MESSAGE = "This apprentice already has an active apprenticeship on this standard."
EPAO_DATE_MESSAGE = "Enter the date the end-point assessment organisation was named, or leave both empty."


def _is_current_member(user, organisation: Organisation, *, role: str | None = None) -> bool:
    memberships = Membership.objects.current().filter(user=user, organisation=organisation)
    if role:
        memberships = memberships.filter(role=role)
    return memberships.exists()


def _provider_of(actor: Actor, provider: Organisation | None) -> Organisation:
    if provider is not None:
        require(actor, Perm.APPRENTICESHIP_MANAGE, organisation_id=provider.pk)
        if provider.kind != OrganisationKind.TRAINING_PROVIDER:
            raise ValidationError({"provider": [NO_PROVIDER_MESSAGE]})
        return provider
    providers = list(selectors.providers_enrolling_for(actor.user)[:2])
    if not providers:
        raise NotAllowed(f"{Perm.APPRENTICESHIP_MANAGE} is not held at any training provider")
    if len(providers) > 1:
        raise ValidationError({"provider": [SEVERAL_PROVIDERS_MESSAGE]})
    return providers[0]


@transaction.atomic
def enrol(*, actor: Actor, apprentice, employer: Organisation, coach, start_date: date, practical_period_end: date,
          weekly_hours: Decimal, english_maths: str, english_maths_decision: str = "", rpl_hours=Decimal(0),
          epao_name: str = "", epao_named_on: date | None = None, employer_contacts=(),
          provider: Organisation | None = None, standard: Standard | None = None,
          qualification=None) -> Apprenticeship:
    """Enrol `apprentice` (staff of `employer`) with `coach` of the actor's training provider, and
    the Level 4 Diploma they are registered for when known (its units are what evidence maps to)."""
    provider = _provider_of(actor, provider)
    errors: dict[str, list[str]] = {}
    if employer.kind == OrganisationKind.TRAINING_PROVIDER:
        errors["employer"] = [NOT_EMPLOYER_MESSAGE]
    elif apprentice is None or not _is_current_member(apprentice, employer):
        errors["apprentice"] = [NOT_STAFF_MESSAGE]
    if coach is None or not _is_current_member(coach, provider, role=Role.SKILLS_COACH):
        errors["coach"] = [COACH_MESSAGE]
    elif apprentice is not None and coach.pk == apprentice.pk:
        errors["coach"] = [OWN_COACH_MESSAGE]  # they would sign for the provider and the apprentice
    contacts = list(employer_contacts)
    current_contacts = (Membership.objects.current().filter(organisation=employer, user__in=contacts)
                        .values("user").distinct().count() if contacts else 0)
    if current_contacts != len({contact.pk for contact in contacts}):
        errors["employer_contacts"] = [CONTACT_MESSAGE]
    if epao_named_on and not epao_name.strip():
        errors["epao_named_on"] = [EPAO_DATE_MESSAGE]

    standard = standard or Standard.objects.filter(reference=DEFAULT_STANDARD).first()
    version = None
    if standard is not None and start_date:
        try:
            version = selectors.version_for_start(standard, start_date)
        except ValueError:
            errors["start_date"] = [NO_VERSION_MESSAGE.format(standard=standard.reference)]
    elif standard is None:
        errors["start_date"] = [NO_VERSION_MESSAGE.format(standard=DEFAULT_STANDARD)]

    apprenticeship = Apprenticeship(
        apprentice=apprentice, employer=employer, provider=provider, coach=coach, standard_version=version,
        start_date=start_date, practical_period_end=practical_period_end, english_maths=english_maths,
        english_maths_decision=english_maths_decision.strip(), rpl_hours=Decimal(rpl_hours or 0),
        epao_name=epao_name.strip(),
        epao_named_on=epao_named_on or (timezone.localdate() if epao_name.strip() else None),
        qualification=qualification, created_by=actor.user,
    )
    hours = WeeklyHours(apprenticeship=apprenticeship, hours=weekly_hours, from_date=start_date)
    try:
        apprenticeship.full_clean(exclude=[name for name in ("apprentice", "coach", "standard_version")
                                           if name in errors or name == "standard_version" and version is None])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    try:
        hours.full_clean(exclude=["apprenticeship"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault("weekly_hours" if field == "hours" else field, []).extend(messages)
    if not errors and Apprenticeship.objects.filter(
            apprentice=apprentice, standard_version__standard=standard, status="active").exists():
        errors["apprentice"] = [ALREADY_ENROLLED_MESSAGE]
    if errors:
        raise ValidationError(errors)
    apprenticeship.save()
    hours.apprenticeship = apprenticeship
    hours.save()
    if contacts:
        apprenticeship.employer_contacts.set(contacts)
    audit.record(actor, Action.CREATE, apprenticeship, person=None, details={
        "apprentice": apprentice.pk, "coach": coach.pk,
        "employer": str(employer.public_id), "provider": str(provider.public_id),
        "standard_version": str(version.public_id),
    })
    return apprenticeship
