"""Shared by the needs-assessment and mental-capacity tests: staff at a person's location."""

from carelead.core.actor import Actor
from carelead.organisations.tests.factories import MembershipFactory


def member(role, location, sign_in=None):
    """A member of staff with `role` at `location`, signed in when given the `sign_in` fixture."""
    membership = MembershipFactory(role=role, organisation=location.organisation, locations=[location])
    if sign_in:
        membership.client = sign_in(membership)
    return membership


def actor(membership):
    return Actor(user=membership.user)
