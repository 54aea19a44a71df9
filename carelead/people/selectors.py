"""Reads of people's records, already scoped to what the user may see."""

from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carelead.core.models import AuditEvent
from carelead.core.permissions import Perm
from carelead.organisations.selectors import locations_granting
from carelead.people import rules
from carelead.people.models import Person, PersonStatus


def visible_people(user, *, perm: Perm = Perm.PERSON_VIEW) -> QuerySet[Person]:
    """People at the locations where the user holds a current role granting `perm`."""
    return Person.objects.filter(location__in=locations_granting(user, perm))


def search_people(user, *, text: str = "", status: str = "", location=None) -> QuerySet[Person]:
    """The people list: by name, preferred name or NHS number, within the user's locations."""
    people = visible_people(user).select_related("location")
    text = text.strip()
    if text:
        digits = rules.normalise_nhs_number(text)
        if len(digits) >= 3 and len(digits) == len(text.replace(" ", "").replace("-", "")):
            people = people.filter(nhs_number__startswith=digits)
        else:
            for word in text.split()[:4]:
                people = people.filter(
                    Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
                )
    if status:
        people = people.filter(status=status)
    if location is not None:
        people = people.filter(location=location)
    return people.order_by("family_name", "given_name", "id")


def person_for(user, public_id: UUID, *, perm: Perm = Perm.PERSON_VIEW) -> Person:
    """404 whether the person does not exist or is not this user's to see."""
    return get_object_or_404(
        visible_people(user, perm=perm).select_related("location__organisation"), public_id=public_id
    )


def record_for(user, model, public_id: UUID, *, perm: Perm = Perm.PERSON_VIEW):
    """One of a person's records (contact, consent...), 404 unless its person is visible."""
    return get_object_or_404(
        model.objects.select_related("person__location").filter(
            person__location__in=locations_granting(user, perm)
        ),
        public_id=public_id,
    )


def visible_audit_events(user) -> QuerySet[AuditEvent]:
    """Audit events about people at locations where the user may see the trail."""
    return AuditEvent.objects.filter(location__in=locations_granting(user, Perm.AUDIT_VIEW))


def search_audit_events(user, *, person=None, actor=None, date_from=None, date_to=None) -> QuerySet[AuditEvent]:
    """The audit search: by person, staff member and date (inclusive), newest first."""
    events = visible_audit_events(user).select_related("actor", "person")
    if person is not None:
        events = events.filter(person=person)
    if actor is not None:
        events = events.filter(actor=actor)
    # Whole local days as datetime ranges, so the (…, occurred_at) indexes serve the filter.
    if date_from is not None:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to is not None:
        events = events.filter(occurred_at__lt=_start_of(date_to + timedelta(days=1)))
    return events.order_by("-occurred_at", "-id")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def statuses() -> list[tuple[str, str]]:
    return list(PersonStatus.choices)
