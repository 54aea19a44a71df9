"""Reads of people's records, already scoped to what the user may see."""

from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carelead.core.models import AuditEvent
from carelead.core.permissions import Perm, perms_of
from carelead.organisations.models import Membership
from carelead.organisations.selectors import location_scope
from carelead.people import rules
from carelead.people.models import AboutMe, CommunicationNeed, Person, PersonStatus


def visible_people(user, *, perm: Perm = Perm.PERSON_VIEW) -> QuerySet[Person]:
    """People at the locations where the user holds a current role granting `perm`."""
    return Person.objects.filter(location__in=location_scope(user, perm))


def _matching(people: QuerySet[Person], text: str) -> QuerySet[Person]:
    """By NHS number (its first digits, spaces allowed) or by every word in a name."""
    text = text.strip()
    if not text:
        return people
    digits = rules.normalise_nhs_number(text)
    if len(digits) >= 3 and len(digits) == len(text.replace(" ", "").replace("-", "")):
        if len(digits) == 10:  # a whole number: an exact match reads one index entry
            return people.filter(nhs_number=digits)
        return people.filter(nhs_number__startswith=digits)
    for word in text.split()[:4]:
        people = people.filter(
            Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
        )
    return people


def search_people(user, *, text: str = "", status: str = "", location=None) -> QuerySet[Person]:
    """The people list: by name, preferred name or NHS number, within the user's locations."""
    people = _matching(visible_people(user).select_related("location"), text)
    if status:
        people = people.filter(status=status)
    if location is not None:
        people = people.filter(location=location)
    if text.strip():
        # The same order, written so PostgreSQL cannot walk the name-order index: for a search it
        # would read past every non-matching name before "Jones", while the matches (found by the
        # trigram indexes) are few and cheap to sort.
        return people.order_by(Concat("family_name", Value("")), "given_name", "id")
    return people.order_by("family_name", "given_name", "id")


def person_for(user, public_id: UUID, *, perm: Perm = Perm.PERSON_VIEW) -> Person:
    """404 whether the person does not exist or is not this user's to see.

    Carries `has_communication_needs`, the Accessible Information Standard flag every page of the
    record shows, in the same query.
    """
    return get_object_or_404(
        visible_people(user, perm=perm)
        .select_related("location__organisation")
        .annotate(has_communication_needs=Exists(CommunicationNeed.objects.filter(person=OuterRef("pk")))),
        public_id=public_id,
    )


def perms_for_person(user, person: Person) -> frozenset[Perm]:
    """What the user's current roles allow at this person's location (for showing change links)."""
    covering = Membership.objects.current().filter(user=user).filter(
        Q(all_locations=False, locations=person.location_id)
        | Q(all_locations=True, organisation_id=person.location.organisation_id)
    )
    perms: set[Perm] = set()
    for role, audit_access in covering.values_list("role", "audit_access").distinct():
        perms |= perms_of(role, grants=frozenset({"audit_access"} if audit_access else ()))
    return frozenset(perms)


def about_me_of(person: Person) -> AboutMe:
    """The person's About Me, or a blank one (version 1) when nothing has been written yet."""
    return AboutMe.objects.filter(person=person).first() or AboutMe(person=person)


def records_of(person: Person, model) -> QuerySet:
    """One kind of a person's records (contacts, consent...), in the model's own order."""
    return model.objects.filter(person=person)


def record_for(user, model, public_id: UUID, *, perm: Perm = Perm.PERSON_VIEW):
    """One of a person's records (contact, consent...), 404 unless its person is visible."""
    return get_object_or_404(
        model.objects.select_related("person__location").filter(
            person__location__in=location_scope(user, perm)
        ),
        public_id=public_id,
    )


def visible_audit_events(user) -> QuerySet[AuditEvent]:
    """Audit events about people at locations where the user may see the trail."""
    return AuditEvent.objects.filter(location__in=location_scope(user, Perm.AUDIT_VIEW))


def search_audit_events(
    user, *, person=None, actor=None, date_from=None, date_to=None, person_text: str = "", staff: str = ""
) -> QuerySet[AuditEvent]:
    """The audit search: by person, staff member and date (inclusive), newest first.

    `person_text` finds people by name or NHS number among those whose trail the user may see;
    `staff` finds staff by name or email address.
    """
    events = visible_audit_events(user).select_related("actor", "person")
    if person is not None:
        events = events.filter(person=person)
    if person_text.strip():
        events = events.filter(person__in=_matching(visible_people(user, perm=Perm.AUDIT_VIEW), person_text))
    if actor is not None:
        events = events.filter(actor=actor)
    if staff.strip():
        events = events.filter(actor__in=_staff_matching(staff))
    # Whole local days as datetime ranges, so the (…, occurred_at) indexes serve the filter.
    if date_from is not None:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to is not None:
        events = events.filter(occurred_at__lt=_start_of(date_to + timedelta(days=1)))
    return events.order_by("-occurred_at", "-id")


def _staff_matching(text: str):
    users = get_user_model().objects.all()
    for word in text.split()[:4]:
        users = users.filter(Q(full_name__icontains=word) | Q(email__icontains=word))
    return users.values("pk")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def statuses() -> list[tuple[str, str]]:
    return list(PersonStatus.choices)
