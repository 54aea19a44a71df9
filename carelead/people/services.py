"""Every write to a person's record: check, validate, save, audit, in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.core.services import require, save_versioned
from carelead.organisations.models import Location
from carelead.people.models import AboutMe, Person

PROFILE_FIELDS = [
    "given_name", "family_name", "preferred_name", "pronouns", "date_of_birth",
    "nhs_number", "status", "status_since", "support_started_on",
]
ONE_PERSON_MESSAGE = "This organisation supports one person, who is already recorded."
STATUS_DATE_MESSAGE = "Enter the date the status changed"


def _check_one_person(location: Location) -> None:
    """A Lead PA's employer supports exactly one person (an organisation of one)."""
    if location.organisation.supports_one_person and Person.objects.filter(
        location__organisation=location.organisation
    ).exists():
        raise ValidationError({"__all__": [ONE_PERSON_MESSAGE]})


@transaction.atomic
def create_person(*, actor: Actor, location: Location, **fields) -> Person:
    """A lead practitioner or manager at the location records someone newly supported."""
    require(actor, Perm.PERSON_CREATE, location_id=location.pk)
    _check_one_person(location)
    person = Person(location=location, **fields)
    person.full_clean()
    person.save()
    AboutMe.objects.create(person=person)
    audit.record(actor, Action.CREATE, person, person=person, details={"fields": sorted(fields)})
    return person


@transaction.atomic
def update_person_profile(*, actor: Actor, person: Person, seen_version: int, **changes) -> Person:
    """Change the profile; refused (StaleEdit) when someone saved since `seen_version`."""
    require(actor, Perm.PERSON_EDIT, location_id=person.location_id)
    before = {name: getattr(person, name) for name in PROFILE_FIELDS}
    for name, value in changes.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"{name} is not a profile field")
        setattr(person, name, value)
    if person.status != before["status"] and "status_since" not in changes:
        person.status_since = timezone.localdate()
    person.full_clean(exclude=["location"])
    after = {name: getattr(person, name) for name in PROFILE_FIELDS}
    changed = audit.changed_fields(before, after)
    if changed:
        save_versioned(person, seen_version=seen_version, fields=changed)
        audit.record(actor, Action.UPDATE, person, person=person, details={"fields": changed})
    return person


@transaction.atomic
def save_about_me(*, actor: Actor, person: Person, seen_version: int, **changes) -> AboutMe:
    """About Me is the person's own words: any care role at their location may record them."""
    require(actor, Perm.ABOUT_ME_EDIT, location_id=person.location_id)
    about, _ = AboutMe.objects.get_or_create(person=person)
    editable = [*AboutMe.SECTIONS, "supported_by"]
    before = {name: getattr(about, name) for name in editable}
    for name, value in changes.items():
        if name not in editable:
            raise ValueError(f"{name} is not an About Me field")
        setattr(about, name, value)
    changed = audit.changed_fields(before, {name: getattr(about, name) for name in editable})
    if changed:
        about.supported_by_user = actor.user  # the staff member who helped write it, for their evidence
        about.last_updated_on = timezone.localdate()
        about.full_clean(exclude=["person"])
        save_versioned(about, seen_version=seen_version,
                       fields=[*changed, "supported_by_user", "last_updated_on"])
        audit.record(actor, Action.UPDATE, about, person=person, details={"fields": changed})
    return about


@transaction.atomic
def add_person_record(*, actor: Actor, person: Person, model, **fields):
    """Add a contact, communication need, consent record or equipment item to a person."""
    require(actor, Perm.PERSON_EDIT, location_id=person.location_id)
    record = model(person=person, **fields)
    record.full_clean()
    record.save()
    audit.record(actor, Action.CREATE, record, person=person, details={"fields": sorted(fields)})
    return record


@transaction.atomic
def update_person_record(*, actor: Actor, record, **changes):
    """Change one of a person's records; the audit keeps the names of the fields changed."""
    person = record.person
    require(actor, Perm.PERSON_EDIT, location_id=person.location_id)
    before = {name: getattr(record, name) for name in changes}
    for name, value in changes.items():
        setattr(record, name, value)
    record.full_clean()
    changed = audit.changed_fields(before, changes)
    if changed:
        record.save(update_fields=[*changed, "updated_at"])
        audit.record(actor, Action.UPDATE, record, person=person, details={"fields": changed})
    return record


@transaction.atomic
def remove_person_record(*, actor: Actor, record) -> None:
    """Remove a record entered in error; the audit keeps that it existed and who removed it."""
    person = record.person
    require(actor, Perm.PERSON_EDIT, location_id=person.location_id)
    audit.record(actor, Action.DELETE, record, person=person)
    record.delete()
