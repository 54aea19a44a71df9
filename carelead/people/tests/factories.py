import factory
import nhs_number

from carelead.organisations.tests.factories import LocationFactory
from carelead.people.models import (
    AboutMe, CommunicationNeed, ConsentRecord, Contact, ContactKind, EquipmentItem, Person, CapacityNoted,
    ConsentGivenBy, EquipmentCategory,
)


def synthetic_nhs_number() -> str:
    """A valid number from the range NHS England never issues (synthetic and test patients)."""
    return nhs_number.generate(for_region=nhs_number.REGION_SYNTHETIC)[0]


class PersonFactory(factory.django.DjangoModelFactory):
    """A person at a fresh location of a fresh organisation: isolated unless given a location."""

    class Meta:
        model = Person

    location = factory.SubFactory(LocationFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=65, maximum_age=100)
    nhs_number = factory.LazyFunction(synthetic_nhs_number)


class AboutMeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AboutMe

    person = factory.SubFactory(PersonFactory)
    most_important = "My garden and my grandchildren's visits."


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    person = factory.SubFactory(PersonFactory)
    kind = ContactKind.NEXT_OF_KIN
    name = factory.Faker("name", locale="en_GB")
    relationship = "Daughter"
    phone = "0113 496 0000"


class CommunicationNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationNeed

    person = factory.SubFactory(PersonFactory)
    need = "Hard of hearing in both ears"
    information_format = "large_print"


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    person = factory.SubFactory(PersonFactory)
    subject = "Photographs for the care record"
    given_by = ConsentGivenBy.PERSON
    capacity = CapacityNoted.HAS_CAPACITY


class EquipmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentItem

    person = factory.SubFactory(PersonFactory)
    item = "Pendant alarm"
    category = EquipmentCategory.TELECARE
    supplier = "Careline Services"
