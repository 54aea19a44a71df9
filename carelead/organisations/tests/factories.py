import factory

from carelead.accounts.tests.factories import UserFactory
from carelead.core.permissions import Role
from carelead.organisations.models import Location, Membership, Organisation, OrganisationKind, SettingType


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
