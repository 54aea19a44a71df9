import pytest

from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action, AuditEvent
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_record_writes_who_what_and_where():
    person = PersonFactory()
    user = MembershipFactory().user
    event = audit.record(Actor(user=user, ip_address="10.0.0.1"), Action.VIEW, person, person=person)
    assert (event.actor, event.person, event.location_id, event.action) == (user, person, person.location_id, "view")
    assert event.subject == f"people.Person:{person.public_id}"


def test_audit_events_cannot_be_changed_or_deleted():
    person = PersonFactory()
    event = audit.record(Actor(user=MembershipFactory().user), Action.VIEW, person, person=person)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.UPDATE)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


def test_a_list_writes_one_row_holding_the_ids_shown():
    people = PersonFactory.create_batch(3)
    audit.record_list(Actor(user=MembershipFactory().user), people, what="people.Person")
    event = AuditEvent.objects.get()
    assert event.details["ids"] == [str(p.public_id) for p in people]
