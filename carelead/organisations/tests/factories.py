from datetime import timedelta

import factory
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.core.permissions import Role
from carelead.organisations.models import (
    Invitation, Location, Membership, Organisation, OrganisationKind, SettingType,
)
from carelead.organisations.rules import hash_invitation_token, new_invitation_token


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Provider {n} Care Ltd")
    kind = OrganisationKind.CARE_PROVIDER

    class Params:
        lead_pa_employer = factory.Trait(kind=OrganisationKind.INDIVIDUAL_EMPLOYER, name=factory.Sequence(lambda n: f"Employer {n}"))


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Location {n}")
    setting_type = SettingType.CARE_HOME
    cqc_location_id = factory.Sequence(lambda n: f"1-{100000000 + n}")
    postcode = "LS1 4AP"


class MembershipFactory(factory.django.DjangoModelFactory):
    """A role at one new location of a new organisation, unless told otherwise."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CARE_WORKER

    @factory.post_generation
    def locations(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [] if obj.all_locations else [LocationFactory(organisation=obj.organisation)]
        obj.locations.set(extracted)


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation to a new organisation. Its link's token is on `invitation.token` (tests only)."""

    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.CARE_WORKER
    token = factory.LazyFunction(new_invitation_token)
    token_hash = factory.LazyAttribute(lambda obj: hash_invitation_token(obj.token))
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    class Params:
        expired = factory.Trait(expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1)))

    @classmethod
    def _create(cls, model_class, *args, token=None, **kwargs):
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation

    @factory.post_generation
    def locations(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [] if obj.all_locations else [LocationFactory(organisation=obj.organisation)]
        obj.locations.set(extracted)
