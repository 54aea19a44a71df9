"""The one scoping rule: a permission reaches the locations of the user's current memberships."""

import pytest
from django.utils import timezone

from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.permissions import Perm, Role, perms_of, roles_granting
from carelead.core.services import require
from carelead.organisations.selectors import holds_anywhere, locations_granting, organisations_granting
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory
from carelead.people.selectors import visible_people
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_care_worker_reaches_only_the_locations_named_on_their_membership():
    membership = MembershipFactory(role=Role.CARE_WORKER)
    other_here = LocationFactory(organisation=membership.organisation)
    elsewhere = LocationFactory()
    reached = set(locations_granting(membership.user, Perm.PERSON_VIEW))
    assert reached == {membership.locations.get()}
    assert other_here not in reached and elsewhere not in reached


def test_an_organisation_wide_membership_reaches_every_location_including_new_ones():
    membership = MembershipFactory(role=Role.REGISTERED_MANAGER, all_locations=True)
    first = LocationFactory(organisation=membership.organisation)
    added_later = LocationFactory(organisation=membership.organisation)
    LocationFactory()  # another organisation
    assert set(locations_granting(membership.user, Perm.PERSON_VIEW)) == {first, added_later}


def test_an_ended_membership_grants_nothing_at_once():
    membership = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    PersonFactory(location=membership.locations.get())
    assert visible_people(membership.user).count() == 1
    membership.ended_at = timezone.now()
    membership.save()
    assert visible_people(membership.user).count() == 0
    assert not holds_anywhere(membership.user, Perm.PERSON_VIEW)


def test_a_role_without_the_permission_reaches_nothing():
    admin = MembershipFactory(role=Role.ORG_ADMIN, all_locations=True)
    PersonFactory(location=LocationFactory(organisation=admin.organisation))
    assert visible_people(admin.user).count() == 0
    assert not holds_anywhere(admin.user, Perm.AUDIT_VIEW)


def test_the_audit_grant_gives_an_admin_the_audit_trail_and_nothing_else():
    admin = MembershipFactory(role=Role.ORG_ADMIN, all_locations=True, audit_access=True)
    location = LocationFactory(organisation=admin.organisation)
    assert list(locations_granting(admin.user, Perm.AUDIT_VIEW)) == [location]
    assert visible_people(admin.user).count() == 0
    assert perms_of(Role.ORG_ADMIN, grants=frozenset({"audit_access"})) >= {Perm.AUDIT_VIEW}


def test_organisation_permissions_are_judged_per_organisation():
    admin = MembershipFactory(role=Role.ORG_ADMIN, all_locations=True)
    assert list(organisations_granting(admin.user, Perm.STAFF_MANAGE)) == [admin.organisation]
    carer = MembershipFactory(role=Role.CARE_WORKER)
    assert not organisations_granting(carer.user, Perm.STAFF_MANAGE).exists()


def test_services_check_again_whatever_door_they_are_reached_through():
    carer = MembershipFactory(role=Role.CARE_WORKER)
    elsewhere = LocationFactory()
    with pytest.raises(NotAllowed):
        require(Actor(user=carer.user), Perm.PERSON_VIEW, location_id=elsewhere.pk)
    require(Actor(user=carer.user), Perm.PERSON_VIEW, location_id=carer.locations.get().pk)
    with pytest.raises(NotAllowed):
        require(Actor(user=carer.user), Perm.PERSON_EDIT, location_id=carer.locations.get().pk)


def test_every_care_role_can_see_people_and_no_provider_role_can():
    assert set(roles_granting(Perm.PERSON_VIEW)) == {
        Role.CARE_WORKER, Role.SENIOR_CARER, Role.LEAD_PRACTITIONER, Role.REGISTERED_MANAGER, Role.SAFEGUARDING_LEAD,
    }


def test_scoping_query_count_does_not_grow_with_memberships(django_assert_num_queries):
    user = MembershipFactory(role=Role.CARE_WORKER).user
    for _ in range(5):
        MembershipFactory(user=user, role=Role.CARE_WORKER)
    with django_assert_num_queries(2):  # the user's locations, then the people
        list(visible_people(user))


def test_a_wide_scope_filters_by_subquery_and_finds_the_same_people(monkeypatch, django_assert_num_queries):
    from carelead.organisations import selectors

    manager = MembershipFactory(role=Role.REGISTERED_MANAGER, all_locations=True)
    people = {PersonFactory(location=LocationFactory(organisation=manager.organisation)) for _ in range(3)}
    PersonFactory()  # elsewhere
    assert isinstance(selectors.location_scope(manager.user, Perm.PERSON_VIEW), list)
    assert set(visible_people(manager.user)) == people
    monkeypatch.setattr(selectors, "SHORT_SCOPE", 2)
    assert not isinstance(selectors.location_scope(manager.user, Perm.PERSON_VIEW), list)
    with django_assert_num_queries(2):
        assert set(visible_people(manager.user)) == people


@pytest.mark.parametrize(("kwargs", "names"), [
    ({"public_id": 1}, True), ({"public_id": 1, "record_id": 2}, True), ({"risk_id": 3}, True),
    ({"tool": "news2"}, False), ({}, False), ({"public_id": 1, "kind": "contacts"}, True),
])
def test_a_url_names_a_record_by_its_id_not_by_a_tool_or_tab(kwargs, names):
    from carelead.core.decorators import names_a_record

    assert names_a_record(kwargs) is names
