import pytest

from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory


@pytest.fixture
def lead(sign_in):
    """A signed-in lead practitioner, with a person at their location as `lead.person`."""
    membership = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    membership.client = sign_in(membership)
    membership.person = PersonFactory(location=membership.locations.get())
    return membership
